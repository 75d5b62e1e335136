"""The Content-Security-Policy in a real browser: the app's own scripts and styles run, nothing
is blocked, and an injected inline script would be."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import sign_up

pytestmark = pytest.mark.browser


def test_every_script_runs_under_the_policy_and_nothing_is_blocked(page, live_server):
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    sign_up(page, live_server)  # signup.js preselected the browser's zone at sign-up
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Berlin")

    page.get_by_label("Time zone").fill("America/New_York")  # profile.js offers the browser's zone back
    page.get_by_role("button", name="Save profile").click()
    page.get_by_role("button", name="Europe/Berlin").click()
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Berlin")

    page.goto("/products/new")  # product_form.js shows only the details of the chosen cadence
    expect(page.get_by_label("Every N days")).to_be_hidden()
    page.get_by_label("How often (for exfoliants)").select_option("every_n_days")
    expect(page.get_by_label("Every N days")).to_be_visible()

    page.goto("/calendar/")
    page.get_by_role("button", name="Create my calendar link").click()
    page.get_by_role("button", name="Copy").first.click()  # feed_page.js answers in its status line
    expect(page.locator(".copy-status").first).not_to_be_empty()
    assert page.evaluate("getComputedStyle(document.querySelector('.feed-link')).display") == "flex"  # app.css

    page.goto("/plan/")
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="Print").click()  # site.js
    assert page.evaluate("window.printed") == 1
    assert violations == []


def test_an_injected_inline_script_is_blocked(page, live_server):
    sign_up(page, live_server)
    page.goto("/plan/")
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    page.evaluate("""() => {
        const s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.body.appendChild(s);
    }""")
    assert page.evaluate("window.injected") is None
    assert any("script-src" in v for v in violations)
