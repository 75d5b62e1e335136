"""When the daily message goes: a fixed time or minutes before a routine, quiet hours, the holiday switch."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from planner.reminders.due import in_quiet_hours, message_time, outside_quiet_hours
from tests.support.reminders import ledger_rows, routine_user, send_due

T = dt.time.fromisoformat
AUCKLAND = ZoneInfo("Pacific/Auckland")


def test_message_time_before_a_routine():
    assert message_time("evening", T("07:00"), T("07:30"), T("21:00"), 30) == T("20:30")
    assert message_time("morning", T("07:00"), T("07:30"), T("21:00"), 45) == T("06:45")
    assert message_time("fixed", T("07:00"), T("07:30"), T("21:00"), 30) == T("07:00")
    assert message_time("morning", T("07:00"), T("00:10"), T("21:00"), 30) == T("00:00")  # never the day before


@pytest.mark.parametrize(("wall", "start", "end", "sent"), [
    ("06:30", "00:00", "07:00", "07:00"),  # waits for the end of quiet hours
    ("23:00", "22:00", "07:00", "21:59"),  # quiet past midnight: just before they begin instead
    ("05:00", "22:00", "07:00", "07:00"),
    ("21:00", "22:00", "07:00", "21:00"),  # outside: unchanged
    ("07:00", "22:00", "07:00", "07:00"),  # the end itself is not quiet
])
def test_quiet_hours(wall, start, end, sent):
    assert outside_quiet_hours(T(wall), T(start), T(end)) == T(sent)
    assert not in_quiet_hours(outside_quiet_hours(T(wall), T(start), T(end)), T(start), T(end))


@pytest.mark.parametrize("day", [
    "2026-04-04", "2026-04-05", "2026-04-06",  # NZDT → NZST (clocks back at 03:00 on the 5th)
    "2026-09-26", "2026-09-27", "2026-09-28",  # NZST → NZDT (clocks forward at 02:00 on the 27th)
])
def test_thirty_minutes_before_the_evening_routine_in_auckland_across_dst(mail_app, smtp_server, factory, day):
    routine_user(factory, timezone="Pacific/Auckland", reminder_anchor="evening", reminder_lead_minutes=30,
                 evening_time=T("21:00"))
    local = dt.datetime.combine(dt.date.fromisoformat(day), T("20:30"), tzinfo=AUCKLAND)
    instant = local.astimezone(dt.timezone.utc)
    assert send_due(mail_app, instant - dt.timedelta(minutes=1)).created == 0
    assert send_due(mail_app, instant).sent == 1
    [row] = ledger_rows()
    assert row.local_day == dt.date.fromisoformat(day)
    assert row.due_at.astimezone(AUCKLAND).time() == T("20:30")
    assert len(smtp_server.messages) == 1


def test_quiet_hours_hold_the_message_until_they_end(mail_app, smtp_server, factory):
    routine_user(factory, timezone="UTC", reminder_time="06:00", quiet_start=T("00:00"), quiet_end=T("07:30"))
    assert send_due(mail_app, "2026-03-16T07:29:00Z").created == 0
    assert send_due(mail_app, "2026-03-16T07:30:00Z").sent == 1


def test_holiday_switch_pauses_every_message_through_its_day(mail_app, smtp_server, factory):
    routine_user(factory, timezone="UTC", reminder_time="07:00", reminders_paused_until=dt.date(2026, 3, 17))
    assert send_due(mail_app, "2026-03-16T08:00:00Z").created == 0
    assert send_due(mail_app, "2026-03-17T08:00:00Z").created == 0
    assert send_due(mail_app, "2026-03-18T08:00:00Z").sent == 1
    assert [r.local_day for r in ledger_rows()] == [dt.date(2026, 3, 18)]


def test_a_holiday_set_after_the_row_was_made_drops_it(mail_app, smtp_server, factory):
    from planner.extensions import db

    user = routine_user(factory, timezone="UTC", reminder_time="07:00")
    smtp_server.handler.refuse = True
    send_due(mail_app, "2026-03-16T07:00:00Z")
    user.reminders_paused_until = dt.date(2026, 3, 20)
    db.session.commit()
    smtp_server.handler.refuse = False
    send_due(mail_app, "2026-03-16T07:05:00Z")
    [row] = ledger_rows()
    assert row.status == "dropped" and "holiday" in row.last_error
    assert smtp_server.messages == []


def test_profile_saves_timing_quiet_hours_and_holiday(client, logged_in):
    from planner.extensions import db

    form = {
        "timezone": "Pacific/Auckland", "serum_slot": "evening", "morning_time": "07:30", "evening_time": "21:00",
        "reminder_time": "07:00", "reminder_anchor": "evening", "reminder_lead_minutes": "30",
        "quiet_start": "22:00", "quiet_end": "07:00", "reminders_paused_until": "2026-12-24",
        "remind_daily": "y", "remind_ramp": "y", "emails_enabled": "y",
    }
    assert client.post("/settings/profile", data=form).status_code == 302
    db.session.refresh(logged_in)
    assert (logged_in.reminder_anchor, logged_in.reminder_lead_minutes) == ("evening", 30)
    assert (logged_in.quiet_start, logged_in.quiet_end) == (T("22:00"), T("07:00"))
    assert logged_in.reminders_paused_until == dt.date(2026, 12, 24)
    assert logged_in.remind_ramp and not logged_in.remind_washout and not logged_in.remind_procedure_day


@pytest.mark.parametrize(("field", "value", "message"), [
    ("reminder_lead_minutes", "9" * 400, "from 0 to 720"),
    ("reminder_anchor", "noon", "Choose a fixed time or a routine"),
    ("quiet_start", "22:00", "both ends"),
    ("reminders_paused_until", "next week", "Not a valid date"),
])
def test_profile_refuses_bad_timing_with_a_reason(client, logged_in, field, value, message):
    form = {"timezone": "UTC", "serum_slot": "evening", "morning_time": "07:30", "evening_time": "21:00",
            "reminder_time": "07:00", field: value}
    response = client.post("/settings/profile", data=form)
    assert response.status_code == 200
    assert message in response.text


def test_whitespace_only_holiday_date_means_none(client, logged_in):
    form = {"timezone": "UTC", "serum_slot": "evening", "morning_time": "07:30", "evening_time": "21:00",
            "reminder_time": "07:00", "reminders_paused_until": "   "}
    assert client.post("/settings/profile", data=form).status_code == 302


def test_the_profile_shows_the_message_settings(client, logged_in):
    page = client.get("/settings/profile").text
    for label in ("Daily message", "Before my evening routine", "Minutes before the routine", "When exfoliants start coming back",
                  "Quiet from", "Pause every reminder until", "Notifications on this device"):
        assert label in page
