"""Across each zone's daylight-saving change, a scheduler ticking every quarter hour delivers the
day's reminder to aiosmtpd exactly once, at the instant the rule says (see test_due.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.planning.zones import zone
from tests.support.reminders import DST_CHANGES, at, ledger_rows, routine_user, send_due

TICK = dt.timedelta(minutes=15)



@pytest.mark.parametrize(("zone_name", "day", "reminder", "expected"), DST_CHANGES)
def test_one_message_on_the_change_day(mail_app, smtp_server, factory, zone_name, day, reminder, expected):
    user = routine_user(factory, timezone=zone_name, reminder_time=reminder)
    local = dt.date.fromisoformat(day)
    tz = zone(zone_name)
    # from 03:00 the day before to 00:30 the day after, local time
    now = dt.datetime.combine(local - dt.timedelta(days=1), dt.time(3), tzinfo=tz).astimezone(dt.timezone.utc)
    end = dt.datetime.combine(local + dt.timedelta(days=1), dt.time(0, 30), tzinfo=tz).astimezone(dt.timezone.utc)
    while now <= end:
        send_due(mail_app, now)
        now += TICK
    rows = {r.local_day: r for r in ledger_rows(user_id=user.id)}
    assert set(rows) == {local - dt.timedelta(days=1), local}  # the day before, and the change day
    assert {r.status for r in rows.values()} == {"sent"}
    assert len(smtp_server.messages) == 2
    change = rows[local]
    assert change.due_at == at(expected)
    assert change.sent_at - at(expected) < TICK  # by the first tick at or after the instant
    subjects = [r.message["Subject"] for r in smtp_server.messages]
    assert subjects[1].startswith(f"Your routine for {local:%A} {local.day} {local:%B}")


def test_date_line_neighbours_each_get_their_own_date(mail_app, smtp_server, factory):
    east = routine_user(factory, email="kiritimati@example.com", timezone="Pacific/Kiritimati", reminder_time="07:00")
    west = routine_user(factory, email="pagopago@example.com", timezone="Pacific/Pago_Pago", reminder_time="06:00")
    send_due(mail_app, "2026-03-28T17:00:00Z")  # Sunday 07:00 in Kiritimati, Saturday 06:00 in Pago Pago
    days = {r.user_id: r.local_day for r in ledger_rows()}
    assert days == {east.id: dt.date(2026, 3, 29), west.id: dt.date(2026, 3, 28)}
    subjects = {r.rcpt_tos[0]: r.message["Subject"] for r in smtp_server.messages}
    assert subjects["kiritimati@example.com"].startswith("Your routine for Sunday 29 March")
    assert subjects["pagopago@example.com"].startswith("Your routine for Saturday 28 March")
    assert smtp_server.messages[0].message["Date"].endswith(("+1400", "-1100"))
