"""The time rule, exhaustively: one reminder per local day, at the right instant, in every zone.

Pure functions only (no database): a simulated scheduler ticks every minute across each zone's
daylight-saving changes and a set plays the ledger's part.
"""

from __future__ import annotations

import datetime as dt

import pytest

from planner.planning.zones import zone
from planner.reminders.due import UTC, due_at, due_today, local_day, too_late
from tests.support.reminders import DST_CHANGES, at

MINUTE = dt.timedelta(minutes=1)


def simulate(zone_name: str, reminder: str, start: str, hours: int, step: dt.timedelta = MINUTE) -> dict:
    """Tick from ``start`` (UTC) for ``hours``; return {local day: first instant it was due}."""
    tz, reminder_time = zone(zone_name), dt.time.fromisoformat(reminder)
    sent: dict[dt.date, dt.datetime] = {}
    now = dt.datetime.fromisoformat(start).replace(tzinfo=UTC)
    end = now + dt.timedelta(hours=hours)
    while now < end:
        found = due_today(now, reminder_time, tz)
        if found is not None and found[0] not in sent:  # the ledger: one per local day
            sent[found[0]] = now
        now += step
    return sent




@pytest.mark.parametrize(("zone_name", "day", "reminder", "expected"), DST_CHANGES)
def test_due_at_follows_fold_zero(zone_name, day, reminder, expected):
    instant = due_at(dt.date.fromisoformat(day), dt.time.fromisoformat(reminder), zone(zone_name))
    assert instant == at(expected)


@pytest.mark.parametrize(("zone_name", "day", "reminder", "expected"), DST_CHANGES)
def test_exactly_once_per_day_across_the_change(zone_name, day, reminder, expected):
    change_day = dt.date.fromisoformat(day)
    start = dt.datetime.combine(change_day - dt.timedelta(days=2), dt.time(0))
    sent = simulate(zone_name, reminder, start.isoformat(), hours=24 * 4)
    # one reminder for each local day touched, none twice, and the change day's at the rule's instant
    assert change_day in sent
    assert sent[change_day] == at(expected)
    days = sorted(sent)
    assert days == [days[0] + dt.timedelta(days=i) for i in range(len(days))]
    for local, instant in sent.items():
        assert local_day(instant, zone(zone_name)) == local


@pytest.mark.parametrize("zone_name", ["America/New_York", "Europe/Berlin", "Asia/Kolkata", "Pacific/Auckland", "Pacific/Kiritimati"])
@pytest.mark.parametrize("reminder", ["00:00", "00:30", "01:00", "01:30", "02:00", "02:30", "03:00", "07:00", "23:45"])
def test_a_whole_year_every_quarter_hour(zone_name, reminder):
    """Every local day of 2026 gets exactly one reminder, never before its wall-clock time."""
    tz = zone(zone_name)
    sent = simulate(zone_name, reminder, "2025-12-30T00:00:00", hours=24 * 368, step=dt.timedelta(minutes=15))
    year = [d for d in sent if d.year == 2026]
    assert len(year) == 365
    reminder_time = dt.time.fromisoformat(reminder)
    started = dt.datetime(2025, 12, 30, tzinfo=UTC)
    for local, instant in sent.items():
        if due_at(local, reminder_time, tz) < started:
            continue  # already due when the simulated scheduler started: sent late, rightly
        wall = instant.astimezone(tz)
        assert wall.date() == local
        # sent at the first quarter-hour tick at or after the rule's instant
        assert dt.timedelta(0) <= instant - due_at(local, reminder_time, tz) < dt.timedelta(minutes=15)
        # never earlier than the chosen wall-clock time (a gap pushes it later, never earlier)
        assert wall.replace(tzinfo=None).time() >= reminder_time or wall.fold == 1


def test_the_last_minute_of_the_day_with_the_scheduler_interval():
    """A reminder at 23:59 is caught by the one-minute tick that falls in that minute."""
    sent = simulate("Europe/Berlin", "23:59", "2026-03-27T00:00:00", hours=24 * 4, step=dt.timedelta(seconds=60))
    assert sorted(sent) == [dt.date(2026, 3, 27), dt.date(2026, 3, 28), dt.date(2026, 3, 29), dt.date(2026, 3, 30)]


def test_the_late_rule_is_the_local_date():
    tz = zone("Pacific/Kiritimati")
    day = dt.date(2026, 3, 29)
    # 23:59 local on the 29th is still that day; a minute later it is too late
    assert not too_late(dt.datetime(2026, 3, 29, 9, 59, tzinfo=UTC), day, tz)
    assert too_late(dt.datetime(2026, 3, 29, 10, 0, tzinfo=UTC), day, tz)


def test_date_line_users_get_their_own_dates():
    """At one instant Kiritimati (UTC+14) and Pago Pago (UTC-11) are on different dates."""
    now = dt.datetime(2026, 3, 28, 17, 0, tzinfo=UTC)
    assert due_today(now, dt.time(7, 0), zone("Pacific/Kiritimati")) == (dt.date(2026, 3, 29), now)
    assert due_today(now, dt.time(6, 0), zone("Pacific/Pago_Pago")) == (dt.date(2026, 3, 28), now)
    assert due_today(now, dt.time(6, 1), zone("Pacific/Pago_Pago")) is None


@pytest.mark.parametrize(("zone_name", "skipped"), [
    ("Pacific/Apia", dt.date(2011, 12, 30)),  # Samoa crossed the date line
    ("Pacific/Kiritimati", dt.date(1994, 12, 31)),  # Kiribati moved to UTC+14
])
def test_a_date_that_never_happens_gets_no_reminder(zone_name, skipped):
    start = dt.datetime.combine(skipped - dt.timedelta(days=3), dt.time(0)).isoformat()
    sent = simulate(zone_name, "07:00", start, hours=24 * 6, step=dt.timedelta(minutes=10))
    assert skipped not in sent
    assert skipped - dt.timedelta(days=1) in sent and skipped + dt.timedelta(days=1) in sent


def test_unknown_zone_falls_back_to_utc():
    assert zone("Mars/Olympus_Mons").key == "UTC"
