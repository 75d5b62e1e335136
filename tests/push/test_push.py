"""Web Push end to end: the app encrypts for each subscribed browser, a real HTTP push service on
127.0.0.1 receives it, and the test decrypts it with the browser's own keys (RFC 8291)."""

from __future__ import annotations

import datetime as dt
import os
import stat

import pytest
import sqlalchemy as sa
from py_vapid import Vapid02

from planner.extensions import db
from planner.push import keys, subscriptions
from planner.storage.models import PushSubscription, User
from tests.support.reminders import ledger_rows, routine_user, send_due, text_of
from tests.support.push_service import PushService

WASHOUT_START = "2026-03-13T06:00:00Z"  # 07:00 in Berlin, first day of the washout before the 20th


@pytest.fixture
def push_service():
    with PushService() as service:
        yield service


@pytest.fixture
def ada(factory):
    user = routine_user(factory, email="ada@example.com", push_enabled=True)
    factory.procedure(user, kind="microneedling", performed_on=dt.date(2026, 3, 20), clinic="Skin Clinic Mitte")
    return user


def subscribe(user: User, browser) -> None:
    info = browser.subscription_json()
    subscriptions.save(user, info["endpoint"], info["keys"]["p256dh"], info["keys"]["auth"])


def test_the_daily_message_arrives_encrypted_with_the_emails_content_and_links(mail_app, smtp_server, push_service, ada):
    phone = push_service.browser("phone")
    subscribe(ada, phone)
    report = send_due(mail_app, WASHOUT_START)
    assert report.sent == 2
    [received] = push_service.received
    assert received.path == "/push/phone"
    assert received.headers["content-encoding"] == "aes128gcm" and int(received.headers["ttl"]) > 0
    # RFC 8292: a token signed with the app's own key, for this push service's origin
    authorization = received.headers["authorization"]
    assert Vapid02.verify(authorization)
    assert f"k={keys.application_server_key(mail_app)}" in authorization
    payload = phone.decrypt(received.body)

    [email] = smtp_server.messages
    assert payload["title"] == email.message["Subject"] == "Fri 13 Mar: Washout starts today before microneedling"
    assert payload["body"] == "A 7-day washout before microneedling on Friday 20 March starts today."
    text = text_of(email.message)
    for name in ("plan", "done", "skipped", "snooze_hour", "snooze_tonight"):
        assert payload["links"][name] in text, name
    assert payload["url"] == "http://afterglow.test/plan/day/2026-03-13"
    assert {a["action"] for a in payload["actions"]} == {"done", "snooze"}
    rows = {(r.kind, r.channel): r.status for r in ledger_rows()}
    assert rows == {("daily", "email"): "sent", ("daily", "push"): "sent"}


def test_each_message_goes_once_per_channel(mail_app, smtp_server, push_service, ada):
    subscribe(ada, push_service.browser("phone"))
    send_due(mail_app, WASHOUT_START)
    assert send_due(mail_app, WASHOUT_START).sent == 0
    assert send_due(mail_app, "2026-03-13T18:00:00Z").sent == 0
    assert len(push_service.received) == 1 and len(smtp_server.messages) == 1


def test_every_subscribed_browser_gets_it_and_gone_ones_are_removed(mail_app, smtp_server, push_service, ada):
    phone, laptop, old = (push_service.browser(n) for n in ("phone", "laptop", "old"))
    for browser in (phone, laptop, old):
        subscribe(ada, browser)
    push_service.statuses["/push/old"] = 410
    send_due(mail_app, WASHOUT_START)
    assert sorted(r.path for r in push_service.received) == ["/push/laptop", "/push/old", "/push/phone"]
    for browser in (phone, laptop):
        received = next(r for r in push_service.received if r.path.endswith(browser.endpoint.rsplit("/", 1)[1]))
        assert browser.decrypt(received.body)["title"].startswith("Fri 13 Mar")
    db.session.expire_all()
    assert sorted(db.session.scalars(sa.select(PushSubscription.endpoint))) == sorted([phone.endpoint, laptop.endpoint])


def test_when_every_browser_is_gone_push_turns_itself_off(mail_app, smtp_server, push_service, ada):
    subscribe(ada, push_service.browser("gone"))
    push_service.statuses["/push/gone"] = 404
    send_due(mail_app, WASHOUT_START)
    rows = {r.channel: r for r in ledger_rows()}
    assert rows["push"].status == "dropped" and "404" in rows["push"].last_error
    assert push_service.browser("gone").endpoint not in (rows["push"].last_error or "")  # no capability URL in the ledger
    db.session.expire_all()
    assert db.session.get(User, ada.id).push_enabled is False
    assert rows["email"].status == "sent"


