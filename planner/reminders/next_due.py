"""Each user's next-due instant, stored and indexed, so a dispatch run reads only who is due.

Without it every run (every minute) had to read every user who gets a message and work out
their local time: 2.7 s and 552 MiB at a million users with nobody due, and over 90 s late in
the day. ``users.next_due_at`` (UTC, indexed) holds the earliest instant at which a run must
look at a user again, and a run reads ``WHERE next_due_at <= now`` — an index range scan that
returns nothing in an idle minute and exactly the users due in a busy one.

Why one instant per user, not per channel or kind: every channel of a user goes at the same
wall time (the day's message), and snoozes are ledger rows with their own ``not_before``, so a
second column would only repeat the first.

The rule that keeps it correct: **the stored instant is never later than the true next instant
a message may be due.** A run then misses nobody; an instant that is too early only costs one
extra look (the ledger, unique per user, day, kind and channel, stops a second copy). So:

* a run that handles a user advances the instant to the next local day's send time (or the
  day after a holiday pause ends), computed with ``reminders.due`` — the same fold=0 rule as
  sending, so a spring-forward gap and a fall-back repeat each give one instant, and a date-line
  zone is just another offset; a user not yet due today gets today's instant; a user with no
  channel or no part switched on gets NULL (nothing until a setting changes);
* any change of what decides the instant — zone, reminder time, anchor, lead, routine times,
  quiet hours, pause, the parts switched on, unsubscribe, address confirmation, push — resets
  it to ``EVALUATE`` (a fixed instant in the past) in the same flush (``watch``, an ORM
  ``before_update`` hook, so every face — pages, API, email links — is covered), and the next
  run recomputes it. Changes that can only make a user *less* due (push switched off by the
  push service's 410) may leave the old instant: at worst one extra look;
* procedures and products do not move the instant: the message goes at the same wall time
  whatever the plan says, and a user who only wants changeover notices is looked at daily at
  that time, where the plan decides (candidates.py). So editing a shelf costs nothing here;
* a new tz database can move any zone's offsets: the scheduler (and send-due), once per process,
  compares the tz database version with the newest one the database has seen (``dispatch_state``) and, on a newer one,
  resets every instant to ``EVALUATE`` once (``reset_on_new_tzdata``); the next runs recompute
  them chunk by chunk;
* after downtime the instants of the missed minutes are simply in the past, so the first run
  back reads them and sends today's reminders once, late (never a previous day's: due.py).

Existing users are backfilled with ``EVALUATE`` by the migration (0011_next_due), and new ones
get it as the column default: computing instants in a migration would need the app's zone
rules there, while the first run after the upgrade reads every user once (the old per-run cost,
once) and from then on only who is due.

Runs read users in chunks of ``CHUNK`` ids (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two
schedulers split the reading of a peak minute instead of both doing it), and every statement
carries at most ``CHUNK`` ids: no query grows with the batch.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import sqlalchemy as sa

from planner.extensions import db
from planner.planning import zones
from planner.reminders import due
from planner.storage import arrays
from planner.storage.models import NEXT_DUE_EVALUATE, DispatchState, User

log = logging.getLogger(__name__)

UTC = dt.timezone.utc
#: "Look at this user at the next run": before any instant a run is ever asked about.
EVALUATE = NEXT_DUE_EVALUATE
#: Ids per statement: well under every database's parameter limit (SQLite 32,766; PostgreSQL 65,535).
CHUNK = 1000
TZDATA_KEY = "tzdata_version"

#: The columns that decide when a user's message goes (a change to any resets the instant).
DECIDING_COLUMNS = (
    "timezone", "reminder_time", "reminder_anchor", "reminder_lead_minutes", "morning_time", "evening_time",
    "quiet_start", "quiet_end", "reminders_paused_until", "remind_daily", "remind_washout", "remind_procedure_day",
    "remind_recovery_end", "remind_ramp", "push_enabled", "email_unsubscribed_at", "email_verified_at",
)
PART_SWITCHES = ("remind_daily", "remind_washout", "remind_procedure_day", "remind_recovery_end", "remind_ramp")

_users = User.__table__


# -- the instant --------------------------------------------------------------------------------


def wants_anything(user) -> bool:
    """Some channel (confirmed, subscribed email; or push) and some part of the message switched on."""
    from planner.reminders.candidates import channels_of

    return bool(channels_of(user)) and any(getattr(user, name) for name in PART_SWITCHES)


def after_handling(user, wall: dt.time, today: dt.date) -> dt.datetime:
    """The instant to look at a user again once ``today``'s message was handled.

    The next local day's send time, or the first day after a holiday pause. A local date that
    does not exist (Samoa's 30 December 2011) yields an instant on the day after it, which is
    still never later than that day's own send time.
    """
    tz = zones.zone(user.timezone)
    day = today + dt.timedelta(days=1)
    if user.reminders_paused_until is not None and day <= user.reminders_paused_until:
        day = user.reminders_paused_until + dt.timedelta(days=1)
    return due.due_at(day, wall, tz)


# -- reading the due users ----------------------------------------------------------------------


def due_chunks(columns: Iterable[sa.ColumnElement], now_at: dt.datetime, *, lock: bool) -> Iterator[list[sa.Row]]:
    """Users whose next-due instant has come, ``CHUNK`` at a time, earliest first.

    Pages by (next_due_at, id), so a chunk the caller advanced (or did not) is never read twice.
    With ``lock`` each chunk is locked until the caller commits (``FOR UPDATE SKIP LOCKED`` on
    PostgreSQL: another scheduler takes the next chunk instead of waiting for this one).
    """
    after: tuple[dt.datetime, int] | None = None
    key = sa.tuple_(_users.c.next_due_at, _users.c.id)
    while True:
        query = (sa.select(*columns, _users.c.next_due_at).where(_users.c.next_due_at <= now_at)
                 .order_by(_users.c.next_due_at, _users.c.id).limit(CHUNK))
        if after is not None:
            query = query.where(key > sa.tuple_(sa.literal(after[0], User.next_due_at.type), sa.literal(after[1])))
        if lock:
            query = query.with_for_update(skip_locked=True, of=_users)
        rows = db.session.execute(query).all()
        if not rows:
            return
        after = (rows[-1].next_due_at, rows[-1].id)
        yield rows
        if len(rows) < CHUNK:  # that was the last of them: no query to find nothing
            return


def advance(moves: Iterable[tuple[int, dt.datetime, dt.datetime | None]]) -> int:
    """Store new instants: (user id, the instant read, the new one). Not committed.

    Conditional on the instant read, so a setting changed meanwhile (reset to EVALUATE) wins.
    Users sharing a move (the same zone and wall time) go in one statement of ≤ CHUNK ids.
    """
    groups: dict[tuple, list[int]] = defaultdict(list)
    for user_id, read, new in moves:
        groups[(read, new)].append(user_id)
    changed = 0
    for (read, new), ids in groups.items():
        for start in range(0, len(ids), CHUNK):
            changed += db.session.execute(
                sa.update(_users).where(arrays.among(_users.c.id, ids[start:start + CHUNK]), _users.c.next_due_at == read)
                .values(next_due_at=new)
            ).rowcount
    return changed


# -- keeping it honest --------------------------------------------------------------------------


def _reset_when_deciding_columns_change(mapper, connection, target: User) -> None:
    state = sa.inspect(target)
    if any(state.attrs[name].history.has_changes() for name in DECIDING_COLUMNS):
        target.next_due_at = EVALUATE


def watch() -> None:
    """Reset a user's instant whenever the ORM saves a change to a deciding column (idempotent)."""
    if not sa.event.contains(User, "before_update", _reset_when_deciding_columns_change):
        sa.event.listen(User, "before_update", _reset_when_deciding_columns_change)


def tzdata_version() -> str:
    """The IANA version of the tz database zoneinfo reads ("2025b"), or "" when it cannot tell.

    Python reads the system's zone files (zoneinfo.TZPATH) first and the ``tzdata`` package after.
    """
    for folder in zoneinfo.TZPATH:
        try:
            first = (Path(folder) / "tzdata.zi").read_text(encoding="ascii", errors="replace").split("\n", 1)[0]
        except OSError:
            continue
        if first.startswith("# version "):
            return first.removeprefix("# version ").strip()
    try:
        import tzdata

        return str(tzdata.IANA_VERSION)
    except (ImportError, AttributeError):
        return ""


_checked: set[str] = set()


def check_tzdata_once() -> None:
    """reset_on_new_tzdata once per process and database: a new tz database arrives with a
    restart (zoneinfo keeps the zones it loaded), so the scheduler and send-due check at start."""
    key = db.engine.url.render_as_string(hide_password=True)
    if key not in _checked:
        reset_on_new_tzdata()
        _checked.add(key)


def reset_on_new_tzdata(version: str | None = None) -> bool:
    """Once per new tz database: every stored instant back to EVALUATE. True when it reset.

    Only a newer version resets ("2025b" > "2025a" > "2024b": IANA versions sort as text), so
    two schedulers mid-upgrade with different versions do not reset each other in turn.
    """
    version = tzdata_version() if version is None else version
    if not version:
        return False
    table = DispatchState.__table__
    current = sa.select(table.c.value).where(table.c.key == TZDATA_KEY)
    stored = db.session.scalar(current)
    if stored is not None and stored >= version:
        return False
    if stored is None:  # the first scheduler to get here creates the row; the others find it
        if db.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        db.session.execute(insert(table).values(key=TZDATA_KEY, value="").on_conflict_do_nothing())
    stored = db.session.scalar(current.with_for_update())  # one scheduler resets; the other sees it done
    if stored >= version:
        db.session.rollback()
        return False
    db.session.execute(sa.update(table).where(table.c.key == TZDATA_KEY).values(value=version))
    db.session.execute(sa.update(_users).where(_users.c.next_due_at.is_not(None)).values(next_due_at=EVALUATE))
    db.session.commit()
    log.info("Time zone database %s (was %s): every reminder's next instant will be recomputed", version,
             stored or "not recorded")
    return True

