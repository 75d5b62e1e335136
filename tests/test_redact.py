"""No token and no personal detail in any log the app writes: the access logs of werkzeug's
development server and of gunicorn (deploy/gunicorn.conf.py), SQL errors, the reminder ledger."""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import url_for

from planner.extensions import db
from planner.feed import tokens
from planner import links as signed_links
from planner.links import Links
from planner.redact import mask_tokens, scrub_error
from planner.reminders import ledger
from planner.storage.models import User
from tests.support.app import TEST_SECRET_KEY
from tests.support.services import free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent


def real_tokens(app, user) -> dict[str, str]:
    """A live token for every route that takes one, made by the code that makes them."""
    links = Links.for_app(app)
    return {
        "feed.feed": tokens.issue(user),
        "email_actions.day": links.day_token(user.id, user.account_key, dt.date(2026, 3, 12)),
        "email_actions.unsubscribe": links.unsubscribe_token(user.id, user.account_key),
        "email_actions.snooze": links.snooze_token(user.id, user.account_key, dt.date(2026, 3, 12), 0),
        "email_actions.checkin": links.checkin_token(user.id, user.account_key, dt.date(2026, 3, 12), 1),
        "password_reset.reset": signed_links.password_reset_token(links, user),
        "email_confirmation.confirm": signed_links.confirmation_token(links, user),
    }


def token_urls(app, user) -> list[tuple[str, str]]:
    """(token, path) for every rule of the app's url_map with a <token>: a new token route fails
    here until it has a sample above, and then it is checked like the others."""
    samples = real_tokens(app, user)
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "token" not in rule.arguments:
                continue
            assert rule.endpoint in samples, f"{rule.rule} takes a token: add a sample to real_tokens()"
            extra = {"action": "done"} if "action" in rule.arguments else {}
            extra |= {"choice": "hour"} if "choice" in rule.arguments else {}
            extra |= {"answer": "still"} if "answer" in rule.arguments else {}
            token = samples[rule.endpoint]
            urls.append((token, url_for(rule.endpoint, token=token, **extra)))
    assert len(urls) >= len(samples)
    return urls


def test_every_route_that_takes_a_token_is_masked(app, user):
    for token, path in token_urls(app, user):
        line = f'"GET {path}?next={path} HTTP/1.1" 200 -'
        masked = mask_tokens(line)
        assert token not in masked and "***" in masked, masked
        assert masked.startswith(f'"GET /{path.split("/")[1]}/'), masked  # the route stays readable


def test_ordinary_paths_are_left_alone():
    for path in ("/plan/day/2026-03-12", "/static/app.css", "/products/12/edit", "/plan/month?month=2026-03",
                 "/account/confirm/resend", "/healthz"):
        assert mask_tokens(path) == path


def test_werkzeugs_access_log_masks_tokens(live_server, caplog):
    token = secrets.token_urlsafe(32)
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        for path in (f"/feed/{token}.ics", f"/password/reset/{token}", f"/email/unsubscribe/{token}"):
            with pytest.raises(urllib.error.HTTPError) as answer:
                urllib.request.urlopen(live_server.url + path, timeout=10)
            answer.value.close()
            assert answer.value.code == 404
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert len([line for line in lines if "404" in line]) >= 3
    assert any("/feed/*** " in line for line in lines) and any("/password/reset/*** " in line for line in lines)
    assert not any(token in line for line in lines)


