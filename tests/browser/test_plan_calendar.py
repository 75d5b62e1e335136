"""The calendar in a real browser: microneedling shows its recovery band and keeps the retinoid away."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.support.browser import screenshot, sign_up

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


def test_microneedling_recovery_band_and_no_retinoid(page, live_server):
    sign_up(page, live_server)  # the browser context is in Europe/Berlin, and so is the new account
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

    # The month grid opens on today's month; the procedure two days ago may lie in the month
    # before (on the 1st and 2nd), so step back with the page's own link when it does.
    procedure_day = today - dt.timedelta(days=2)
    page.get_by_role("link", name="Month", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{today:%B %Y}")
    if procedure_day.month != today.month:
        page.get_by_role("link", name=re.compile(f"^← {procedure_day:%B}$")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{procedure_day:%B %Y}")
    procedure_cell = page.locator(f'a.cell-link[data-date="{procedure_day.isoformat()}"]')
    expect(procedure_cell).to_contain_text("Microneedling")
    if procedure_day.month != today.month:
        page.get_by_role("link", name="This month").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{today:%B %Y}")
    today_cell = page.locator(f'a.cell-link[data-date="{today.isoformat()}"]')
    expect(today_cell).to_contain_text("Recovery")
    expect(today_cell).to_contain_text("‖ Night Retinol")
    expect(today_cell).not_to_contain_text("◆ Night Retinol")
    screenshot(page, "plan-2-month-recovery")

    # Keyboard: arrows move between days, Enter opens the day with every decision explained.
    # The grid holds whole weeks of today's month; today may be its very last cell, so the
    # neighbour visited is tomorrow when the grid has it and yesterday otherwise.
    grid = [day for week in calendar.Calendar(firstweekday=0).monthdatescalendar(today.year, today.month) for day in week]
    there, back = ("ArrowRight", "ArrowLeft") if today != grid[-1] else ("ArrowLeft", "ArrowRight")
    neighbour = today + dt.timedelta(days=1 if there == "ArrowRight" else -1)
    today_cell.focus()
    page.keyboard.press(there)
    expect(page.locator(f'a.cell-link[data-date="{neighbour.isoformat()}"]')).to_be_focused()
    page.keyboard.press(back)
    expect(today_cell).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Every decision for this day")).to_be_visible()
    expect(page.locator(".pauses")).to_contain_text(re.compile(r"no retinoid: day 2 of \d+ after microneedling"))
    screenshot(page, "plan-3-day-explained")


def test_month_prints_without_navigation(page, live_server):
    sign_up(page, live_server)
    page.goto("/plan/month")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("table.month")).to_be_visible()
    screenshot(page, "plan-4-month-print")
