"""Snoozing the day's message from one of its links: send it again in an hour, or tonight.

A snooze is a ledger row of its own (kind ``snooze1`` / ``snooze2``, one per channel), inserted
with its time in ``next_attempt_at``, so the dispatcher sends it like any other row: exactly once,
however often the link is tapped, and the day's message can be snoozed at most twice (only the
message and the first snooze's message carry snooze links; see links.SnoozeLink).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from planner.extensions import db
from planner.links import SnoozeLink
from planner.planning import zones
from planner.reminders import due, ledger
from planner.reminders.candidates import channels_of
from planner.reminders.ledger import DueReminder

HOUR = dt.timedelta(hours=1)
#: "Tonight" is the evening routine; closer than this it is no later than "in 1 hour" anyway.
_TONIGHT_MARGIN = dt.timedelta(minutes=5)


class SnoozeRefused(Exception):
    """The snooze cannot be done; the message says why, in words for the person."""


@dataclass(frozen=True)
class Snooze:
    at: dt.datetime  # UTC
    local_time: str  # "20:30", in the user's zone
    created: bool  # False: this snooze was already asked for (the link tapped again)


def _local(at: dt.datetime, tz) -> dt.datetime:
    return at.astimezone(tz)


def when(user, choice: str, now_at: dt.datetime) -> dt.datetime:
    """The instant a snooze asked for at ``now_at`` goes out, or SnoozeRefused."""
    tz = zones.zone(user.timezone)
    today = due.local_day(now_at, tz)
    if choice == "hour":
        at = now_at + HOUR
    else:
        at = due.due_at(today, user.evening_time, tz)
        if at <= now_at + _TONIGHT_MARGIN:
            raise SnoozeRefused("Your evening routine time has passed: choose “in 1 hour” instead.")
    wall = _local(at, tz)
    quiet = due.outside_quiet_hours(wall.time().replace(second=0, microsecond=0), user.quiet_start, user.quiet_end)
    if quiet != wall.time().replace(second=0, microsecond=0):
        at = due.due_at(today, quiet, tz)
        if at <= now_at:
            raise SnoozeRefused("That falls in your quiet hours, which last past midnight.")
    if due.local_day(at, tz) != today:
        raise SnoozeRefused("That would be after today ends; tomorrow's message will come as usual.")
    return at


def existing(user_id: int, day: dt.date, kind: ledger.ReminderKind) -> dt.datetime | None:
    """The time of a snooze already asked for, if any."""
    sends = ledger.sends
    return db.session.scalar(
        sa.select(sa.func.coalesce(sends.c.next_attempt_at, sends.c.due_at))
        .where(sends.c.user_id == user_id, sends.c.local_day == day, sends.c.kind == kind).limit(1))


def request(user, link: SnoozeLink, choice: str, now_at: dt.datetime) -> Snooze:
    """Ask for the snooze a link names (idempotent), or SnoozeRefused."""
    tz = zones.zone(user.timezone)
    if link.day != due.local_day(now_at, tz):
        raise SnoozeRefused("This message was for an earlier day; there is nothing to snooze now.")
    kind = ledger.SNOOZES[link.number]
    already = existing(user.id, link.day, kind)
    if already is not None:
        return Snooze(already, _local(already, tz).strftime("%H:%M"), created=False)
    if due.paused(link.day, user.reminders_paused_until):
        raise SnoozeRefused("Your reminders are paused for a holiday.")
    channels = channels_of(user)
    if not channels:
        raise SnoozeRefused("Your reminders are switched off, so there is nothing to send again.")
    at = when(user, choice, now_at)
    ledger.create([DueReminder(user.id, link.day, kind, at, channel, not_before=at) for channel in channels])
    return Snooze(at, _local(at, tz).strftime("%H:%M"), created=True)


def preview(user, choice: str, now_at: dt.datetime) -> tuple[str | None, str | None]:
    """(local time, None) the snooze would go out at if asked now, or (None, why not)."""
    try:
        return _local(when(user, choice, now_at), zones.zone(user.timezone)).strftime("%H:%M"), None
    except SnoozeRefused as why:
        return None, str(why)
