"""A new person in a real browser: sign up, set the time zone, record a procedure and a product."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.app import PASSWORD
from tests.support.browser import screenshot, sign_up

pytestmark = pytest.mark.browser


def test_sign_up_set_zone_add_procedure_and_product(page, live_server):
    sign_up(page, live_server)
    # The browser's zone (Europe/Berlin in this context) was preselected at sign-up.
    zone = page.get_by_label("Time zone")
    expect(zone).to_have_value("Europe/Berlin")
    zone.fill("America/New_York")
    page.get_by_label("In the morning").check()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    expect(page.get_by_label("Time zone")).to_have_value("America/New_York")
    screenshot(page, "onboarding-1-profile")

    page.get_by_role("link", name="Procedures").click()
    page.get_by_role("link", name="Add a procedure").click()
    page.get_by_label("Procedure").select_option(label="Microneedling")
    page.get_by_label("Date").fill("2026-03-12")
    page.get_by_label("Clinic").fill("Glow Clinic")
    page.get_by_role("button", name="Add procedure").click()
    expect(page.get_by_text("Microneedling on 12 March 2026 added.")).to_be_visible()
    expect(page.get_by_role("cell", name="Glow Clinic")).to_be_visible()
    screenshot(page, "onboarding-2-procedures")

    page.get_by_role("link", name="Products").click()
    page.get_by_role("link", name="Add a product").click()
    page.get_by_label("Name").fill("Night Retinol 0.3")
    page.get_by_label("Brand").fill("Acme")
    page.get_by_label(re.compile("^Ingredients")).fill("Aqua, Squalane, Glycerin, Retinol, Tocopherol, Phenoxyethanol")
    page.get_by_role("button", name="Add product").click()
    expect(page.get_by_role("heading", name=re.compile("Night Retinol 0.3"))).to_be_visible()
    expect(page.get_by_role("cell", name="Retinol", exact=True)).to_be_visible()
    page.get_by_role("link", name="Products").click()
    expect(page.get_by_role("link", name="Night Retinol 0.3")).to_be_visible()
    expect(page.get_by_text("retinoid", exact=True)).to_be_visible()
    screenshot(page, "onboarding-3-products")

    page.get_by_role("link", name="Procedures").click()
    expect(page.get_by_role("cell", name="Microneedling", exact=True)).to_be_visible()


def test_form_errors_for_bad_input_keep_what_was_typed(page, live_server):
    sign_up(page, live_server)
    page.goto("/procedures/new")
    # An impossible date typed into the form: the browser's date input cannot hold it,
    # so submit it the way a script or an old browser would, through the form itself.
    page.evaluate("document.getElementById('performed_on').type = 'text'")
    page.get_by_label("Date").fill("2026-02-30")
    page.get_by_label("Notes").fill("<script>window.hacked = 1</script>")
    page.get_by_role("button", name="Add procedure").click()
    expect(page.get_by_text("2026-02-30 is not a real date")).to_be_visible()
    expect(page.get_by_label("Date")).to_have_value("2026-02-30")
    expect(page.get_by_label("Notes")).to_have_value("<script>window.hacked = 1</script>")
    assert page.evaluate("window.hacked") is None
    screenshot(page, "errors-1-procedure")

    page.goto("/products/new")
    page.get_by_label("Brand").fill("No name brand")
    page.get_by_role("button", name="Add product").click()
    expect(page.get_by_text("Give the product a name.")).to_be_visible()
    expect(page.get_by_label("Brand")).to_have_value("No name brand")
    screenshot(page, "errors-2-product")

    page.goto("/settings/profile")
    page.get_by_label("Time zone").fill("Europe/Atlantis")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Unknown time zone")).to_be_visible()
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Atlantis")


def test_short_password_is_explained_and_a_taken_address_is_not_revealed(page, live_server):
    address = sign_up(page, live_server)
    page.get_by_role("button", name="Log out").click()
    page.goto("/signup")
    page.get_by_label("Email").fill(address.upper())
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Repeat password").fill("short")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("Use 10 to 200 characters.")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value(address.upper())
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()  # as for a new address
    expect(page.get_by_text("already exists")).to_have_count(0)
