"""Browser helpers: named screenshots for review, and signing up the way a person does."""

from __future__ import annotations

import itertools
from pathlib import Path

from playwright.sync_api import expect

from tests.support.app import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

_emails = itertools.count(1)


def screenshot(page, name: str) -> None:
    """Save a named screenshot in the middle of a browser test."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_up(page, email: str | None = None) -> str:
    """Sign up through the landing page; the new account takes the browser context's zone."""
    email = email or f"person{next(_emails)}@example.com"
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    return email
