"""Browser helpers: a new person signs up and opens the confirmation email, as in real life."""

from __future__ import annotations

import email
import email.policy
import itertools
import re
from pathlib import Path

from playwright.sync_api import expect

from planner.accounts import emails

PASSWORD = "correct horse battery"
_emails = itertools.count(1)


def confirmation_link(live_server, address: str) -> str:
    """The confirmation link in the newest email to ``address`` in the live server's outbox."""
    emails.flush(live_server.app)
    found = []
    for path in Path(live_server.app.config["OUTBOX_PATH"]).glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address and "/account/confirm/" in message.get_body(("plain",)).get_content():
            found.append((path.stat().st_mtime_ns, message))
    assert found, f"no confirmation email to {address}"
    text = max(found, key=lambda item: item[0])[1].get_body(("plain",)).get_content()
    return re.search(r"https?://\S+(/account/confirm/\S+)", text).group(1)


def sign_up(page, live_server, address: str | None = None) -> str:
    """Sign up through the pages, open the emailed link and confirm: logged in on the profile page."""
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
