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
