"""Browser helpers: named screenshots for review, and signing up the way a person does
(sign up, open the emailed confirmation link, press its button)."""

from __future__ import annotations

import email
import email.policy
import itertools
import re
from pathlib import Path

from playwright.sync_api import expect

from planner.accounts import emails
from tests.support.app import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

_emails = itertools.count(1)


def screenshot(page, name: str) -> None:
    """Save a named screenshot in the middle of a browser test."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def confirmation_link(live_server, address: str) -> str:
    """The confirmation link in the newest email to ``address`` in the live server's outbox."""
    emails.flush(live_server.app)
    found = []
    for path in Path(live_server.app.config["OUTBOX_PATH"]).rglob("*.eml"):  # filed per user
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address and "/account/confirm/" in message.get_body(("plain",)).get_content():
            found.append((path.stat().st_mtime_ns, message))
    assert found, f"no confirmation email to {address}"
    text = max(found, key=lambda item: item[0])[1].get_body(("plain",)).get_content()
    return re.search(r"https?://\S+(/account/confirm/\S+)", text).group(1)


def sign_up(page, live_server, address: str | None = None) -> str:
    """Sign up through the landing page, open the emailed link and confirm: logged in on the profile
    page; the new account takes the browser context's zone."""
    address = address or f"person{next(_emails)}@example.com"
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Email").fill(address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    page.goto(confirmation_link(live_server, address))
    page.get_by_role("button", name="Confirm my email").click()
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    return address
