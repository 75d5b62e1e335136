"""The skin check-in in a real browser: "still peeling" twice on the day page extends the pause by two days."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from planner.core import catalog
from planner.core.model import Intensity, Overrides
from tests.browser.test_accessibility import audit
from tests.browser.test_plan_calendar import add_procedure, add_product
from tests.support.browser import screenshot, sign_up

pytestmark = pytest.mark.browser


def answer_still(page, day: dt.date) -> None:
    page.goto(f"/plan/day/{day.isoformat()}")
    question = page.locator("section.checkin")
    expect(question.get_by_role("heading")).to_have_text("Is your skin still red, peeling, stinging or broken?")
    question.get_by_role("button", name="Yes, still red or peeling").click()
    expect(page.locator(".flash-success")).to_contain_text("Noted: your skin is still red")
    expect(page.locator("section.checkin .checkin-answer")).to_contain_text("still red, peeling, stinging or broken")


def test_still_peeling_twice_extends_the_pause_by_two_days(page, live_server):
    sign_up(page, live_server)  # the browser context and the account are in Europe/Berlin
    today = dt.datetime.now(ZoneInfo("Europe/Berlin")).date()
    w = catalog.windows_for("microneedling", Intensity.STANDARD, Overrides())
    recovery = max(w.retinoid_days_after, w.actives_days_after)
    planned_end = today - dt.timedelta(days=1)  # the window's last day was yesterday
    add_product(page, "Night Retinol", "Aqua, Squalane, Glycerin, Retinol, Tocopherol, Phenoxyethanol")
    add_procedure(page, "Microneedling", planned_end - dt.timedelta(days=recovery))

    page.goto(f"/plan/day/{today.isoformat()}")
    expect(page.locator(".band-recovery")).to_have_count(0)  # the planned window is over

    answer_still(page, planned_end)  # yesterday, the window's last day: still peeling
    answer_still(page, today)  # the day it added asks again: still peeling
    assert audit(page, "desktop", "day-checkin") == []  # axe-core: the question and its buttons

    for extra, day in ((1, today), (2, today + dt.timedelta(days=1))):
        page.goto(f"/plan/day/{day.isoformat()}")
        total = recovery + 2
        expect(page.locator(".band-recovery")).to_contain_text(
            f"Recovery after microneedling (day {recovery + extra} of {total})")
        expect(page.locator(".pauses")).to_contain_text(re.compile(r"Night Retinol: no retinoid"))
        expect(page.locator(".day-notes")).to_contain_text("recovery extended: on ")
    screenshot(page, "checkin-2-extended-day")
    page.goto(f"/plan/day/{(today + dt.timedelta(days=2)).isoformat()}")
    expect(page.locator(".band-recovery")).to_have_count(0)
    expect(page.locator(".band-ramp")).to_have_count(1)  # the ramp begins after the extension
