"""The daily message asks the skin check-in with two signed links; answering "still" twice
extends the recovery in the next messages (real SMTP server, links followed with the client)."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from planner.extensions import db
from planner.links import Links
from planner.storage.models import Procedure, SkinCheckIn
from tests.support.reminders import html_of, routine_user, send_due, text_of

BASE = "http://afterglow.test"


def needled_user(factory, **columns):
    """Microneedling on 1 December with the clinician's 7 days: recovery 2 … 8 December."""
    user = routine_user(factory, email="ada@example.com", **columns)
    factory.procedure(user, performed_on=dt.date(2026, 12, 1), retinoid_days_override=7, actives_days_override=7)
    return user


def checkin_links(message) -> dict[str, str]:
    found = re.findall(rf"{re.escape(BASE)}(/email/checkin/\S+/(still|settled))", text_of(message))
    return {answer: path for path, answer in found}


def answers(user_id: int) -> list[tuple[dt.date, str]]:
    db.session.expire_all()
    return [tuple(r) for r in db.session.execute(
        sa.select(SkinCheckIn.local_day, SkinCheckIn.answer).where(SkinCheckIn.user_id == user_id)
        .order_by(SkinCheckIn.local_day))]


def answer_by_link(app, client, user_id: int, message, day: dt.date) -> None:
    app.config["CLOCK"] = lambda: dt.datetime.combine(day, dt.time(9, 0), dt.timezone.utc)
    link = checkin_links(message)["still"]
    asked = client.get(link)  # a mail scanner fetching the link changes nothing
    assert asked.status_code == 200 and '<form method="post">' in asked.text
    assert "Is your skin still red, peeling, stinging or broken?" in asked.text
    before = answers(user_id)
    assert client.post(link).status_code == 200
    assert answers(user_id) == [*before, (day, "still")]


def test_still_twice_by_email_extends_the_recovery_in_the_next_message(mail_app, smtp_server, factory, client):
    user = needled_user(factory)
    assert "Is your skin still" not in _message(mail_app, smtp_server, "2026-12-05")[0]

    text, message = _message(mail_app, smtp_server, "2026-12-08")
    assert "Is your skin still red, peeling, stinging or broken? (after microneedling on 1 December)" in text
    assert set(checkin_links(message)) == {"still", "settled"}
    assert "Yes, still</a>" in html_of(message)
    answer_by_link(mail_app, client, user.id, message, dt.date(2026, 12, 8))

    text, message = _message(mail_app, smtp_server, "2026-12-09")
    assert "Recovery after microneedling (day 8 of 8" in text
    assert "recovery extended: on 8 December you said your skin was still red, peeling" in text
    assert "Is your skin still red" in text
    answer_by_link(mail_app, client, user.id, message, dt.date(2026, 12, 9))

    text, _ = _message(mail_app, smtp_server, "2026-12-10")
    assert "Recovery after microneedling (day 9 of 9" in text
    assert "recovery extended: on 9 December you said your skin was still red, peeling" in text
    assert "Retinol Night: no retinoid: day 9 of 9 after microneedling" in text

    text, _ = _message(mail_app, smtp_server, "2026-12-11")
    assert "Recovery after microneedling" not in text and "Is your skin still" not in text


def test_settled_stops_the_asking_and_a_later_link_says_why(mail_app, smtp_server, factory, client):
    user = needled_user(factory)
    _, message = _message(mail_app, smtp_server, "2026-12-07")
    mail_app.config["CLOCK"] = lambda: dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.timezone.utc)
    assert client.post(checkin_links(message)["settled"]).status_code == 200
    text, later = _message(mail_app, smtp_server, "2026-12-08")
    assert "Is your skin still" not in text and checkin_links(later) == {}
    links = Links.for_app(mail_app)
    procedure_id = db.session.scalar(sa.select(Procedure.id).where(Procedure.user_id == user.id))
    token = links.checkin_token(user.id, user.account_key, dt.date(2026, 12, 8), procedure_id)
    refused = client.post(links.checkin_url(token, "still")[len(BASE):])
    assert refused.status_code == 409 and "That answer was not recorded" in refused.text
    assert answers(user.id) == [(dt.date(2026, 12, 7), "settled")]
    assert client.get("/email/checkin/forged-token/still").status_code == 404
    assert client.get(checkin_links(message)["still"].replace("/still", "/maybe")).status_code == 404


def test_discreet_messages_ask_without_the_procedures_name(mail_app, smtp_server, factory):
    needled_user(factory, discreet_titles=True)
    text, message = _message(mail_app, smtp_server, "2026-12-08")
    assert "Is your skin still red, peeling, stinging or broken? (after your procedure)" in text
    assert "microneedling" not in message["Subject"].lower()
    assert set(checkin_links(message)) == {"still", "settled"}


def _message(app, sink, day: str):
    """The message of ``day`` (07:00 in Berlin), sent through the real SMTP server."""
    sink.clear()
    assert send_due(app, f"{day}T06:00:00Z").created == 1
    (received,) = sink.messages
    return text_of(received.message), received.message


def test_a_recovery_extended_past_the_notice_margin_still_gets_its_last_day_message(mail_app, smtp_server, factory):
    """With the day's steps off, a message goes only near a procedure; "near" must use the recovery
    as the answers extended it (four added days: past the planned end plus the ramp's margin)."""
    user = needled_user(factory, remind_daily=False)
    procedure_id = db.session.scalar(sa.select(Procedure.id).where(Procedure.user_id == user.id))
    for day in range(7, 12):  # 7 asks again; 8, 9, 10 and 11 each add a day: recovery through 12 December
        db.session.add(SkinCheckIn(user_id=user.id, procedure_id=procedure_id, local_day=dt.date(2026, 12, day),
                                   answer="still"))
    db.session.commit()
    text, message = _message(mail_app, smtp_server, "2026-12-12")
    assert "Today is the last day of the 11-day recovery after microneedling on 1 December." in text
    assert message["Subject"].startswith("Sat 12 Dec")