def test_a_struggling_push_service_is_retried(mail_app, smtp_server, push_service, ada):
    subscribe(ada, push_service.browser("busy"))
    push_service.statuses["/push/busy"] = 503
    send_due(mail_app, WASHOUT_START)
    row = next(r for r in ledger_rows() if r.channel == "push")
    assert row.status == "failed" and "503" in row.last_error and row.next_attempt_at is not None
    push_service.statuses.clear()
    send_due(mail_app, row.next_attempt_at.astimezone(dt.timezone.utc))
    assert next(r for r in ledger_rows() if r.channel == "push").status == "sent"


def test_discreet_payload_names_no_procedure_product_or_clinic(mail_app, smtp_server, push_service, factory):
    user = routine_user(factory, email="dee@example.com", push_enabled=True, discreet_titles=True)
    factory.procedure(user, kind="microneedling", performed_on=dt.date(2026, 3, 20), clinic="Skin Clinic Mitte")
    phone = push_service.browser("phone")
    subscribe(user, phone)
    send_due(mail_app, WASHOUT_START)
    payload = phone.decrypt(push_service.received[0].body)
    assert payload["title"] == "Your routine for Friday 13 March · a change today"
    assert payload["body"] == "Open to see today's steps."
    shown = (payload["title"] + payload["body"] + " ".join(a["title"] for a in payload["actions"])).lower()
    for word in ("microneedling", "skin clinic", "retinol", "glycolic", "exosome", "barrier"):
        assert word not in shown


def test_push_only_users_get_no_email(mail_app, smtp_server, push_service, factory):
    user = routine_user(factory, email="pia@example.com", push_enabled=True, email_unsubscribed_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    subscribe(user, push_service.browser("pia"))
    send_due(mail_app, WASHOUT_START)
    assert smtp_server.messages == [] and len(push_service.received) == 1


# --------------------------------------------------------------------------- keys and subscribing


def test_vapid_key_is_generated_once_into_the_instance_folder_owner_only(app):
    first = keys.application_server_key(app)
    path = os.path.join(app.instance_path, keys.KEY_FILE)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    keys._vapid.cache_clear()  # a new process reads the same file
    assert keys.application_server_key(app) == first
    assert len(keys.application_server_key(app)) == 87  # 65 bytes, base64url


def test_vapid_key_from_the_environment_wins(app):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    app.config["VAPID_PRIVATE_KEY"] = pem
    assert keys.vapid(app).private_pem().decode() == pem
    assert not os.path.exists(os.path.join(app.instance_path, keys.KEY_FILE))


def test_subscribing_and_unsubscribing_from_the_profile(client, logged_in, push_service):
    browser = push_service.browser("tab")
    assert client.get("/push/key").json["key"]
    response = client.post("/push/subscriptions", json=browser.subscription_json())
    assert response.status_code == 201
    db.session.refresh(logged_in)
    assert logged_in.push_enabled
    assert client.post("/push/subscriptions/remove", json={"endpoint": browser.endpoint}).json == {
        "ok": True, "removed": 1, "push_enabled": False}


@pytest.mark.parametrize(("body", "reason"), [
    ("not json", "JSON object"),
    ({"endpoint": "javascript:alert(1)", "keys": {}}, "not a web address"),
    ({"endpoint": "https://push.example/x", "keys": {"p256dh": "AAAA", "auth": "AAAA"}}, "wrong length"),
    ({"endpoint": "https://push.example/x", "keys": {"p256dh": "!!", "auth": "x"}}, "key"),
    ({"endpoint": "https://push.example/x"}, "no keys"),
])
def test_bad_subscriptions_answer_400_with_a_reason(client, logged_in, body, reason):
    if isinstance(body, str):
        response = client.post("/push/subscriptions", data=body, content_type="application/json")
    else:
        response = client.post("/push/subscriptions", json=body)
    assert response.status_code == 400 and reason in response.json["error"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PushSubscription)) == 0


def test_subscribing_needs_a_login(client):
    assert client.post("/push/subscriptions", json={}).status_code in (302, 401)


def test_a_snooze_from_the_notification_comes_again_on_both_channels(mail_app, smtp_server, push_service, ada, client):
    phone = push_service.browser("phone")
    subscribe(ada, phone)
    send_due(mail_app, WASHOUT_START)
    snooze = phone.decrypt(push_service.received[0].body)["links"]["snooze_hour"]
    mail_app.config["CLOCK"] = lambda: dt.datetime(2026, 3, 13, 6, 5, tzinfo=dt.timezone.utc)
    assert client.post(snooze.removeprefix("http://afterglow.test")).status_code == 200
    assert send_due(mail_app, "2026-03-13T07:05:00Z").sent == 2
    again = phone.decrypt(push_service.received[1].body)
    assert again["title"] == "Reminder: Fri 13 Mar: Washout starts today"  # the long form would pass 60
    assert len(again["title"]) < 60
    assert smtp_server.messages[1].message["Subject"] == again["title"]
    assert sorted((r.kind, r.channel) for r in ledger_rows()) == [
        ("daily", "email"), ("daily", "push"), ("snooze1", "email"), ("snooze1", "push")]