def test_gunicorns_access_log_masks_tokens(tmp_path):
    """The shipped gunicorn config, run for real: request lines and Referer headers are masked."""
    port = free_port()
    env = {
        **os.environ,
        "AFTERGLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'g.sqlite3'}",
        "AFTERGLOW_SECRET_KEY": TEST_SECRET_KEY,
        "AFTERGLOW_INSTANCE_PATH": str(tmp_path / "instance"),
        "AFTERGLOW_EMBEDDED_SCHEDULER": "false",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
    }
    log_path = tmp_path / "gunicorn.log"
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with log_path.open("wb") as log:
        server = subprocess.Popen([str(gunicorn), "-c", "deploy/gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
    token = secrets.token_urlsafe(32)
    try:
        wait_for_port(port, timeout=30)
        for path in (f"/feed/{token}.ics", f"/email/day/{token}/done", f"/account/confirm/{token}", "/healthz"):
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                             headers={"Referer": f"http://127.0.0.1:{port}/password/reset/{token}"})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    response.read()
            except urllib.error.HTTPError as error:
                error.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    log = log_path.read_text()
    assert "GET /feed/*** HTTP/1.1" in log and "GET /email/day/***/done HTTP/1.1" in log
    assert "GET /healthz HTTP/1.1" in log and "/password/reset/***" in log
    assert token not in log


HEALTH_NOTE = "12 weeks along, on isotretinoin 40 mg"


def test_sql_errors_carry_no_values(app, user):
    """A failed insert would otherwise print its values, health answers included."""
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["hide_parameters"] is True
    db.session.add(User(email=user.email, timezone="Europe/Berlin", password_hash=HEALTH_NOTE))
    with pytest.raises(sa.exc.IntegrityError) as failure:
        db.session.commit()
    db.session.rollback()
    assert HEALTH_NOTE not in str(failure.value) and "parameters hidden" in str(failure.value)


def test_a_failed_save_is_logged_without_the_row(app, user, caplog):
    """The 500 log names the error and where it happened; PostgreSQL's DETAIL would quote the email."""

    @app.post("/_duplicate")
    def duplicate():
        db.session.add(User(email=user.email, timezone="Europe/Berlin", password_hash=HEALTH_NOTE))
        db.session.commit()
        return "saved"

    with caplog.at_level(logging.ERROR):
        response = app.test_client().post("/_duplicate")
    assert response.status_code == 500
    assert "may not have been saved" in response.text and "Nothing you entered was lost" not in response.text
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Unhandled database error on /_duplicate" in logged and "IntegrityError" in logged
    assert "in duplicate" in logged  # the stack, for whoever fixes it
    assert user.email not in logged and HEALTH_NOTE not in logged and "isotretinoin" not in logged


def test_the_ledger_stores_no_addresses_headers_or_links(app, user):
    ledger.create([ledger.DueReminder(user.id, dt.date(2026, 3, 16), "daily", dt.datetime(2026, 3, 16, 6, tzinfo=dt.timezone.utc))])
    [row] = ledger.claim("test-worker", dt.datetime(2026, 3, 16, 6, 1, tzinfo=dt.timezone.utc), 10)
    link = f"https://afterglow.example/email/unsubscribe/{secrets.token_urlsafe(40)}"
    refusal = (f"RCPT TO refused: 550 5.1.1 <{user.email}> mailbox unavailable, see {link}\r\n"
               "List-Unsubscribe: <https://afterglow.example/x>\r\nTo: ada@example.com")
    ledger.commit_outcomes("test-worker", [ledger.Outcome(row.id, "dropped", error=f"refused for good: {refusal}")])
    stored = db.session.scalar(sa.text("SELECT last_error FROM reminder_sends"))
    assert stored.startswith("refused for good: RCPT TO refused: 550 5.1.1")
    assert "mailbox unavailable" in stored and "[address]" in stored and "[link]" in stored
    assert user.email not in stored and "afterglow.example" not in stored and "List-Unsubscribe" not in stored


def test_scrub_error_keeps_what_an_operator_needs():
    assert scrub_error("mail server unavailable: smtp.example.com:587: [Errno 111] Connection refused") == \
        "mail server unavailable: smtp.example.com:587: [Errno 111] Connection refused"
    assert scrub_error(None) is None and scrub_error("") == ""
    assert len(scrub_error("x " * 1000)) <= 300
