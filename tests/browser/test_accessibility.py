"""Every page, read by axe-core and measured, at a desktop size, a phone size, 320 px and 200% zoom,
in the light and the dark theme.

axe-core comes bundled in the `axe-playwright-python` package (no download at run time). A
serious or critical violation on any page fails the test, with axe's own report of each.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.support.site_tour import log_in, seed_tour
from tests.support.browser import screenshot

pytestmark = pytest.mark.browser



@dataclass(frozen=True)
class Screen:
    width: int
    height: int
    scheme: str  # prefers-color-scheme
    run_axe: bool
    is_phone: bool  # the header must take at most 10% of the height


SCREENS = {
    "desktop": Screen(1280, 800, "light", run_axe=True, is_phone=False),
    "phone": Screen(390, 844, "light", run_axe=True, is_phone=True),
    "desktop-dark": Screen(1280, 800, "dark", run_axe=True, is_phone=False),
    "phone-dark": Screen(390, 844, "dark", run_axe=True, is_phone=True),
    "narrow-320": Screen(320, 568, "light", run_axe=False, is_phone=True),
    # A 1280×800 window zoomed to 200% lays pages out in 640×400 CSS pixels.
    "zoom-200": Screen(640, 400, "light", run_axe=False, is_phone=False),
}
FAILING_IMPACTS = ("serious", "critical")
TAP = 44  # px: the smallest touch target for a main action on a phone
#: Controls a thumb must hit (checkboxes and radios are hit through their whole label).
CONTROLS = "button, a.button, select, textarea, input:not([type=hidden]):not([type=checkbox]):not([type=radio])"
SMALL_CONTROLS = f"""Array.from(document.querySelectorAll("{CONTROLS}"))
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden")
  .map(el => [el.getBoundingClientRect(), el])
  .filter(([box]) => box.width < {TAP} || box.height < {TAP})
  .map(([box, el]) => `${{el.tagName.toLowerCase()}} "${{(el.innerText || el.name || el.id).trim()}}" ${{Math.round(box.width)}}×${{Math.round(box.height)}}`)"""
#: axe-core leaves these off by default; both are part of the bar (WCAG 2.5.3 and 2.5.8).
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "rules": {"label-content-name-mismatch": {"enabled": True}, "target-size": {"enabled": True}},
}
_axe = Axe()


def audit(page, screen_name: str, name: str) -> list[str]:
    """Problems on the current page: serious axe violations, sideways scrolling, and on a phone
    a header taller than 10% of the screen or a control smaller than a thumb."""
    screen = SCREENS[screen_name]
    problems = []
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if widths[0] > widths[1]:
        problems.append(f"{name} @ {screen_name}: scrolls sideways ({widths[0]} px content in {widths[1]} px)")
    header = page.locator(".site-header").bounding_box()
    if screen.is_phone and header["height"] > 0.1 * screen.height:
        problems.append(f"{name} @ {screen_name}: header takes {header['height']:.0f} of {screen.height} px")
    if screen.is_phone:
        for control in page.evaluate(SMALL_CONTROLS):
            problems.append(f"{name} @ {screen_name}: touch target smaller than {TAP}×{TAP} px: {control}")
    if screen.run_axe:
        results = _axe.run(page, options=AXE_OPTIONS)
        for violation in results.response["violations"]:
            if violation["impact"] in FAILING_IMPACTS:
                targets = "; ".join(", ".join(node["target"]) for node in violation["nodes"][:5])
                problems.append(f"{name} @ {screen_name}: {violation['id']} ({violation['impact']}) {violation['help']} — {targets}")
    screenshot(page, f"pages-{screen_name}-{name}")
    return problems


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_page_is_accessible_and_fits(browser, live_server, screen):
    size = SCREENS[screen]
    tour = seed_tour(live_server)
    context = browser.new_context(
        base_url=live_server.url, timezone_id="Europe/Berlin", viewport={"width": size.width, "height": size.height},
        color_scheme=size.scheme, is_mobile=size.is_phone, has_touch=size.is_phone,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    visited = 0
    try:
        for name, path in tour.public:
            page.goto(path)
            expect(page.locator("h1")).to_be_visible()
            problems += audit(page, screen, name)
            visited += 1
        # Forms showing their errors are pages too.
        page.goto("/signup")
        page.get_by_role("button", name="Sign up").click()
        expect(page.locator(".form-errors")).to_be_visible()
        problems += audit(page, screen, "sign-up-errors")
        log_in(page, tour.email)
        for name, path in tour.private:
            page.goto(path)
            expect(page.locator("h1")).to_be_visible()
            problems += audit(page, screen, name)
            visited += 1
        page.goto("/settings/profile")
        page.get_by_label("Time zone").fill("Atlantis")
        page.get_by_role("button", name="Save profile").click()
        expect(page.locator(".form-errors")).to_be_visible()
        problems += audit(page, screen, "profile-errors")
        page.goto("/products/new")
        page.get_by_role("button", name="Add product").click()
        expect(page.locator(".form-errors")).to_be_visible()
        problems += audit(page, screen, "product-errors")
    finally:
        context.close()
    assert visited == len(tour.public) + len(tour.private)
    assert not problems, "\n".join(problems)
