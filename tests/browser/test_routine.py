"""The whole routine in a real browser: a morning-and-evening moisturizer and a sunscreen make a
morning routine with the sunscreen last; laser hair removal on the legs leaves a facial retinol on
its nights. Dates are explicit, so the tests never depend on the day they run."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import screenshot, sign_up

pytestmark = pytest.mark.browser

SUNSCREEN = "Aqua, Homosalate, Octocrylene, Butyl Methoxydibenzoylmethane, Glycerin, Phenoxyethanol"
MOISTURIZER = "Aqua, Glycerin, Caprylic/Capric Triglyceride, Ceramide NP, Phenoxyethanol"
RETINOL = "Aqua, Squalane, Glycerin, Retinol, Tocopherol, Phenoxyethanol"


def add_product(page, name: str, ingredients: str, *, product_type: str | None = None, slot: str | None = None,
                areas: tuple[str, ...] = ()) -> None:
    page.goto("/products/new")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label(re.compile("^Ingredients")).fill(ingredients)
    if product_type:
        page.get_by_label("Type", exact=True).select_option(label=product_type)
    if slot:
        page.get_by_label("When you use it").select_option(label=slot)
    if areas:
        page.get_by_role("checkbox", name="Face", exact=True).uncheck()
        for area in areas:
            page.get_by_role("checkbox", name=re.compile(f"^{area}")).check()
    page.get_by_role("button", name="Add product").click()
    expect(page.get_by_role("heading", name=re.compile(re.escape(name)))).to_be_visible()


def morning_steps(page):
    return page.locator("h3.slot-morning + ol.steps .step-name, h2.slot-morning + ol.steps .step-name")


def evening_steps(page):
    return page.locator("h3.slot-evening + ol.steps .step-name, h2.slot-evening + ol.steps .step-name")


def test_a_morning_and_evening_moisturizer_and_a_sunscreen_make_a_morning_with_the_sunscreen_last(page, live_server):
    sign_up(page, live_server)
    add_product(page, "Barrier cream", MOISTURIZER, product_type="Moisturizer or cream", slot="Morning and evening")
    expect(page.locator(".product-slots")).to_contain_text("Morning and evening")
    add_product(page, "Day fluid", SUNSCREEN)  # a name that says nothing: its UV filters make it a sunscreen
    expect(page.locator(".product-type")).to_contain_text("Sunscreen")
    expect(page.get_by_text("UV filter: a sunscreen").first).to_be_visible()

    for day in ("2026-03-20", "2026-03-21", "2026-03-22"):
        page.goto(f"/plan/day/{day}")
        expect(morning_steps(page)).to_have_text(["Barrier cream", "Day fluid"])
        expect(evening_steps(page)).to_contain_text(["Barrier cream"])
    screenshot(page, "routine-1-morning")
    page.goto("/products/")
    expect(page.get_by_role("cell", name=re.compile("morning and evening, on face"))).to_be_visible()


def test_a_leg_laser_leaves_a_facial_retinol_on_its_nights(page, live_server):
    sign_up(page, live_server)
    add_product(page, "Night Retinol", RETINOL)
    add_product(page, "Leg lotion", "Aqua, Glycolic Acid, Glycerin, Phenoxyethanol", areas=("Body",))
    expect(page.locator(".product-areas")).to_have_text("Body")

    page.goto("/procedures/new")
    page.get_by_label("Procedure", exact=True).select_option(label="Laser hair removal")
    page.get_by_label("Date").fill("2026-03-12")
    page.get_by_label("Treated area").select_option(label="Body (arms, legs, back, belly)")
    page.get_by_role("button", name="Add procedure").click()
    expect(page.get_by_text("Laser hair removal on 12 March 2026 added.")).to_be_visible()

    page.goto("/plan/day/2026-03-14")
    expect(evening_steps(page)).to_contain_text(["Night Retinol"])
    expect(page.get_by_text(re.compile("no AHA on your body: day 2 of"))).to_be_visible()
    expect(page.get_by_text(re.compile("no retinoid"))).to_have_count(0)
    screenshot(page, "routine-2-leg-laser")
