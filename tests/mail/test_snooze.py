"""Snooze links of a received message: GET shows a button, POST asks once; at most twice a day."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest

from planner.links import Links
from tests.support.reminders import at, ledger_rows, routine_user, send_due, text_of

BASE = "http://afterglow.test"
MORNING = "2026-03-16T07:00:00Z"  # 07:00 in London (reminder time), a Monday


@pytest.fixture
def ada(factory):
    return routine_user(factory, email="ada@example.com", timezone="Europe/London", evening_time=dt.time(21, 0))


def clock(app, instant: str) -> None:
    app.config["CLOCK"] = lambda: at(instant)


def snooze_paths(message) -> dict[str, str]:
    return {m[1]: m[0][len(BASE):] for m in re.finditer(r"http://afterglow\.test/email/snooze/\S+/(hour|tonight)", text_of(message))}


def test_snooze_in_one_hour_sends_the_message_again_once(mail_app, smtp_server, ada, client):
    send_due(mail_app, MORNING)
    paths = snooze_paths(smtp_server.messages[0].message)
    assert set(paths) == {"hour", "tonight"}
    clock(mail_app, "2026-03-16T07:10:00Z")
    page = client.get(paths["hour"])
    assert page.status_code == 200 and "Remind me at 08:10" in page.text
    assert [r.kind for r in ledger_rows()] == ["daily"]  # a GET (a mail scanner) changes nothing
    for _ in range(3):  # tapped again and again: one snooze
        done = client.post(paths["hour"])
        assert done.status_code == 200 and "08:10" in done.text
    assert [(r.kind, r.channel) for r in ledger_rows()] == [("daily", "email"), ("snooze1", "email")]
    assert send_due(mail_app, "2026-03-16T08:09:00Z").sent == 0
    assert send_due(mail_app, "2026-03-16T08:10:00Z").sent == 1
    assert send_due(mail_app, "2026-03-16T08:30:00Z").sent == 0
    again = smtp_server.messages[1].message
    assert again["Subject"] == "Reminder: Your routine for Monday 16 March"
    assert "Glow Exosome Serum" in text_of(again)


def test_at_most_two_snoozes_a_day(mail_app, smtp_server, ada, client):
    send_due(mail_app, MORNING)
    clock(mail_app, "2026-03-16T07:10:00Z")
    client.post(snooze_paths(smtp_server.messages[0].message)["hour"])
    send_due(mail_app, "2026-03-16T08:10:00Z")
    second = snooze_paths(smtp_server.messages[1].message)
    assert set(second) == {"hour", "tonight"}  # the first snooze's message can be snoozed once more
    clock(mail_app, "2026-03-16T08:15:00Z")
    assert "21:00" in client.post(second["tonight"]).text
    send_due(mail_app, "2026-03-16T21:00:00Z")
    third = smtp_server.messages[2].message
    assert snooze_paths(third) == {}  # no third snooze
    assert [r.kind for r in ledger_rows()] == ["daily", "snooze1", "snooze2"]


def test_tonight_after_the_evening_routine_is_refused_with_a_reason(mail_app, smtp_server, ada, client):
    send_due(mail_app, MORNING)
    clock(mail_app, "2026-03-16T21:30:00Z")
    response = client.post(snooze_paths(smtp_server.messages[0].message)["tonight"])
    assert response.status_code == 409 and "evening routine time has passed" in response.text
    assert [r.kind for r in ledger_rows()] == ["daily"]


def test_a_snooze_after_midnight_or_on_a_later_day_is_refused(mail_app, smtp_server, ada, client):
    send_due(mail_app, MORNING)
    paths = snooze_paths(smtp_server.messages[0].message)
    clock(mail_app, "2026-03-16T23:30:00Z")
    assert "after today ends" in client.post(paths["hour"]).text
    clock(mail_app, "2026-03-17T09:00:00Z")
    assert "earlier day" in client.post(paths["hour"]).text
    assert [r.kind for r in ledger_rows()] == ["daily"]


def test_forged_or_expired_snooze_links_answer_without_acting(mail_app, ada, client):
    links = Links.for_app(mail_app)
    key = ada.account_key
    assert client.post("/email/snooze/nonsense/hour").status_code == 404
    token = links.snooze_token(ada.id, key, dt.date(2026, 3, 16), 0)
    assert client.get(f"/email/snooze/{token}/later").status_code == 404
    assert client.post(f"/email/snooze/{links.snooze_token(ada.id, key, dt.date(2026, 3, 16), 2)}/hour").status_code == 404
    old_links = Links.for_app(mail_app, clock=lambda: time.time() - 15 * 86400)  # max age 14 days
    old = old_links.snooze_token(ada.id, key, dt.date(2026, 3, 16), 0)
    assert client.post(f"/email/snooze/{old}/hour").status_code == 410
    # a day link's token is not a snooze token
    assert client.post(f"/email/snooze/{links.day_token(ada.id, key, dt.date(2026, 3, 16))}/hour").status_code == 404
    assert ledger_rows() == []
