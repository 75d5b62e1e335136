"""The calendar in a real browser: microneedling shows its recovery band and keeps the retinoid away."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.test_onboarding import sign_up
from tests.conftest import screenshot

pytestmark = pytest.mark.browser


def add_product(page, name: str, ingredients: str, exosome_source: str = "") -> None:
    page.goto("/products/new")
    page.get_by_label("Name").fill(name)
    page.get_by_label(re.compile("^Ingredients")).fill(ingredients)
    if exosome_source:
        page.get_by_label("Exosome source").select_option(exosome_source)
    page.get_by_role("button", name="Add product").click()
    expect(page.get_by_role("heading", name=re.compile(re.escape(name)))).to_be_visible()


def add_procedure(page, label: str, day: dt.date) -> None:
    page.goto("/procedures/new")
    page.get_by_label("Procedure").select_option(label=label)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_role("button", name="Add procedure").click()
    expect(page.locator(".flash-success")).to_contain_text(f"{label} on")


def test_microneedling_recovery_band_and_no_retinoid(page):
    sign_up(page)  # the browser context is in Europe/Berlin, and so is the new account
    today = dt.datetime.now(ZoneInfo("Europe/Berlin")).date()
    add_product(page, "Night Retinol", "Aqua, Squalane, Glycerin, Retinol, Tocopherol, Phenoxyethanol")
    add_product(page, "Glow Exosomes", "Water, Human Adipocyte Conditioned Media Extract, Glycerin", exosome_source="human")
    add_procedure(page, "Microneedling", today - dt.timedelta(days=2))

    page.get_by_role("link", name="This week").click()
    today_card = page.locator("li.day-card.is-today")
    expect(today_card.locator(".band-recovery")).to_contain_text("Recovery")
    expect(today_card.locator(".pauses")).to_contain_text(re.compile(r"no retinoid: day 2 of \d+ after microneedling"))
    expect(today_card.locator(".step-serum")).to_contain_text("Glow Exosomes")
    expect(today_card.locator(".step-exfoliant")).to_have_count(0)
    screenshot(page, "plan-1-week-recovery")

    # Mark today's serum done from the calendar.
    today_card.get_by_role("button", name=re.compile("^Done: Glow Exosomes")).click()
    expect(page.locator("li.day-card.is-today .status-done")).to_have_text("✓ done")

    # The procedure's own month: two days ago may be in last month's grid only (on 1 December
    # it is Sunday 29 November, outside December's Monday-first weeks).
    procedure_day = today - dt.timedelta(days=2)
    page.goto(f"/plan/month?month={procedure_day:%Y-%m}")
    procedure_cell = page.locator(f'a.cell-link[data-date="{procedure_day.isoformat()}"]')
    expect(procedure_cell).to_contain_text("Microneedling")
    page.get_by_role("link", name="Month", exact=True).click()
    today_cell = page.locator(f'a.cell-link[data-date="{today.isoformat()}"]')
    expect(today_cell).to_contain_text("Recovery")
    expect(today_cell).to_contain_text("‖ Night Retinol")
    expect(today_cell).not_to_contain_text("◆ Night Retinol")
    screenshot(page, "plan-2-month-recovery")

    # Keyboard: arrows move between days, Enter opens the day with every decision explained.
    today_cell.focus()
    page.keyboard.press("ArrowRight")
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    expect(page.locator(f'a.cell-link[data-date="{tomorrow}"]')).to_be_focused()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Every decision for this day")).to_be_visible()
    expect(page.locator(".pauses")).to_contain_text("no retinoid")
    screenshot(page, "plan-3-day-explained")


def test_month_prints_without_navigation(page):
    sign_up(page)
    page.goto("/plan/month")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("table.month")).to_be_visible()
    screenshot(page, "plan-4-month-print")
