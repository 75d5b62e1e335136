"""Which reminders are due at an instant, from database state alone.

Every run looks at every user who wants email, works out their local date and reminder instant
(reminders.due), and keeps what has no ledger row yet. Nothing is remembered between runs, so a
restart, a missed run or a changed reminder time needs no special case. A washout or
recovery-end notice is due on the day the washout starts or the recovery band's last day, as
the engine's procedure facts give them (planning.facts_of_rows); the plan made when the message
is composed confirms it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
import sqlalchemy as sa

from planner.core import catalog
from planner.core.model import ProcedureFacts
from planner.extensions import db
from planner.planning import facts_of_rows, zones
from planner.reminders import due, ledger
from planner.reminders.ledger import DueReminder, ReminderKind
from planner.storage.models import Procedure, User

_CHUNK = 500


def find_due(now_at: dt.datetime) -> list[DueReminder]:
    """Reminders due at ``now_at`` that have no ledger row yet, oldest first."""
    users = db.session.execute(
        sa.select(
            User.id, User.timezone, User.reminder_time, User.remind_daily, User.remind_washout, User.remind_recovery_end
        ).where(
            User.email_unsubscribed_at.is_(None),
            User.email_verified_at.is_not(None),
            sa.or_(User.remind_daily, User.remind_washout, User.remind_recovery_end),
        )
    ).all()
    instants: dict[tuple[str, dt.time], tuple[dt.date, dt.datetime] | None] = {}
    due_users = []
    for user_id, zone_name, reminder_time, daily, washout, recovery_end in users:
        key = (zone_name, reminder_time)
        if key not in instants:
            instants[key] = due.due_today(now_at, reminder_time, zones.zone(zone_name))
        if instants[key] is not None:
            today, due_at = instants[key]
            kinds = [k for k, wanted in zip(ledger.KINDS, (daily, washout, recovery_end)) if wanted]
            due_users.append((user_id, today, due_at, kinds))
    if not due_users:
        return []
    existing = ledger.existing_keys([u[0] for u in due_users], {u[1] for u in due_users})
    found = []
    notice_users = {}
    for user_id, today, due_at, kinds in due_users:
        for kind in kinds:
            if (user_id, today, kind) in existing:
                continue
            if kind is ReminderKind.DAILY:
                found.append(DueReminder(user_id, today, kind, due_at))
            else:
                notice_users.setdefault(user_id, (today, due_at, set()))[2].add(kind)
    if notice_users:
        for user_id, kind in _notices(notice_users):
            today, due_at, _ = notice_users[user_id]
            found.append(DueReminder(user_id, today, kind, due_at))
    return sorted(found, key=lambda d: (d.due_at, d.user_id, ledger.KINDS.index(d.kind)))


def notice_days(facts: ProcedureFacts) -> dict[ReminderKind, dt.date]:
    """The local dates a procedure's washout notice and recovery-end notice are for."""
    days = {}
    if facts.has_washout:
        days[ReminderKind.WASHOUT] = facts.washout_start
    if facts.has_recovery:
        days[ReminderKind.RECOVERY_END] = facts.recovery_end
    return days


def _notices(wanted: dict[int, tuple[dt.date, dt.datetime, set[ReminderKind]]]) -> Iterable[tuple[int, ReminderKind]]:
    """(user, kind) for each wanted notice that a procedure makes due on the user's day."""
    days = [today for today, _, _ in wanted.values()]
    reach = dt.timedelta(days=catalog.MAX_OVERRIDE_DAYS + 1)
    earliest, latest = min(days) - reach, max(days) + reach
    user_ids = sorted(wanted)
    found: set[tuple[int, ReminderKind]] = set()
    table = Procedure.__table__
    for start in range(0, len(user_ids), _CHUNK):
        rows = db.session.execute(
            sa.select(table).where(
                table.c.user_id.in_(user_ids[start:start + _CHUNK]),
                table.c.performed_on.between(earliest, latest),
            )
        ).all()
        owners = {row.id: row.user_id for row in rows}
        for facts in facts_of_rows(rows):
            today, _, kinds = wanted[owners[facts.id]]
            for kind, day in notice_days(facts).items():
                if kind in kinds and day == today:
                    found.add((owners[facts.id], kind))
    return sorted(found)
