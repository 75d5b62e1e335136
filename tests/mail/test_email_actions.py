"""The one-click links of a received reminder, followed with the test client: no login, no CSRF token."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
import sqlalchemy as sa

from planner.core.model import StepRole
from planner.extensions import db
from planner.links import Links
from planner.storage.models import AdherenceMark, User
from planner.planning import plan_for
from planner.storage.adherence import step_key
from tests.support.reminders import ledger_rows, routine_user, send_due, text_of

MONDAY = "2026-03-16T06:00:00Z"
DAY = dt.date(2026, 3, 16)
BASE = "http://afterglow.test"


@pytest.fixture
def csrf_on(app):
    """CSRF protection as in production: the links must work without a token anyway."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.fixture
def ada(factory):
    user = routine_user(factory, email="ada@example.com")
    factory.procedure(user, kind="microneedling", performed_on=dt.date(2026, 3, 20))
    return user


def links_in(message) -> dict[str, str]:
    """The day and unsubscribe links of a received message, as paths for the test client."""
    text = text_of(message)
    urls = re.findall(r"http://afterglow\.test/email/\S+", text)
    found = {}
    for url in urls:
        path = url[len(BASE):]
        if "/email/day/" in path:
            key = path.rsplit("/", 1)[-1]
        elif "/email/snooze/" in path:
            key = "snooze-" + path.rsplit("/", 1)[-1]
        else:
            key = "unsubscribe"
        found[key] = path
    found["header"] = message["List-Unsubscribe"].strip("<>")[len(BASE):]
    return found


def marks(user_id: int) -> dict[tuple[dt.date, str], str]:
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(AdherenceMark.local_day, AdherenceMark.step_key, AdherenceMark.status).where(AdherenceMark.user_id == user_id)
    )
    return {(day, key): status for day, key, status in rows}


def markable(user: User) -> set[str]:
    plan = plan_for(user, DAY, DAY + dt.timedelta(days=1))
    return {step_key(s) for s in plan.days[0].steps if s.role is not StepRole.LAYER}


@pytest.fixture
def received(mail_app, smtp_server, ada, csrf_on):
    send_due(mail_app, MONDAY)
    [message] = smtp_server.messages
    return links_in(message.message)


def test_get_only_asks_so_link_scanners_change_nothing(client, ada, received):
    for method in (client.get, client.head):
        response = method(received["done"])
        assert response.status_code == 200
    page = client.get(received["done"]).text
    assert "Mark Monday 16 March 2026 done?" in page and '<form method="post">' in page
    assert "Glow Exosome Serum" in page
    assert marks(ada.id) == {}


def test_post_marks_the_days_steps_done_without_login_or_token(client, ada, received):
    response = client.post(received["done"])
    assert response.status_code == 200 and "Marked done" in response.text
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    expected = markable(ada)
    assert expected and marks(ada.id) == {(DAY, key): "done" for key in expected}
    # pressing it again changes nothing
    assert client.post(received["done"]).status_code == 200
    assert marks(ada.id) == {(DAY, key): "done" for key in expected}


def test_skip_one_step_then_undo(client, ada, received):
    serum = "serum"
    assert client.post(received["skipped"], data={"step": serum}).status_code == 200
    assert marks(ada.id) == {(DAY, serum): "skipped"}
    assert client.post(received["skipped"].replace("/skipped", "/clear")).status_code == 200
    assert marks(ada.id) == {}


def test_a_step_that_is_not_in_the_days_plan_is_refused(client, ada, received):
    response = client.post(received["done"], data={"step": "product:99999"})
    assert response.status_code == 400 and marks(ada.id) == {}


def test_a_link_touches_only_its_own_user_and_day(app, client, auth, factory, ada, received):
    bea = routine_user(factory, email="bea@example.com")
    app.config["WTF_CSRF_ENABLED"] = False
    assert auth.login("bea@example.com").status_code == 302  # someone else is logged in on this browser
    app.config["WTF_CSRF_ENABLED"] = True
    # a day or user given beside the token is ignored: the token says whose day it is
    response = client.post(received["done"] + "?day=2026-03-17&user=" + str(bea.id),
                           data={"day": "2026-03-17", "user_id": str(bea.id)})
    assert response.status_code == 200
    assert marks(bea.id) == {}
    assert {day for day, _ in marks(ada.id)} == {DAY}


def test_tampered_links_are_refused(client, ada, factory, received):
    bea = routine_user(factory, email="bea@example.com")
    token = received["done"].split("/")[3]
    payload, timestamp, signature = token.rsplit(".", 2)
    assert payload == f"{ada.id}.{ada.account_key}.2026-03-16"
    forged = [
        f"{bea.id}.{bea.account_key}.2026-03-16.{timestamp}.{signature}",  # someone else's day
        f"{ada.id}.{ada.account_key}.2026-03-17.{timestamp}.{signature}",  # another day
        f"{payload}.{timestamp}.{signature[:-2]}",  # cut short
        "nonsense",
    ]
    for bad in forged:
        response = client.post(f"/email/day/{bad}/done")
        assert response.status_code == 404, bad
        assert "not valid" in response.text
    assert client.post(received["done"].replace("/done", "/delete")).status_code == 404
    unsubscribe = received["unsubscribe"]
    assert client.post(unsubscribe[:-3] + "AAA").status_code == 404
    # a day token is not an unsubscribe token, nor the other way round
    assert client.post(f"/email/unsubscribe/{token}").status_code == 404
    assert marks(ada.id) == {} and marks(bea.id) == {}
    assert db.session.get(User, ada.id).email_unsubscribed_at is None


def test_expired_links_say_so(app, client, ada, csrf_on):
    now = time.time()
    old = Links.for_app(app, clock=lambda: now - 15 * 86400).day_token(ada.id, ada.account_key, DAY)
    response = client.post(f"/email/day/{old}/done")
    assert response.status_code == 410 and "expired" in response.text
    recent = Links.for_app(app, clock=lambda: now - 13 * 86400).day_token(ada.id, ada.account_key, DAY)
    assert client.post(f"/email/day/{recent}/done").status_code == 200
    assert set(marks(ada.id).values()) == {"done"}


def test_one_click_unsubscribe_rfc8058(mail_app, smtp_server, client, ada, received):
    assert received["header"] == received["unsubscribe"]
    page = client.get(received["header"])
    assert page.status_code == 200 and "Stop all Afterglow emails?" in page.text
    assert db.session.get(User, ada.id).email_unsubscribed_at is None  # a scanner's GET does nothing

    # what a mail client sends: a POST with this body, no cookies, no CSRF token
    response = client.post(received["header"], data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and "You are unsubscribed" in response.text
    db.session.expire_all()
    assert db.session.get(User, ada.id).email_unsubscribed_at is not None
    assert client.post(received["header"], data="List-Unsubscribe=One-Click",
                       content_type="application/x-www-form-urlencoded").status_code == 200  # idempotent

    smtp_server.clear()
    assert send_due(mail_app, "2026-03-17T06:00:00Z").created == 0
    assert smtp_server.messages == []
    assert len(ledger_rows()) == 1


def test_unsubscribe_link_keeps_working_after_the_day_links_expire(app, client, ada, csrf_on):
    token = Links.for_app(app, clock=lambda: time.time() - 400 * 86400).unsubscribe_token(ada.id, ada.account_key)
    assert client.post(f"/email/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}).status_code == 200
    db.session.expire_all()
    assert db.session.get(User, ada.id).email_unsubscribed_at is not None
