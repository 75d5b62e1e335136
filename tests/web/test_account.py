"""Forgotten passwords by email, and deleting an account with everything in it."""

from __future__ import annotations

import re

import sqlalchemy as sa

from planner.extensions import db
from planner.storage.models import AdherenceMark, FeedToken, Procedure, Product, User
from tests.support.app import PASSWORD


def reset_link(smtp_server) -> str:
    (received,) = smtp_server.messages
    body = received.message.get_body(("plain",)).get_content()
    return re.search(r"http://afterglow\.test(/password/reset/\S+)", body).group(1)


def smtp_config(smtp_server) -> dict:
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_server.port, "SMTP_SECURITY": "none"}


def test_password_reset_by_email_works_once(app, client, user, smtp_server):
    app.config.update(smtp_config(smtp_server))
    response = client.post("/password/forgot", data={"email": "ADA@example.com"})
    assert response.status_code == 302
    path = reset_link(smtp_server)
    html = smtp_server.messages[0].message.get_body(("html",)).get_content()
    assert f'href="http://afterglow.test{path}"' in html and "60 minutes" in html
    assert smtp_server.messages[0].rcpt_tos == ["ada@example.com"]

    assert "Choose a new password" in client.get(path).text
    response = client.post(path, data={"password": "short", "confirm": "short"})
    assert "Use 10 to 200 characters" in response.text
    response = client.post(path, data={"password": "a brand new password", "confirm": "a brand new password"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password("a brand new password")
    # The link dies with the password it was made for.
    assert client.get(path).status_code == 404


def test_reset_request_reveals_nothing_about_unknown_addresses(app, client, user, smtp_server):
    app.config.update(smtp_config(smtp_server))
    known = client.post("/password/forgot", data={"email": user.email}, follow_redirects=True).text
    unknown = client.post("/password/forgot", data={"email": "nobody@example.com"}, follow_redirects=True).text
    assert "If an account uses that address" in known and "If an account uses that address" in unknown
    assert len(smtp_server.messages) == 1


def test_tampered_reset_link_is_refused(client, user):
    assert client.get("/password/reset/not-a-token").status_code == 404
    assert client.post("/password/reset/not-a-token", data={"password": "x" * 12, "confirm": "x" * 12}).status_code == 404
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(PASSWORD)


def test_delete_account_removes_everything_and_only_that(client, logged_in, factory):
    other = factory.user(email="bob@example.com")
    factory.product(other)
    factory.procedure(logged_in)
    factory.product(logged_in)
    client.post("/plan/day/2026-03-12/mark", data={"step": "serum", "status": "done"})
    client.post("/calendar/link")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AdherenceMark)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FeedToken)) == 1
    response = client.post("/account/delete", data={"password": "wrong", "understood": "y"})
    assert "not your password" in response.text
    response = client.post("/account/delete", data={"password": PASSWORD})
    assert "Tick the box" in response.text
    assert db.session.get(User, logged_in.id) is not None

    response = client.post("/account/delete", data={"password": PASSWORD, "understood": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(User.email)) == "bob@example.com"
    for model in (Procedure, AdherenceMark, FeedToken):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0, model
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Product)) == 1
    assert client.get("/plan/").status_code == 302  # logged out
