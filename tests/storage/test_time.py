"""Time is hard: the user's own 'today', leap days, and both sides of the date line."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.core import schedule
from planner.core.model import ProcedureInput, ProductClass, ProductInput, Profile, StepRole
from planner.storage.models import User
from planner.planning import local_today
from planner.storage.types import UTCDateTime

UTC = dt.timezone.utc


@pytest.mark.parametrize(
    ("zone", "instant", "expected"),
    [
        # 10:30 UTC on 31 Dec is 00:30 on 1 Jan at UTC+14 and 23:30 on 30 Dec at UTC-11.
        ("Pacific/Kiritimati", dt.datetime(2026, 12, 31, 10, 30, tzinfo=UTC), dt.date(2027, 1, 1)),
        ("Pacific/Pago_Pago", dt.datetime(2026, 12, 31, 10, 30, tzinfo=UTC), dt.date(2026, 12, 30)),
        ("Asia/Kolkata", dt.datetime(2026, 3, 29, 18, 29, tzinfo=UTC), dt.date(2026, 3, 29)),
        ("Asia/Kolkata", dt.datetime(2026, 3, 29, 18, 30, tzinfo=UTC), dt.date(2026, 3, 30)),
        # Spring forward in Berlin: 01:00 UTC is 03:00 local, same date.
        ("Europe/Berlin", dt.datetime(2026, 3, 29, 1, 0, tzinfo=UTC), dt.date(2026, 3, 29)),
        # Fall back in New York: 06:30 UTC on 1 Nov is 01:30 EST, the second 01:30 of the day.
        ("America/New_York", dt.datetime(2026, 11, 1, 6, 30, tzinfo=UTC), dt.date(2026, 11, 1)),
        ("America/New_York", dt.datetime(2026, 11, 1, 3, 59, tzinfo=UTC), dt.date(2026, 10, 31)),
        # Leap day in Auckland begins while UTC is still on 28 Feb.
        ("Pacific/Auckland", dt.datetime(2028, 2, 28, 11, 0, tzinfo=UTC), dt.date(2028, 2, 29)),
    ],
)
def test_local_today_follows_the_users_zone(zone, instant, expected):
    assert local_today(User(timezone=zone), instant) == expected


def test_two_users_at_the_same_instant_see_different_weeks(client, factory, auth):
    """Week pages follow each user's zone: across the date line 'today' differs by two days."""
    east = factory.user(email="east@example.com", timezone="Pacific/Kiritimati")
    west = factory.user(email="west@example.com", timezone="Pacific/Pago_Pago")
    now = dt.datetime.now(UTC)
    assert (local_today(east, now) - local_today(west, now)).days in (1, 2)
    auth.login(east.email)
    east_page = client.get("/plan/").text
    auth.logout()
    auth.login(west.email)
    west_page = client.get("/plan/").text
    first_day = lambda page: page.split('class="day-card is-today')[1].split("</a>")[0]  # noqa: E731
    assert first_day(east_page) != first_day(west_page)


def test_leap_day_procedure_windows_cross_into_march():
    procedure = ProcedureInput(id=1, kind="microneedling", date=dt.date(2028, 2, 29))
    retinoid = ProductInput(id=1, name="Retinol", classes=frozenset({ProductClass.RETINOID}))
    plan = schedule.plan(Profile(), [procedure], [retinoid], dt.date(2028, 2, 20), dt.date(2028, 3, 20),
                         today=dt.date(2028, 2, 20))
    by_date = {d.date: d for d in plan.days}
    assert dt.date(2028, 2, 29) in by_date
    for day in (dt.date(2028, 2, 28), dt.date(2028, 2, 29), dt.date(2028, 3, 1), dt.date(2028, 3, 3)):
        assert not [s for s in by_date[day].steps if s.role is StepRole.EXFOLIANT], day
        assert any("retinoid" in p.reason for p in by_date[day].pauses), day
    assert "day 1 of" in by_date[dt.date(2028, 3, 1)].pauses[0].reason


def test_utc_column_refuses_naive_datetimes_and_returns_aware_utc():
    column = UTCDateTime()
    with pytest.raises(ValueError, match="naive"):
        column.process_bind_param(dt.datetime(2026, 1, 1, 12, 0), None)
    berlin = dt.datetime(2026, 7, 1, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    stored = column.process_bind_param(berlin, None)
    assert stored == dt.datetime(2026, 7, 1, 12, 0) and stored.tzinfo is None
    assert column.process_result_value(stored, None) == dt.datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
