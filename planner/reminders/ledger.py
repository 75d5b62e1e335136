"""The send ledger: one row per (user, local day, kind, channel), so each message goes out at most once.

A user gets one message a day (kind ``daily``) on each channel they chose (``email``, ``push``);
each snooze asked for from a message is one more row (``snooze1``, ``snooze2``) per channel.

A row's life: ``pending`` (due, nobody working on it) → ``sending`` (claimed by one dispatcher)
→ ``sent``; or ``failed`` (the mail server said "try later": retried at ``next_attempt_at``) or
``dropped`` (too late, switched off, refused for good, gave up, or outcome unknown — the reason
is in ``last_error``).

While a row is ``sending``, ``message_id`` tells how far its dispatcher got: NULL means the
message has not been handed to the mail server; set means it may have been. It is cleared at
every claim and committed before the message's data goes to the server. That is what lets the
claim of a dispatcher that died be recovered honestly, after REMINDER_CLAIM_TIMEOUT_SECONDS:

* never handed over → back to ``pending``, sent by the next run: nothing lost, nothing twice;
* handed over, no outcome recorded → the server may or may not have accepted it, and nothing
  can ask it. We choose **at most once**: the row is dropped, with the reason in ``last_error``.
  Before that, the next run on the same host replays the dead run's journal (journal.py): the
  answers the server gave are recorded as given, rows it never started are un-marked
  (``unmark``) and sent, so only the message in flight is left unknown. Without the journal
  (another host, a power loss) a crash leaves at most one hand-over group unknown. The same
  holds for a connection that breaks after the data went out but before the answer came back.
  A claim is stale after the timeout, or at once when its process is known to be gone (an
  earlier run of this process, or a process on this host that no longer exists).

Claims are one statement: ``WITH ready AS MATERIALIZED (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)
UPDATE … FROM ready … RETURNING …`` (see ``claim`` for why the CTE). On PostgreSQL two dispatchers skip each other's locked rows and get disjoint
batches; SQLite ignores the locking clause but runs each write statement alone, and the status
condition in the UPDATE makes a row claimable once. Every later write to a claimed row is
conditional on ``claimed_by``, so a dispatcher whose claim was recovered by another one cannot
send it again.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from planner.extensions import db
from planner.redact import scrub_error
from planner.storage import arrays
from planner.storage.models import ReminderSend


class ReminderKind(enum.StrEnum):
    """What a ledger row sends: the day's message, or that message again after a snooze."""

    DAILY = "daily"
    SNOOZE1 = "snooze1"
    SNOOZE2 = "snooze2"
    #: Separate notices before the daily message carried every change; kept to read old rows.
    WASHOUT = "washout"
    RECOVERY_END = "recovery_end"

    @property
    def is_legacy(self) -> bool:
        return self in (ReminderKind.WASHOUT, ReminderKind.RECOVERY_END)

    @property
    def snooze_number(self) -> int:
        """0 for the day's message, 1 or 2 for the message sent after the 1st or 2nd snooze."""
        return {ReminderKind.SNOOZE1: 1, ReminderKind.SNOOZE2: 2}.get(self, 0)


class Channel(enum.StrEnum):
    """Where a message goes; each channel has its own ledger row for the same message."""

    EMAIL = "email"
    PUSH = "push"


