"""The engine's inputs for a whole batch of users in three queries, and their plans.

``storage.plans.plan_for`` is the one way every face asks for a plan, and it costs two queries
per user: a batch of 500 reminders would make 1,000 queries. So this loads users, procedures and
products for the batch at once, converts the rows with the same storage.queries functions, and
then does exactly what ``plan_for`` does. The tests check that both give equal inputs and
equal plans.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from planner.core import schedule
from planner.core.model import Plan, ProcedureInput, ProductInput, Profile
from planner.core.safety import screen
from planner.extensions import db
from planner.storage.models import Procedure, Product, User
from planner.storage.queries import (
    local_today,
    procedure_input,
    product_input,
    profile_of,
)


@dataclass
class UserInputs:
    #: The users row (a plain Core row: it never expires when the dispatcher commits).
    user: sa.Row
    profile: Profile
    procedures: list[ProcedureInput]
    products: list[ProductInput]

    def plan(self, start: dt.date, end: dt.date, now_at: dt.datetime | None = None) -> Plan:
        """Same as storage.plans.plan_for(user, start, end), from the loaded rows (as of ``now_at``)."""
        screening = screen(self.profile.safety, self.procedures, self.products, today=local_today(self.user, now_at))
        return schedule.plan(self.profile, self.procedures, self.products, start, end, screening=screening)


#: Columns neither the engine's converters nor a reminder read (secrets and bookkeeping, free text).
_UNUSED = frozenset({"password_hash", "login_version", "created_at", "updated_at", "brand", "clinic", "notes"})


def _columns(table: sa.Table) -> list[sa.Column]:
    return [c for c in table.c if c.name not in _UNUSED]


def load(user_ids: Sequence[int]) -> dict[int, UserInputs]:
    """Each user's engine inputs, ordered as storage.queries orders them."""
    ids = sorted(set(user_ids))
    # Core rows rather than ORM objects: the converters only read attributes, rows are several
    # times cheaper to build, and they do not expire when the dispatcher commits its progress.
    users, procedure_rows, product_rows = User.__table__, Procedure.__table__, Product.__table__
    found = db.session.execute(sa.select(*_columns(users)).where(users.c.id.in_(ids))).all()
    procedures: dict[int, list[ProcedureInput]] = defaultdict(list)
    for row in db.session.execute(
        sa.select(*_columns(procedure_rows)).where(procedure_rows.c.user_id.in_(ids))
        .order_by(procedure_rows.c.performed_on, procedure_rows.c.id)
    ):
        procedures[row.user_id].append(procedure_input(row))
    products: dict[int, list[ProductInput]] = defaultdict(list)
    for row in db.session.execute(
        sa.select(*_columns(product_rows)).where(product_rows.c.user_id.in_(ids), product_rows.c.is_active.is_(True))
        .order_by(product_rows.c.name, product_rows.c.id)
    ):
        products[row.user_id].append(product_input(row))
    return {u.id: UserInputs(u, profile_of(u), procedures[u.id], products[u.id]) for u in found}
