"""Confirming the email address: sent at sign-up, confirmed (and logged in) by a POST, required for reminders."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from planner.extensions import db
from planner.reminders.candidates import find_due
from planner.storage.models import User
from tests.support.accounts import delivered, html_of, link_path, sign_up, smtp_config


def test_sign_up_sends_a_link_and_a_post_confirms_and_logs_in_once(app, client, smtp_server):
    app.config.update(smtp_config(smtp_server))
    sign_up(client, email="new@example.com")
    user = db.session.scalar(sa.select(User))
    assert user.email_verified_at is None
    [received] = delivered(app, smtp_server)
    assert received.rcpt_tos == ["new@example.com"]
    path = link_path(received, "/account/confirm/")
    assert f'href="http://afterglow.test{path}"' in html_of(received) and "Confirm my email" in html_of(received)
    assert "new@example.com" not in path  # the address is bound by a hash, never written in the URL

    browser = app.test_client()  # the link works in a browser with no session
    page = browser.get(path).text
    assert "Confirm my email" in page
    db.session.expire_all()
    assert db.session.get(User, user.id).email_verified_at is None  # a scanner's GET confirms nothing
    response = browser.post(path)
    assert response.status_code == 302 and response.headers["Location"].endswith("/settings/profile")
    assert "is confirmed and you are logged in" in browser.get("/settings/profile").text
    db.session.expire_all()
    assert db.session.get(User, user.id).email_verified_at is not None

    again = app.test_client()  # a second use confirms nothing new and logs nobody in
    assert "Email confirmed" in again.post(path).text
    assert again.get("/plan/").status_code == 302


def test_tampered_or_foreign_links_are_refused(client, factory):
    assert client.get("/account/confirm/garbage").status_code == 404
    assert client.post("/account/confirm/garbage").status_code == 404


def test_resend_answers_the_same_and_is_limited_per_address_and_hour(app, client, smtp_server, factory):
    app.config.update(smtp_config(smtp_server))
    factory.user(email="late@example.com", email_verified_at=None)
    for email in ("late@example.com", "nobody@example.com"):
        response = client.post("/account/confirm/resend", data={"email": email}, follow_redirects=True)
        assert f"If {email} is waiting for confirmation, we sent it a new link." in response.text
    assert [m.rcpt_tos for m in delivered(app, smtp_server)] == [["late@example.com"]]
    for _ in range(2):
        client.post("/account/confirm/resend", data={"email": "late@example.com"})
    response = client.post("/account/confirm/resend", data={"email": "late@example.com"}, follow_redirects=True)
    assert "We sent several emails to late@example.com in the last hour" in response.text
    assert len(delivered(app, smtp_server)) == 3


def test_no_reminder_goes_to_an_unconfirmed_address(factory):
    factory.user(email="confirmed@example.com", timezone="UTC", reminder_time=dt.time(7, 0))
    factory.user(email="unconfirmed@example.com", timezone="UTC", reminder_time=dt.time(7, 0), email_verified_at=None)
    due = find_due(dt.datetime(2026, 3, 16, 7, 5, tzinfo=dt.timezone.utc))
    user_ids = {reminder.user_id for reminder in due}
    confirmed = db.session.scalar(sa.select(User.id).where(User.email == "confirmed@example.com"))
    assert user_ids == {confirmed}
