"""Rows → the engine's plain inputs, for one user or a batch, read with one column policy.

The pages plan one user; the dispatcher plans hundreds at once. Both read the same columns of
``procedures`` and ``products`` as plain Core rows (cheaper than ORM objects, and they never
expire when the dispatcher commits) and convert them with the same functions, so a reminder
and the page it links to are planned from identical inputs.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from planner.core.ingredients import classify, ingredient_keys
from planner.core.model import (
    DEFAULT_AREAS,
    Area,
    Cadence,
    CadenceKind,
    CheckIn,
    CheckInAnswer,
    Classification,
    ExosomeSource,
    Intensity,
    Overrides,
    ProcedureInput,
    ProductClass,
    ProductInput,
    ProductType,
    Profile,
    SafetyAnswers,
    Slot,
)
from planner.extensions import db
from planner.storage import arrays
from planner.storage.models import Procedure, Product, SkinCheckIn, User

#: Columns no engine input and no face of the plan reads (secrets, bookkeeping, free text).
_UNUSED = frozenset({"password_hash", "login_version", "created_at", "updated_at", "brand", "notes"})
#: Ids per statement (an IN list on SQLite, one array on PostgreSQL: storage/arrays.py), far below
#: every parameter limit whatever the batch size.
ID_CHUNK = 1000

_users, _procedures, _products = User.__table__, Procedure.__table__, Product.__table__
_checkins = SkinCheckIn.__table__


def _columns(table: sa.Table) -> list[sa.Column]:
    return [c for c in table.c if c.name not in _UNUSED]


_USER_COLUMNS, _PROCEDURE_COLUMNS, _PRODUCT_COLUMNS = _columns(_users), _columns(_procedures), _columns(_products)


def _procedures_with_checkins(where: sa.ColumnElement[bool]) -> sa.Select:
    """Procedures joined with their skin check-ins (a row per answer; a handful per procedure at
    most), so the check-ins cost no query of their own, for one user or a batch."""
    return (
        sa.select(*_PROCEDURE_COLUMNS, _checkins.c.local_day.label("checkin_day"),
                  _checkins.c.answer.label("checkin_answer"))
        .select_from(_procedures.outerjoin(_checkins, _checkins.c.procedure_id == _procedures.c.id))
        .where(where)
        .order_by(_procedures.c.performed_on, _procedures.c.id, _checkins.c.local_day)
    )


def _split_checkins(rows: Iterable[Any], procedures: list[ProcedureInput], checkins: list[CheckIn]) -> None:
    """Rows of ``_procedures_with_checkins`` (one user's) → procedures and check-ins, appended."""
    previous = None
    for row in rows:
        if row.id != previous:
            procedures.append(procedure_input(row))
            previous = row.id
        if row.checkin_day is not None:
            checkins.append(CheckIn(row.id, row.checkin_day, CheckInAnswer(row.checkin_answer)))


@dataclass(frozen=True)
class EngineInputs:
    """One user's inputs: ``user`` is the users row (ORM object or Core row: only attributes are read)."""

    user: Any
    profile: Profile
    procedures: tuple[ProcedureInput, ...]
    products: tuple[ProductInput, ...]
    #: The skin check-in answers of every procedure (core/checkins.py).
    checkins: tuple[CheckIn, ...] = ()


#: load_one's two statements, built once: every page and API request of a user runs them, and
#: building a select (with its cache key) cost about as much as SQLite answering it.
_ONE_USERS_PROCEDURES = _procedures_with_checkins(_procedures.c.user_id == sa.bindparam("user_id"))
_ONE_USERS_PRODUCTS = (
    sa.select(*_PRODUCT_COLUMNS).where(_products.c.user_id == sa.bindparam("user_id"), _products.c.is_active.is_(True))
    .order_by(_products.c.name, _products.c.id)
)


def load_one(user: User) -> EngineInputs:
    """One user's inputs in two queries (the user is already loaded; check-ins come with the procedures)."""
    procedures: list[ProcedureInput] = []
    checkins: list[CheckIn] = []
    who = {"user_id": user.id}
    _split_checkins(db.session.execute(_ONE_USERS_PROCEDURES, who), procedures, checkins)
    products = db.session.execute(_ONE_USERS_PRODUCTS, who)
    return EngineInputs(user, profile_of(user), tuple(procedures), tuple(map(product_input, products)),
                        tuple(checkins))


def load_many(user_ids: Iterable[int]) -> dict[int, EngineInputs]:
    """Each existing user's inputs, three queries per ``ID_CHUNK`` users."""
    ids = sorted(set(user_ids))
    found: dict[int, EngineInputs] = {}
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start:start + ID_CHUNK]
        users = db.session.execute(sa.select(*_USER_COLUMNS).where(arrays.among(_users.c.id, chunk))).all()
        procedure_rows: dict[int, list[Any]] = defaultdict(list)
        for row in db.session.execute(_procedures_with_checkins(arrays.among(_procedures.c.user_id, chunk))):
            procedure_rows[row.user_id].append(row)
        procedures: dict[int, list[ProcedureInput]] = defaultdict(list)
        checkins: dict[int, list[CheckIn]] = defaultdict(list)
        for user_id, rows in procedure_rows.items():
            _split_checkins(rows, procedures[user_id], checkins[user_id])
        products: dict[int, list[ProductInput]] = defaultdict(list)
        for row in db.session.execute(
            sa.select(*_PRODUCT_COLUMNS).where(arrays.among(_products.c.user_id, chunk), _products.c.is_active.is_(True))
            .order_by(_products.c.name, _products.c.id)
        ):
            products[row.user_id].append(product_input(row))
        for u in users:
            found[u.id] = EngineInputs(u, profile_of(u), tuple(procedures[u.id]), tuple(products[u.id]),
                                       tuple(checkins[u.id]))
    return found