class SendStatus(enum.StrEnum):
    """A ledger row's life: pending → sending → sent, or failed (retried) → …, or dropped."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DROPPED = "dropped"


sends = ReminderSend.__table__
SNOOZES = (ReminderKind.SNOOZE1, ReminderKind.SNOOZE2)
OPEN_STATUSES = (SendStatus.PENDING, SendStatus.FAILED)
_INSERT_CHUNK = 500


@dataclass(frozen=True)
class DueReminder:
    user_id: int
    local_day: dt.date
    kind: ReminderKind
    due_at: dt.datetime
    channel: Channel = Channel.EMAIL
    #: Not before this instant (a snooze); None: as soon as claimed.
    not_before: dt.datetime | None = None


@dataclass(frozen=True)
class Claimed:
    id: int
    user_id: int
    local_day: dt.date
    kind: ReminderKind
    due_at: dt.datetime
    attempts: int
    channel: Channel = Channel.EMAIL


@dataclass(frozen=True)
class Outcome:
    """What happened to one claimed row; ``attempted`` counts it as a try of the mail server."""

    row_id: int
    status: SendStatus  # SENT, FAILED or DROPPED
    attempted: bool = True
    error: str | None = None
    next_attempt_at: dt.datetime | None = None
    sent_at: dt.datetime | None = None
    message_id: str | None = None


def existing_keys(user_ids: Sequence[int], days: Iterable[dt.date]) -> set[tuple[int, dt.date, str, str]]:
    """(user, day, kind, channel) of the ledger rows already there for these users and days."""
    found: set[tuple[int, dt.date, str, str]] = set()
    days = sorted(set(days))
    for start in range(0, len(user_ids), _INSERT_CHUNK):
        chunk = user_ids[start:start + _INSERT_CHUNK]
        rows = db.session.execute(
            sa.select(sends.c.user_id, sends.c.local_day, sends.c.kind, sends.c.channel)
            .where(arrays.among(sends.c.user_id, chunk), arrays.among(sends.c.local_day, days))
        )
        found.update((u, d, k, c) for u, d, k, c in rows)
    return found


_NEW_ROW_COLUMNS = ("user_id", "local_day", "kind", "channel", "status", "due_at", "attempts", "next_attempt_at")


@functools.cache
def _insert_new_only(dialect: str):
    """INSERT that skips rows already in the ledger (unique user, day, kind, channel).

    On PostgreSQL the rows come as one array per column (``INSERT … SELECT … FROM unnest(…)``):
    a 500-row multi-VALUES INSERT has 4,000 placeholders that psycopg would parse on every
    chunk (storage/arrays.py)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the app supports SQLite and PostgreSQL
        raise RuntimeError(f"the reminder ledger needs SQLite or PostgreSQL, not {dialect}")
    statement = insert(sends)
    if dialect == "postgresql":
        rows = arrays.unnested("incoming", **{name: sends.c[name].type for name in _NEW_ROW_COLUMNS})
        statement = insert(sends).from_select(list(_NEW_ROW_COLUMNS), sa.select(rows))
    return statement.on_conflict_do_nothing(index_elements=["user_id", "local_day", "kind", "channel"]).returning(sends.c.id)


def create(due: Sequence[DueReminder], *, commit: bool = True) -> int:
    """Insert a pending row per due reminder; rows already there (another dispatcher) are kept.

    ``commit=False`` leaves the rows to the caller's transaction (one per chunk of users)."""
    created = 0
    statement = _insert_new_only(db.engine.dialect.name)
    as_arrays = arrays.on_postgresql()
    for start in range(0, len(due), _INSERT_CHUNK):
        rows = [{"user_id": d.user_id, "local_day": d.local_day, "kind": d.kind, "channel": d.channel,
                 "status": SendStatus.PENDING, "due_at": d.due_at, "attempts": 0, "next_attempt_at": d.not_before}
                for d in due[start:start + _INSERT_CHUNK]]
        if as_arrays:
            enums = ("kind", "channel", "status")  # the enums' values, whatever psycopg makes of an Enum
            rows = arrays.unnest_values("incoming", **{
                name: [str(row[name]) if name in enums else row[name] for row in rows] for name in _NEW_ROW_COLUMNS})
        created += len(db.session.execute(statement, rows).all())
        if commit:
            db.session.commit()
    return created


def ready_at(now_at: dt.datetime) -> sa.ColumnElement[bool]:
    """Open rows whose time has come (a failed row waits for its retry, a snooze for its hour)."""
    return sa.and_(sends.c.status.in_(OPEN_STATUSES),
                   sa.or_(sends.c.next_attempt_at.is_(None), sends.c.next_attempt_at <= now_at))


