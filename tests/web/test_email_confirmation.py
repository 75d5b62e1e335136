"""Confirming the email address: sent at sign-up, confirmed by a POST, and required for reminders."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from planner.extensions import db
from planner.reminders.candidates import find_due
from planner.storage.models import User
from tests.support.app import PASSWORD


def smtp_config(smtp_server) -> dict:
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_server.port, "SMTP_SECURITY": "none"}


def confirm_path(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(r"http://afterglow\.test(/account/confirm/\S+)", body).group(1)


def test_sign_up_sends_a_link_and_a_post_confirms(app, client, smtp_server):
    app.config.update(smtp_config(smtp_server))
    client.post("/signup", data={"email": "new@example.com", "password": PASSWORD, "confirm": PASSWORD, "timezone": "UTC"})
    user = db.session.scalar(sa.select(User))
    assert user.email_verified_at is None
    assert "Confirm your email to get reminders" in client.get("/settings/profile").text
    (received,) = smtp_server.messages
    assert received.rcpt_tos == ["new@example.com"]
    path = confirm_path(received.message)
    html = received.message.get_body(("html",)).get_content()
    assert f'href="http://afterglow.test{path}"' in html and "Confirm my email" in html

    anonymous = app.test_client()  # the link works in a browser with no session
    page = anonymous.get(path).text
    assert "Confirm my email" in page
    db.session.expire_all()
    assert db.session.get(User, user.id).email_verified_at is None  # a scanner's GET confirms nothing
    assert "Email confirmed" in anonymous.post(path).text
    db.session.expire_all()
    assert db.session.get(User, user.id).email_verified_at is not None
    assert "Confirm your email to get reminders" not in client.get("/settings/profile").text


def test_tampered_or_foreign_links_are_refused(client, factory):
    assert client.get("/account/confirm/garbage").status_code == 404
    assert client.post("/account/confirm/garbage").status_code == 404


def test_resend_is_throttled(app, client, smtp_server, factory, auth):
    app.config.update(smtp_config(smtp_server))
    user = factory.user(email="late@example.com", email_verified_at=None)
    auth.login(user.email)
    for _ in range(10):
        client.post("/account/confirm/resend")
    assert len(smtp_server.messages) == 10
    response = client.post("/account/confirm/resend", follow_redirects=True)
    assert "Wait" in response.text
    assert len(smtp_server.messages) == 10


def test_no_reminder_goes_to_an_unconfirmed_address(factory):
    factory.user(email="confirmed@example.com", timezone="UTC", reminder_time=dt.time(7, 0))
    factory.user(email="unconfirmed@example.com", timezone="UTC", reminder_time=dt.time(7, 0), email_verified_at=None)
    due = find_due(dt.datetime(2026, 3, 16, 7, 5, tzinfo=dt.timezone.utc))
    user_ids = {reminder.user_id for reminder in due}
    confirmed = db.session.scalar(sa.select(User.id).where(User.email == "confirmed@example.com"))
    assert user_ids == {confirmed}
