"""Helpers for account tests: account emails from the real SMTP sink, and the links in them."""

from __future__ import annotations

import re

from planner.accounts import emails
from tests.support.smtp import Received, SmtpSink

BASE = "http://afterglow.test"


def smtp_config(sink: SmtpSink) -> dict:
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": sink.port, "SMTP_SECURITY": "none"}


def delivered(app, sink: SmtpSink) -> list[Received]:
    """What the sink received once every queued account email of ``app`` went out."""
    emails.flush(app)
    return sink.messages


def text_of(received: Received) -> str:
    return received.message.get_body(("plain",)).get_content()


def html_of(received: Received) -> str:
    return received.message.get_body(("html",)).get_content()


def link_path(received: Received, prefix: str) -> str:
    """The path of the first link under ``prefix`` in the message's text part."""
    return re.search(re.escape(BASE) + "(" + re.escape(prefix) + r"\S*)", text_of(received)).group(1)


def sign_up(client, email: str = "new@example.com", password: str = "correct horse battery", timezone: str = "UTC"):
    return client.post("/signup", data={"email": email, "password": password, "confirm": password, "timezone": timezone})


def confirm_by_link(app, client, sink: SmtpSink, email: str) -> None:
    """Open the confirmation email sent to ``email`` and press its button: confirmed and logged in."""
    [received] = [m for m in delivered(app, sink) if m.rcpt_tos == [email] and "Confirm" in str(m.message["Subject"])]
    response = client.post(link_path(received, "/account/confirm/"))
    assert response.status_code == 302, response.text


