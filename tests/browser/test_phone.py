"""On a phone: today's coming routine first, ticked off with one thumb; a menu that keeps out
of the way; tables as cards; checkboxes beside their labels; a zone found by typing a city."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.site_tour import log_in, seed_tour
from tests.support.browser import sign_up
from tests.support.browser import screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
TAP = 44  # px: the smallest touch target for a main action


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, timezone_id="Europe/Berlin", viewport=PHONE,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_after_log_in_the_first_screen_is_todays_routine_to_tick_off(phone, live_server):
    tour = seed_tour(live_server)
    log_in(phone, tour.email)
    today = phone.get_by_role("region", name=re.compile("^Today"))
    expect(today).to_be_visible()
    expect(today.get_by_role("heading", level=2)).to_contain_text(f"{tour.today.day} {tour.today:%B %Y}")
    box = today.bounding_box()
    assert box["y"] < PHONE["height"] / 4, "today starts high on the first screen"
    # The week's own card for today is not repeated on a phone; the rest of the week follows.
    expect(phone.locator("li.day-card.is-today")).to_be_hidden()
    expect(phone.get_by_role("heading", name="The rest of the week")).to_be_visible()
    expect(phone.locator("li.day-card").nth(1)).to_be_visible()

    # One line says what is paused and why; every reason is one tap away.
    expect(today.locator(".pause-line")).to_contain_text(re.compile(r"Paused: .*Night Retinol.* — .*microneedling"))
    reasons = today.locator(".pause-reasons .pauses")
    expect(reasons).to_be_hidden()
    today.get_by_text("Why each is paused").click()
    expect(reasons).to_contain_text(re.compile(r"no retinoid: day 3 of \d+ after microneedling"))
    screenshot(phone, "phone-1-today-first")

    # Tick off the serum: large buttons, done → undo → skip.
    done = today.get_by_role("button", name=re.compile("^Done: Glow Exosomes"))
    expect(done).to_be_visible()
    size = done.bounding_box()
    assert size["height"] >= TAP and size["width"] >= TAP
    done.click()
    today = phone.get_by_role("region", name=re.compile("^Today"))
    expect(today.locator(".tick-item.is-done")).to_contain_text("✓ done")
    expect(phone.get_by_text(f"Marked done for {tour.today:%d %B}.")).to_be_visible()
    today.get_by_role("button", name=re.compile("^Undo mark: Glow Exosomes")).click()
    expect(phone.locator(".today-now .tick-item.is-done")).to_have_count(0)
    phone.locator(".today-now").get_by_role("button", name=re.compile("^Skip: Glow Exosomes")).click()
    expect(phone.locator(".today-now .tick-item.is-skipped")).to_contain_text("— skipped")
    screenshot(phone, "phone-2-today-skipped")


def test_desktop_keeps_the_week_with_today_unmistakable(page, live_server):
    tour = seed_tour(live_server)
    log_in(page, tour.email)
    expect(page.locator(".today-now")).to_be_hidden()
    today_card = page.locator("li.day-card.is-today")
    expect(today_card).to_be_visible()
    expect(today_card.locator(".today-label")).to_have_text("Today")
    assert page.evaluate("getComputedStyle(document.querySelector('li.day-card.is-today')).borderLeftWidth") == "3px"
    expect(page.locator("ol.week > li")).to_have_count(8)


def test_menu_button_discloses_the_links_by_keyboard_and_touch(phone, live_server):
    tour = seed_tour(live_server)
    log_in(phone, tour.email)
    header = phone.locator(".site-header").bounding_box()
    assert header["height"] <= 0.1 * PHONE["height"]
    menu = phone.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(phone.get_by_role("link", name="Procedures")).to_be_hidden()
    size = menu.bounding_box()
    assert size["height"] >= TAP and size["width"] >= TAP

    # Keyboard: Tab reaches the button (after the skip link and the brand), Enter opens, Escape closes.
    phone.keyboard.press("Tab")
    phone.keyboard.press("Tab")
    phone.keyboard.press("Tab")
    expect(menu).to_be_focused()
    phone.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    nav = phone.get_by_role("navigation", name="Main")
    for name in ("This week", "Month", "Procedures", "Products", "Calendar feed", "Profile"):
        link = nav.get_by_role("link", name=name)
        expect(link).to_be_visible()
        assert link.bounding_box()["height"] >= TAP
    expect(nav.get_by_role("link", name="This week")).to_have_attribute("aria-current", "page")
    screenshot(phone, "phone-3-menu-open")
    phone.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(nav).to_be_hidden()

    menu.tap()
    nav.get_by_role("link", name="Procedures").tap()
    expect(phone.get_by_role("heading", name="Your procedures")).to_be_visible()


def test_without_javascript_every_link_still_shows(browser, live_server):
    tour = seed_tour(live_server)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, tour.email)
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
        expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Procedures")).to_be_visible()
    finally:
        context.close()


def test_tables_become_cards_with_their_actions_on_screen(phone, live_server):
    tour = seed_tour(live_server)
    log_in(phone, tour.email)
    phone.goto("/procedures/")
    row = phone.locator("table.list tbody tr").first
    expect(row.locator("td[data-label=Date]")).to_be_visible()
    assert phone.evaluate("getComputedStyle(document.querySelector('table.list tbody tr')).display") == "block"
    for action in (row.get_by_role("link", name=re.compile("^Edit")), row.get_by_role("button", name="Delete")):
        box = action.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert box["height"] >= TAP
    screenshot(phone, "phone-4-procedures-cards")
    phone.goto("/products/")
    expect(phone.locator("table.list tbody tr").filter(has_text="Night Retinol").get_by_role("link", name="Night Retinol")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_checkboxes_sit_beside_their_labels_at_320px(browser, live_server):
    tour = seed_tour(live_server)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 568})
    page = context.new_page()
    try:
        log_in(page, tour.email)
        paths = dict(tour.private)
        for path in (paths["profile"], paths["calendar-feed"], paths["account-delete"]):
            page.goto(path)
            boxes = page.locator(".field.checkbox").all()
            assert boxes, path
            for field in boxes:
                box, label = field.locator("input").bounding_box(), field.locator("label").bounding_box()
                assert box["x"] + box["width"] <= label["x"], f"{path}: checkbox left of its label"
                assert abs(box["y"] - label["y"]) < 12, f"{path}: checkbox on the label's first line"
        screenshot(page, "phone-5-profile-320")
    finally:
        context.close()


def test_a_new_person_finds_their_zone_by_typing_their_city(phone, live_server):
    sign_up(phone, live_server)
    zone = phone.get_by_label("Time zone")
    expect(zone).to_have_attribute("aria-describedby", "timezone-hint")
    zone.fill("usa")
    phone.get_by_role("button", name="Save profile").click()
    expect(phone.locator("#timezone-error")).to_have_text(re.compile("United States has several time zones. Type your city instead"))
    expect(phone.get_by_label("Time zone")).to_have_attribute("aria-describedby", "timezone-hint timezone-error")
    phone.get_by_label("Time zone").fill("new york")
    phone.get_by_role("button", name="Save profile").click()
    expect(phone.get_by_text("Your time zone is America/New_York.")).to_be_visible()
    expect(phone.get_by_label("Time zone")).to_have_value("America/New_York")
