"""Aftercare in a real browser: after a fractional laser the day asks for sunscreen and shade for
the catalog's days, warns until a sunscreen is on the shelf, and gives concrete times."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from planner.core.catalog import get_kind
from planner.core.model import Intensity
from tests.support.browser import screenshot, sign_up

pytestmark = pytest.mark.browser
SUN_DAYS = get_kind("nonablative_fractional_laser").sun.values[Intensity.STANDARD]


def add_product(page, name: str, ingredients: str) -> None:
    page.goto("/products/new")
    page.get_by_label("Name").fill(name)
    page.get_by_label(re.compile("^Ingredients")).fill(ingredients)
    page.get_by_role("button", name="Add product").click()
    expect(page.get_by_role("heading", name=re.compile(re.escape(name)))).to_be_visible()


def test_fractional_laser_days_ask_for_sunscreen_and_warn_without_one(page, live_server):
    sign_up(page, live_server)  # the browser context is in Europe/Berlin, and so is the new account
    today = dt.datetime.now(ZoneInfo("Europe/Berlin")).date()
    laser_day = today - dt.timedelta(days=3)
    add_product(page, "Barrier Cream", "Aqua, Glycerin, Squalane, Ceramide NP")
    page.goto("/procedures/new")
    page.get_by_label("Procedure").select_option(label="Non-ablative fractional laser")
    page.get_by_label("Date").fill(laser_day.isoformat())
    page.get_by_role("button", name="Add procedure").click()
    expect(page.locator(".flash-success")).to_contain_text("Non-ablative fractional laser on")

    page.goto(f"/plan/day/{today.isoformat()}")
    card = page.locator("section.day-card")
    expect(card.get_by_role("heading", name="Aftercare")).to_be_visible()
    expect(card.locator(".aftercare-sun")).to_have_text(
        f"Sunscreen and no direct sun: day 3 of {SUN_DAYS} after non-ablative fractional laser. "
        "Broad-spectrum SPF 30+ every morning, reapplied every 2 hours outdoors; a hat and shade when you are out.")
    expect(card.locator(".aftercare-picking")).to_contain_text("Don't pick, scratch or peel flaking skin")
    warning = card.locator(".aftercare-warning")
    expect(warning).to_contain_text("You have no sunscreen on your shelf")
    screenshot(page, "aftercare-1-day-without-sunscreen")

    warning.get_by_role("link", name="Add a sunscreen").click()
    expect(page).to_have_url(re.compile(r"/products/new$"))
    add_product(page, "Daily Mineral SPF 50", "Aqua, Zinc Oxide, Glycerin")
    page.goto(f"/plan/day/{today.isoformat()}")
    expect(page.locator(".aftercare-sun")).to_contain_text(f"day 3 of {SUN_DAYS}")
    expect(page.locator(".aftercare-warning")).to_have_count(0)

    page.goto(f"/plan/day/{laser_day.isoformat()}")
    expect(page.locator(".aftercare-makeup")).to_contain_text("No makeup until tomorrow evening")
    screenshot(page, "aftercare-2-procedure-day")
    page.goto(f"/plan/day/{(laser_day + dt.timedelta(days=SUN_DAYS + 1)).isoformat()}")
    expect(page.locator(".aftercare-sun")).to_have_count(0)
