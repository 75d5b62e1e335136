"""When a reminder is due, from the user's own calendar day and wall-clock time.

Cron-style triggers run on wall-clock time, so a time inside the spring-forward gap never fires
and one inside the fall-back fold can fire twice. Here the question is only ever "for the
user's local date today, has the reminder instant passed?", and the send ledger remembers the
answer per date:

* the instant is ``datetime.combine(day, reminder_time, tzinfo=zone)`` with ``fold=0``
  (PEP 495). For a time that does not exist (02:30 on a spring-forward day) that is the offset
  in force before the change, which lands the same distance after it: 02:30 becomes 03:30, sent
  once. For a time that happens twice (01:30 on a fall-back day) it is the first occurrence;
  the ledger row keeps the second from sending again;
* a reminder is due from that instant until the user's local date changes; a missed one goes
  out late the same day and is never sent on a later day;
* a local date that never happens (Samoa skipped 30 December 2011) simply gets no reminder.

Pure functions over plain values: no Flask, no database.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

UTC = dt.timezone.utc


def local_day(now_at: dt.datetime, tz: ZoneInfo) -> dt.date:
    """The user's calendar date at an instant."""
    return now_at.astimezone(tz).date()


def due_at(day: dt.date, reminder_time: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The UTC instant of ``reminder_time`` on ``day`` in ``tz`` (fold=0: see the module doc)."""
    wall = dt.datetime.combine(day, reminder_time.replace(tzinfo=None, fold=0), tzinfo=tz)
    return wall.astimezone(UTC)


def due_today(now_at: dt.datetime, reminder_time: dt.time, tz: ZoneInfo) -> tuple[dt.date, dt.datetime] | None:
    """(local date, due instant) when the reminder for the user's current date is due, else None."""
    today = local_day(now_at, tz)
    instant = due_at(today, reminder_time, tz)
    return (today, instant) if instant <= now_at else None


def too_late(now_at: dt.datetime, day: dt.date, tz: ZoneInfo) -> bool:
    """A reminder for ``day`` that has not gone out by the end of that local date is dropped."""
    return local_day(now_at, tz) > day


# -- the wall time of a user's daily message ------------------------------------------------------

#: How a user's message time is set: a fixed local time, or some minutes before a routine.
ANCHORS = ("fixed", "morning", "evening")
MAX_LEAD_MINUTES = 12 * 60


def message_time(anchor: str, reminder_time: dt.time, morning_time: dt.time, evening_time: dt.time,
                 lead_minutes: int) -> dt.time:
    """The local wall time of the day's message, before quiet hours.

    "30 minutes before the evening routine" is wall-clock arithmetic (21:00 → 20:30) done before
    the time is placed in the zone, so it is 20:30 local on both sides of a DST change. A lead
    that would reach back into the previous day stops at midnight.
    """
    if anchor not in ("morning", "evening"):
        return reminder_time
    routine = morning_time if anchor == "morning" else evening_time
    minutes = routine.hour * 60 + routine.minute - max(0, int(lead_minutes))
    minutes = max(0, minutes)
    return dt.time(minutes // 60, minutes % 60)


def in_quiet_hours(wall: dt.time, quiet_start: dt.time | None, quiet_end: dt.time | None) -> bool:
    """Whether a wall time falls inside quiet hours [start, end), which may wrap midnight."""
    if quiet_start is None or quiet_end is None or quiet_start == quiet_end:
        return False
    if quiet_start < quiet_end:
        return quiet_start <= wall < quiet_end
    return wall >= quiet_start or wall < quiet_end


def outside_quiet_hours(wall: dt.time, quiet_start: dt.time | None, quiet_end: dt.time | None) -> dt.time:
    """The wall time a message due at ``wall`` goes out, given quiet hours.

    Inside quiet hours it waits for their end, when that is still the same local day (quiet
    hours 00:00-07:00, due 06:30 → 07:00). Quiet hours that run past midnight (22:00-07:00)
    would push a 23:00 message into the next day, whose own message it would collide with:
    it goes out the minute before they begin instead (21:59), so the day's message is never lost.
    """
    if not in_quiet_hours(wall, quiet_start, quiet_end):
        return wall
    if quiet_start < quiet_end or wall < quiet_end:
        return quiet_end
    minutes = max(0, quiet_start.hour * 60 + quiet_start.minute - 1)
    return dt.time(minutes // 60, minutes % 60)


def paused(day: dt.date, paused_until: dt.date | None) -> bool:
    """The holiday switch: nothing goes out on days up to and including ``paused_until``."""
    return paused_until is not None and day <= paused_until