def checkins_of_procedures(procedure_ids: Iterable[int]) -> tuple[CheckIn, ...]:
    """The skin check-ins of these procedures (rows the caller already scoped to a user), one
    query per ``ID_CHUNK`` procedures: for faces that resolve facts from procedure rows alone."""
    ids = sorted(set(procedure_ids))
    found: list[CheckIn] = []
    for start in range(0, len(ids), ID_CHUNK):
        for row in db.session.execute(
            sa.select(_checkins.c.procedure_id, _checkins.c.local_day, _checkins.c.answer)
            .where(arrays.among(_checkins.c.procedure_id, ids[start:start + ID_CHUNK]))
        ):
            found.append(CheckIn(row.procedure_id, row.local_day, CheckInAnswer(row.answer)))
    return tuple(found)


# -- Row → value converters (they read attributes, so ORM objects and Core rows both work) ----


def profile_of(user: Any) -> Profile:
    return Profile(
        timezone=user.timezone,
        serum_slot=Slot(user.serum_slot),
        safety=SafetyAnswers(
            active_cancer=user.active_cancer,
            active_skin_infection=user.active_skin_infection,
            pregnant=user.pregnant,
            breastfeeding=user.breastfeeding,
            skin_cancer_history=user.skin_cancer_history,
            isotretinoin_last_6_months=user.isotretinoin_last_6_months,
            dermatologist_approved=user.dermatologist_approved_at is not None,
        ),
    )


def procedure_input(row: Any) -> ProcedureInput:
    return ProcedureInput(
        id=row.id,
        kind=row.kind,
        date=row.performed_on,
        intensity=Intensity(row.intensity),
        overrides=Overrides(
            washout_days_before=row.washout_days_override,
            retinoid_days_after=row.retinoid_days_override,
            actives_days_after=row.actives_days_override,
            home_serum_from_day=row.home_serum_day_override,
        ),
        clinic=row.clinic or "",
        area=Area(row.area) if row.area else Area.FACE,
    )


def product_classification(row: Any) -> Classification:
    return _classify_cached(row.ingredients or "")


@functools.lru_cache(maxsize=2048)
def _classify_cached(text: str) -> Classification:
    """Every page, feed and email classifies the same few lists again: remember them.

    Keys are bounded by the product form (20,000 characters), so the cache stays small.
    """
    return classify(text)


def effective_classes(row: Any, detected: Classification | None = None) -> frozenset[ProductClass]:
    """The user's correction wins over detection; an exosome source marks an exosome serum."""
    if row.classes_override:
        return frozenset(ProductClass(c) for c in row.classes_override.split(",") if c)
    classes = set((detected or product_classification(row)).classes)
    if row.exosome_source:
        classes.add(ProductClass.EXOSOME)
        classes.discard(ProductClass.GENTLE)
    return frozenset(classes)


def cadence_of(row: Any) -> Cadence:
    weekdays = frozenset(int(d) for d in row.cadence_weekdays.split(",") if d.strip().isdigit())
    kind = CadenceKind(row.cadence_kind)
    every_n = 2 if kind is CadenceKind.EVERY_OTHER_DAY else max(1, row.cadence_every_n or 1)
    return Cadence(kind=kind, every_n_days=every_n, weekdays=weekdays, anchor=row.cadence_anchor)


#: The stored slot → the slots the engine gets (None: the engine chooses from the type).
SLOTS_STORED: dict[str | None, frozenset[Slot]] = {
    None: frozenset(), "": frozenset(), "morning": frozenset({Slot.MORNING}),
    "evening": frozenset({Slot.EVENING}), "both": frozenset(Slot),
}


def areas_of(stored: str | None) -> frozenset[Area]:
    """The stored comma-separated areas (the face when there are none)."""
    areas = frozenset(Area(a) for a in (stored or "").split(",") if a)
    return areas or DEFAULT_AREAS


def product_input(row: Any) -> ProductInput:
    detected = product_classification(row)
    classes = effective_classes(row, detected)
    return ProductInput(
        id=row.id,
        name=row.name,
        classes=classes,
        retinoid_strength=detected.retinoid_strength if ProductClass.RETINOID in classes else None,
        cadence=cadence_of(row),
        slots=SLOTS_STORED[row.slot],
        product_type=ProductType(row.product_type) if row.product_type else None,
        areas=areas_of(row.areas),
        exosome_source=ExosomeSource(row.exosome_source) if row.exosome_source else None,
        is_plated=row.is_plated,
        clinic_approved=bool(row.clinic_approved),
        ingredients=ingredient_keys(detected),
    )


def procedure_inputs(rows: Sequence[Any]) -> list[ProcedureInput]:
    return [procedure_input(r) for r in rows]