def claim(worker: str, now_at: dt.datetime, limit: int) -> list[Claimed]:
    """Take up to ``limit`` open rows whose time has come, oldest due first, for this worker.

    On PostgreSQL the ready rows are picked in a ``MATERIALIZED`` CTE and joined to the UPDATE:
    written as ``WHERE id IN (subquery)``, the planner may turn it into a semi join that reruns
    the locking subquery per open row and claims every open row, not ``limit`` (seconds to
    minutes once the table holds a day of sent rows and its statistics lag). A materialized CTE
    runs once, so a claim costs its limit, and the partial index on open rows keeps it there.
    """
    ready = (
        sa.select(sends.c.id)
        .where(ready_at(now_at))
        .order_by(sends.c.due_at, sends.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = sa.update(sends).values(status=SendStatus.SENDING, claimed_by=worker, claimed_at=now_at, message_id=None)
    if db.engine.dialect.name == "postgresql":
        # Joined by primary key only: the CTE's row locks already re-checked each row's status,
        # and a status test here would let the planner scan every open row per claimed one.
        picked = ready.cte("ready").prefix_with("MATERIALIZED", dialect="postgresql")
        statement = statement.where(sends.c.id == picked.c.id)
    else:  # SQLite runs each write alone and has no such planner trap
        statement = statement.where(sends.c.id.in_(ready.scalar_subquery()), sends.c.status.in_(OPEN_STATUSES))
    claimed = db.session.execute(
        statement.returning(sends.c.id, sends.c.user_id, sends.c.local_day, sends.c.kind, sends.c.due_at, sends.c.attempts,
                            sends.c.channel)
    ).all()
    db.session.commit()
    return sorted((Claimed(row.id, row.user_id, row.local_day, ReminderKind(row.kind), row.due_at, row.attempts,
                           Channel(row.channel)) for row in claimed), key=lambda c: (c.due_at, c.id))


_record = (
    sa.update(sends)
    .where(sends.c.id == sa.bindparam("row_id"), sends.c.claimed_by == sa.bindparam("worker"),
           sends.c.status == SendStatus.SENDING)  # once: a journal replayed after a commit changes nothing
    .values(
        status=sa.bindparam("new_status"),
        attempts=sends.c.attempts + sa.bindparam("tried"),
        last_error=sa.func.coalesce(sa.bindparam("error", type_=sa.Text()), sends.c.last_error),
        next_attempt_at=sa.bindparam("next_at", type_=sends.c.next_attempt_at.type),
        sent_at=sa.bindparam("sent_at_", type_=sends.c.sent_at.type),
        message_id=sa.func.coalesce(sa.bindparam("mid", type_=sa.String()), sends.c.message_id),
    )
)


@functools.cache
def _recording():
    """``_record`` for a whole list in one statement on PostgreSQL: one array per field
    (``UPDATE … FROM unnest(…)``) instead of an UPDATE per row in a pipeline."""
    done = arrays.unnested("done", row_id=sends.c.id.type, new_status=sends.c.status.type, tried=sends.c.attempts.type,
                           error=sends.c.last_error.type, next_at=sends.c.next_attempt_at.type, sent_at=sends.c.sent_at.type,
                           mid=sends.c.message_id.type)
    return (
        sa.update(sends)
        .where(sends.c.id == done.c.row_id, sends.c.claimed_by == sa.bindparam("worker"),
               sends.c.status == SendStatus.SENDING)
        .values(
            status=done.c.new_status,
            attempts=sends.c.attempts + done.c.tried,
            last_error=sa.func.coalesce(done.c.error, sends.c.last_error),
            next_attempt_at=done.c.next_at,
            sent_at=done.c.sent_at,
            message_id=sa.func.coalesce(done.c.mid, sends.c.message_id),
        )
    )


def record(worker: str, outcomes: list[Outcome]) -> None:
    """Write finished rows (not committed: the caller commits, usually with a hand-over).

    Errors are scrubbed here, where they are stored: a mail server's refusal can echo the
    recipient's address, headers or a link with a token, none of which belong in the ledger.
    """
    if not outcomes:
        return
    rows = [{"row_id": o.row_id, "worker": worker, "new_status": str(o.status), "tried": int(o.attempted),
             "error": scrub_error(o.error), "next_at": o.next_attempt_at, "sent_at_": o.sent_at, "mid": o.message_id}
            for o in outcomes]
    if arrays.on_postgresql():
        columns = {"row_id": "row_id", "new_status": "new_status", "tried": "tried", "error": "error",
                   "next_at": "next_at", "sent_at": "sent_at_", "mid": "mid"}  # unnested column: row key
        db.session.execute(_recording(), {"worker": worker, **arrays.unnest_values(
            "done", **{name: [row[key] for row in rows] for name, key in columns.items()})})
    else:
        db.session.execute(_record, rows)
    outcomes.clear()


def commit_outcomes(worker: str, outcomes: list[Outcome]) -> None:
    record(worker, outcomes)
    db.session.commit()


@functools.cache
def _marking(dialect: str):
    """The hand-over's marks in one short statement whatever the group's size: ``UPDATE … FROM``
    rows of (id, message id) given as two arrays on PostgreSQL (storage/arrays.py) and as one
    JSON object on SQLite (``json_each``). Built once: a CASE of 64 ids cost more to build than
    the database spent running it."""
    if dialect == "postgresql":
        marks = arrays.unnested("marks", id=sends.c.id.type, message_id=sends.c.message_id.type)
        row_id, message_id = marks.c.id, marks.c.message_id
    else:
        marks = sa.func.json_each(sa.bindparam("marks", type_=sa.String())).table_valued("key", "value").alias("marks")
        row_id, message_id = sa.cast(marks.c.key, sa.Integer), marks.c.value
    return (
        sa.update(sends)
        .where(sends.c.id == row_id, sends.c.status == SendStatus.SENDING, sends.c.claimed_by == sa.bindparam("worker"))
        .values(message_id=message_id, claimed_at=sa.bindparam("now_at", type_=sends.c.claimed_at.type))
        .returning(sends.c.id)
    )


def hand_over(worker: str, outcomes: list[Outcome], message_ids: dict[int, str], now_at: dt.datetime) -> set[int]:
    """One commit: record finished rows, and mark the next group as about to go to the server.

    Returns the ids still held by this worker; a row missing from it was recovered as stale by
    another dispatcher and must not be sent. Outcomes are consumed from the list.
    """
    record(worker, outcomes)
    held: set[int] = set()
    if message_ids:
        dialect = db.engine.dialect.name
        marks = (arrays.unnest_values("marks", id=list(message_ids), message_id=list(message_ids.values()))
                 if dialect == "postgresql" else {"marks": json.dumps(message_ids)})
        held = set(db.session.scalars(_marking(dialect), {"worker": worker, "now_at": now_at, **marks}))
    db.session.commit()
    return held


def release(worker: str, row_ids: Sequence[int], *, handed_over: bool = False) -> None:
    """Give back claimed rows that never went to the server (a dispatcher stopping early).

    ``handed_over`` also releases rows marked as handed over: only for rows the caller knows it
    did not start.
    """
    if row_ids:
        condition = [arrays.among(sends.c.id, row_ids), sends.c.claimed_by == worker, sends.c.status == SendStatus.SENDING]
        if not handed_over:
            condition.append(sends.c.message_id.is_(None))
        db.session.execute(
            sa.update(sends).where(*condition).values(status=SendStatus.PENDING, claimed_by=None, claimed_at=None, message_id=None)
        )
    db.session.commit()


def unmark(worker: str, started: Sequence[int]) -> int:
    """A stopped worker's rows marked as handed over but never started (its journal says so) are
    not "maybe delivered": clear the mark, so recovery sends them. Returns how many."""
    condition = [sends.c.claimed_by == worker, sends.c.status == SendStatus.SENDING, sends.c.message_id.is_not(None)]
    if started:
        condition.append(sends.c.id.not_in(list(started)[:1000]))
    count = db.session.execute(sa.update(sends).where(*condition).values(message_id=None)).rowcount
    db.session.commit()
    return count


UNKNOWN_OUTCOME = (
    "outcome unknown: the dispatcher stopped after handing this message to the mail server and "
    "before recording its answer; not resent, so that it can never arrive twice"
)


def recover_stale(now_at: dt.datetime, timeout: dt.timedelta,
                  ended_here: tuple[str, frozenset[str]] | None = None,
                  gone: Callable[[str], bool] | None = None) -> tuple[int, int]:
    """Claims of a dispatcher that died: (re-queued, dropped).

    A claim older than ``timeout`` is stale. So is, at once, one of a run known to have ended:
    ``ended_here`` is (this process's worker prefix, its runs still in progress), and a claim
    with that prefix held by no running run was left by an earlier run of this very process;
    and one whose worker ``gone`` says no longer exists (a killed process on this host).
    """
    # Who holds claims at all (an index probe on status): usually nobody, and then nothing to do.
    claimers = db.session.scalars(sa.select(sends.c.claimed_by).where(sends.c.status == SendStatus.SENDING)
                                  .distinct()).all()
    if not claimers:
        return 0, 0
    is_stale = sends.c.claimed_at < now_at - timeout
    if gone is not None:
        dead = sorted(w for w in claimers if w and gone(w))[:1000]
        if dead:
            is_stale = sa.or_(is_stale, sends.c.claimed_by.in_(dead))
    if ended_here is not None:
        prefix, running = ended_here
        left_here = sa.and_(sends.c.claimed_by.startswith(prefix, autoescape=True),
                            sends.c.claimed_by.not_in(sorted(running)))
        is_stale = sa.or_(is_stale, left_here)
    stale = sa.and_(sends.c.status == SendStatus.SENDING, is_stale)
    requeued = db.session.execute(
        sa.update(sends).where(stale, sends.c.message_id.is_(None)).values(status=SendStatus.PENDING, claimed_by=None, claimed_at=None)
    ).rowcount
    dropped = db.session.execute(
        sa.update(sends).where(stale, sends.c.message_id.is_not(None))
        .values(status=SendStatus.DROPPED, attempts=sends.c.attempts + 1, last_error=UNKNOWN_OUTCOME)
    ).rowcount
    db.session.commit()
    return requeued, dropped
