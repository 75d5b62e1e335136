"""Which daily messages are due at an instant, from database state alone.

A run reads only the users whose stored next-due instant has come (next_due.py: an indexed
range scan, in chunks), works out their local date and message instant (reminders.due: fixed
time or some minutes before a routine, quiet hours, the holiday switch), keeps what has no
ledger row yet, and advances each user's instant to their next send time. A restart, a missed
run or a changed setting needs no special case: missed instants are in the past, and a change
resets the instant (next_due.watch).

A user who switched the day's steps off still gets the message on a day with a changeover they
kept (a washout starts, the procedure day, a recovery ends, a ramp begins). Here that is only
narrowed to days near one of their procedures (planning.facts_of_rows); the plan made when the
message is composed decides, so the message can never announce a change the plan does not show.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import sqlalchemy as sa

from planner.core import catalog
from planner.extensions import db
from planner.planning import facts_of_rows, zones
from planner.planning.inputs import checkins_of_procedures
from planner.reminders import due, ledger, next_due
from planner.reminders.ledger import Channel, DueReminder, ReminderKind
from planner.storage import arrays
from planner.storage.models import Procedure, User

_CHUNK = next_due.CHUNK
#: The ramp back starts within days of the recovery's end; a generous margin, decided by the plan.
_RAMP_MARGIN = dt.timedelta(days=3)

_users = User.__table__
_COLUMNS = (
    _users.c.id, _users.c.timezone, _users.c.reminder_time, _users.c.reminder_anchor, _users.c.reminder_lead_minutes,
    _users.c.morning_time, _users.c.evening_time, _users.c.quiet_start, _users.c.quiet_end,
    _users.c.reminders_paused_until, _users.c.remind_daily, _users.c.email_unsubscribed_at,
    _users.c.email_verified_at, _users.c.push_enabled,
    _users.c.remind_washout, _users.c.remind_procedure_day, _users.c.remind_recovery_end, _users.c.remind_ramp,
)
CHANGE_SWITCHES = ("remind_washout", "remind_procedure_day", "remind_recovery_end", "remind_ramp")


def email_wanted(user) -> bool:
    return user.email_unsubscribed_at is None and user.email_verified_at is not None


def channels_of(user) -> list[Channel]:
    """The channels a user's message goes to (both read from a users row or an ORM object)."""
    found = [Channel.EMAIL] if email_wanted(user) else []
    if user.push_enabled:
        found.append(Channel.PUSH)
    return found


def send_wall_time(user) -> dt.time:
    """The local wall time the user's message goes out, quiet hours applied."""
    wall = due.message_time(user.reminder_anchor, user.reminder_time, user.morning_time, user.evening_time,
                            user.reminder_lead_minutes)
    return due.outside_quiet_hours(wall, user.quiet_start, user.quiet_end)


def find_due(now_at: dt.datetime) -> list[DueReminder]:
    """Daily messages due at ``now_at`` that have no ledger row yet, oldest first (reads only)."""
    found = []
    for users in next_due.due_chunks(_COLUMNS, now_at, lock=False):
        found += _evaluate(users, now_at)[0]
    return sorted(found, key=lambda d: (d.due_at, d.user_id, d.channel))


def queue_due(now_at: dt.datetime) -> int:
    """Create the ledger rows of what is due at ``now_at`` and advance each user's instant.

    One transaction per chunk of users: their rows are locked while read (another scheduler
    reads the next chunk), their ledger rows inserted, their instants moved on. Returns how many
    ledger rows were created.
    """
    created = 0
    for users in next_due.due_chunks(_COLUMNS, now_at, lock=True):
        reminders, moves = _evaluate(users, now_at)
        created += ledger.create(sorted(reminders, key=lambda d: (d.due_at, d.user_id, d.channel)), commit=False)
        next_due.advance(moves)
        db.session.commit()
    return created


class Left(NamedTuple):
    """What a run that found nothing to claim may still find (``whats_left``)."""

    coming: bool  # a user due and not yet queued, or an open row ready to claim: claim again
    open_rows: int  # open ledger rows (pending, or failed and waiting for their retry), ready or not


