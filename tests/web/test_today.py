"""Today first: the coming routine is chosen from a pinned instant in the user's own zone."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from flask_login import login_user

from planner.core.model import DayPlan, Marker, MarkerKind, Pause, ProductClass, Slot, Step, StepRole
from planner.web.plan import render_week
from planner.web.today import coming_slot, pause_line, today_view
from tests.web.test_plan import EXOSOME, RETINOL

BERLIN = ZoneInfo("Europe/Berlin")
DAY = dt.date(2026, 3, 14)
SERUM = Step(1, "Glow Exosomes", Slot.EVENING, StepRole.SERUM, 1)
CREAM = Step(2, "Day Cream", Slot.MORNING, StepRole.LAYER, 1)
RETINOID_PAUSE = Pause(3, "Night Retinol", ProductClass.RETINOID, "no retinoid: day 2 of 8 after microneedling on 12 March", 7)
RECOVERY = Marker(MarkerKind.RECOVERY, 7, "Recovery after microneedling (day 2 of 3)", 2, 3)


@pytest.mark.parametrize(
    ("clock", "slot"),
    [(dt.time(0, 5), Slot.MORNING), (dt.time(7, 30), Slot.MORNING), (dt.time(11, 59), Slot.MORNING),
     (dt.time(12, 0), Slot.EVENING), (dt.time(21, 0), Slot.EVENING), (dt.time(23, 59), Slot.EVENING)],
)
def test_the_coming_routine_turns_at_midday(clock, slot):
    assert coming_slot(clock) is slot


def test_morning_shows_the_morning_first_and_the_evening_as_later():
    day = DayPlan(DAY, steps=(CREAM, SERUM))
    view = today_view(day, dt.datetime(2026, 3, 14, 8, 0, tzinfo=BERLIN))
    assert (view.slot, view.steps) == (Slot.MORNING, (CREAM,))
    assert (view.other_slot, view.other_steps, view.other_is_later) == (Slot.EVENING, (SERUM,), True)
    assert view.markers == () and view.pause_line == ""


def test_evening_shows_the_evening_first_and_the_morning_as_earlier():
    day = DayPlan(DAY, steps=(CREAM, SERUM))
    view = today_view(day, dt.datetime(2026, 3, 14, 18, 30, tzinfo=BERLIN))
    assert (view.slot, view.steps) == (Slot.EVENING, (SERUM,))
    assert (view.other_slot, view.other_is_later) == (Slot.MORNING, False)


def test_a_morning_with_nothing_to_apply_shows_the_evening():
    view = today_view(DayPlan(DAY, steps=(SERUM,)), dt.datetime(2026, 3, 14, 7, 0, tzinfo=BERLIN))
    assert (view.slot, view.steps, view.other_steps) == (Slot.EVENING, (SERUM,), ())


def test_the_plan_must_be_for_the_local_date_of_the_instant():
    with pytest.raises(ValueError, match="2026-03-14"):
        today_view(DayPlan(DAY), dt.datetime(2026, 3, 15, 7, 0, tzinfo=BERLIN))


def test_pause_line_names_the_products_and_the_window():
    day = DayPlan(DAY, pauses=(RETINOID_PAUSE,), markers=(RECOVERY,))
    assert pause_line(day) == "Paused: Night Retinol — Recovery after microneedling (day 2 of 3)"
    assert pause_line(DayPlan(DAY, pauses=(RETINOID_PAUSE,))) == f"Paused: Night Retinol — {RETINOID_PAUSE.reason}"
    assert pause_line(DayPlan(DAY)) == ""


def _week_html(app, user, now: dt.datetime) -> str:
    with app.test_request_context("/plan/"):
        login_user(user)
        return render_week(now)


def _today_section(html: str) -> str:
    return html.split('<section class="today-now"')[1].split("</section>")[0]


def test_week_page_opens_on_the_coming_routine_in_the_users_zone(app, factory):
    user = factory.user(serum_slot="morning")
    factory.product(user, name="Glow Exosomes", ingredients=EXOSOME, exosome_source="human")
    factory.product(user, name="Night Retinol", ingredients=RETINOL)
    morning = _today_section(_week_html(app, user, dt.datetime(2026, 3, 14, 7, 0, tzinfo=dt.timezone.utc)))  # 08:00 Berlin
    assert "Saturday 14 March 2026" in morning
    assert re.search(r"Morning routine\s*<small>at 07:30", morning)
    assert "Glow Exosomes" in morning.split("Later today")[0]
    assert 'action="/plan/day/2026-03-14/mark"' in morning and 'name="status" value="done"' in morning
    assert "Night Retinol" in morning.split("Later today")[1]
    evening = _today_section(_week_html(app, user, dt.datetime(2026, 3, 14, 18, 0, tzinfo=dt.timezone.utc)))  # 19:00 Berlin
    assert re.search(r"Evening routine\s*<small>at 21:00", evening)
    assert "Night Retinol" in evening.split("Earlier today")[0]
    assert "Glow Exosomes" in evening.split("Earlier today")[1]


def test_today_is_the_users_local_date_across_the_date_line(app, factory):
    user = factory.user(timezone="Pacific/Kiritimati")
    factory.product(user, name="Glow Exosomes", ingredients=EXOSOME, exosome_source="human")
    html = _week_html(app, user, dt.datetime(2026, 3, 14, 20, 0, tzinfo=dt.timezone.utc))  # 10:00 on the 15th there
    assert "Sunday 15 March 2026" in _today_section(html)
    assert 'action="/plan/day/2026-03-15/mark"' in _today_section(html)


def test_today_says_what_is_paused_in_one_line_with_every_reason_a_tap_away(app, factory):
    user = factory.user()
    factory.procedure(user, kind="microneedling", performed_on=dt.date(2026, 3, 12))
    factory.product(user, name="Glow Exosomes", ingredients=EXOSOME, exosome_source="human")
    factory.product(user, name="Night Retinol", ingredients=RETINOL)
    today = _today_section(_week_html(app, user, dt.datetime(2026, 3, 14, 19, 0, tzinfo=dt.timezone.utc)))
    assert re.search(r'<p class="pause-line">.*Paused: Night Retinol — Recovery after microneedling \(day 2 of \d+\)', today)
    assert re.search(r'class="band band-recovery".*Recovery after microneedling \(day 2 of \d+\)', today, re.S)
    reasons = today.split("<details")[1].split("</details>")[0]
    assert "<summary>Why each is paused</summary>" in reasons
    assert re.search(r"no retinoid: day 2 of \d+ after microneedling", reasons)


def test_marking_from_today_returns_to_the_week(client, logged_in, factory):
    factory.product(logged_in, name="Glow Exosomes", ingredients=EXOSOME, exosome_source="human")
    day = dt.date(2026, 3, 14)
    response = client.post(f"/plan/day/{day.isoformat()}/mark", data={"step": "serum", "status": "done", "next": "/plan/"})
    assert response.status_code == 302 and response.headers["Location"] == "/plan/"