def whats_left(now_at: dt.datetime, ready_at: dt.datetime) -> Left:
    """Whether a run whose claim came back empty may still find rows to send, and the open rows.

    Rows may still come while another scheduler queues users this run skipped (it holds them
    locked). It queues a chunk in one transaction — the ledger rows inserted, the users'
    instants moved on — and this is one statement, so one snapshot sees that chunk on one side
    or the other: a user still due, or a row open and ready. Asked in two statements ("still
    queueing?", then "anything to claim?") a chunk committed between them was seen on neither,
    and the run stopped and left that scheduler the whole peak. Rows the other scheduler has
    claimed are its own to send and do not count.

    "A user still due" is the first due instant by the index, ordered: asked as EXISTS,
    PostgreSQL may trust statistics from before the day's updates, expect many due users and
    scan the whole table for one (0.5 s at a million users, nobody due).
    """
    first_due = (sa.select(_users.c.next_due_at).where(_users.c.next_due_at <= now_at)
                 .order_by(_users.c.next_due_at).limit(1).scalar_subquery())
    due_users = first_due.is_not(None)
    ready = sa.exists().where(ledger.ready_at(ready_at))
    open_rows = sa.select(sa.func.count()).select_from(ledger.sends).where(
        ledger.sends.c.status.in_(ledger.OPEN_STATUSES)).scalar_subquery()
    coming, count = db.session.execute(sa.select(sa.or_(due_users, ready), open_rows)).one()
    return Left(bool(coming), int(count))


def _evaluate(users, now_at: dt.datetime) -> tuple[list[DueReminder], list[tuple[int, dt.datetime, dt.datetime | None]]]:
    """For a chunk of users read by due_chunks: (what is due without a ledger row, each user's move)."""
    instants: dict[tuple, tuple[dt.date, dt.datetime]] = {}
    due_users = []
    moves: list[tuple[int, dt.datetime, dt.datetime | None]] = []
    for user in users:
        if not next_due.wants_anything(user):
            moves.append((user.id, user.next_due_at, None))
            continue
        wall = send_wall_time(user)
        key = (user.timezone, wall)
        if key not in instants:
            tz = zones.zone(user.timezone)
            today = due.local_day(now_at, tz)
            instants[key] = (today, due.due_at(today, wall, tz))
        today, due_at = instants[key]
        if due_at > now_at:  # not yet today: look again at today's instant
            moves.append((user.id, user.next_due_at, due_at))
            continue
        moves.append((user.id, user.next_due_at, next_due.after_handling(user, wall, today)))
        if not due.paused(today, user.reminders_paused_until):
            due_users.append((user, today, due_at))
    if not due_users:
        return [], moves
    existing = ledger.existing_keys([u.id for u, _, _ in due_users], {d for _, d, _ in due_users})
    needs_changeover = {u.id: today for u, today, _ in due_users if not u.remind_daily}
    near = _near_a_procedure(needs_changeover) if needs_changeover else set()
    found = []
    for user, today, due_at in due_users:
        if not user.remind_daily and user.id not in near:
            continue
        for channel in channels_of(user):
            if (user.id, today, ReminderKind.DAILY, channel) not in existing:
                found.append(DueReminder(user.id, today, ReminderKind.DAILY, due_at, channel))
    return found, moves


def _near_a_procedure(wanted: dict[int, dt.date]) -> set[int]:
    """Users whose day falls between a procedure's washout start and its recovery end, as the skin
    check-ins extended it (+ the ramp's start)."""
    reach = dt.timedelta(days=catalog.MAX_OVERRIDE_DAYS + 1)
    earliest, latest = min(wanted.values()) - reach, max(wanted.values()) + reach
    user_ids = sorted(wanted)
    found: set[int] = set()
    table = Procedure.__table__
    for start in range(0, len(user_ids), _CHUNK):
        rows = db.session.execute(
            sa.select(table).where(
                arrays.among(table.c.user_id, user_ids[start:start + _CHUNK]),
                table.c.performed_on.between(earliest, latest),
            )
        ).all()
        owners = {row.id: row.user_id for row in rows}
        # "still red, peeling…" answers extend a recovery: its end (and the ramp after it) moves with them
        answers = checkins_of_procedures(owners) if rows else ()
        for facts in facts_of_rows(rows, answers):
            owner = owners[facts.id]
            if facts.washout_start <= wanted[owner] <= facts.recovery_end + _RAMP_MARGIN:
                found.add(owner)
    return found
