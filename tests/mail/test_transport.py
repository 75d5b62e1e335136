"""Transports: the outbox folder of the quick start, and SMTP details (one connection, STARTTLS)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import logging
from pathlib import Path

import pytest

from planner.mail import transport
from planner.mail.mime import build
from tests.support.reminders import ledger_rows, routine_user, send_due, text_of
from tests.support.services import free_port
from tests.support.smtp import SinkHandler, SinkWith

MONDAY = "2026-03-16T06:00:00Z"


def test_without_smtp_host_messages_go_to_the_outbox(app, factory, caplog):
    assert app.config["SMTP_HOST"] == ""
    routine_user(factory, email="ada@example.com")
    with caplog.at_level(logging.INFO, logger="planner.mail.transport"):
        assert send_due(app, MONDAY).sent == 1
    outbox = Path(app.config["OUTBOX_PATH"])
    assert outbox == Path(app.instance_path) / "outbox"
    [path] = outbox.glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["To"] == "ada@example.com" and message["Message-ID"] == ledger_rows()[0].message_id
    assert "Glow Exosome Serum" in text_of(message)
    assert f"written to {path}" in caplog.text
    assert send_due(app, MONDAY).sent == 0
    assert len(list(outbox.glob("*.eml"))) == 1


def test_the_outbox_file_is_named_by_message_id_so_a_rewrite_replaces_it(tmp_path):
    outbox = transport.OutboxTransport(tmp_path)
    message = build(sender="a@x.org", recipient="b@x.org", subject="s", text="t", html="h", message_id="<m.1@x.org>",
                    sent_local=dt.datetime.now(dt.timezone.utc))
    outbox.start(message)
    outbox.start(message)
    assert [p.name for p in tmp_path.iterdir()] == ["m.1_x.org.eml"]


class CountingHandler(SinkHandler):
    def __init__(self):
        super().__init__()
        self.greetings = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.greetings += 1
        session.host_name = hostname
        return responses


def test_one_connection_for_a_whole_run(mail_app, factory):
    for i in range(7):
        routine_user(factory, email=f"user{i}@example.com")
    with SinkWith(free_port(), CountingHandler()) as sink:
        mail_app.config["SMTP_PORT"] = sink.port
        assert send_due(mail_app, MONDAY).sent == 7
        assert sink.handler.greetings == 1
        assert sorted(r.rcpt_tos[0] for r in sink.messages) == [f"user{i}@example.com" for i in range(7)]


def test_starttls_refused_by_the_server_is_retried_later(mail_app, smtp_server, factory):
    mail_app.config["SMTP_SECURITY"] = "starttls"  # aiosmtpd here offers no STARTTLS
    routine_user(factory)
    send_due(mail_app, MONDAY)
    [row] = ledger_rows()
    assert row.status == "failed" and "unavailable" in row.last_error and "STARTTLS" in row.last_error
    assert smtp_server.messages == []


def test_smtp_settings_from_config(monkeypatch):
    monkeypatch.setenv("AFTERGLOW_SMTP_PASSWORD", "12345")
    smtp = transport.from_config({"SMTP_HOST": "smtp.example.com", "SMTP_PORT": "465", "SMTP_SECURITY": "TLS",
                                  "SMTP_USERNAME": "afterglow", "SMTP_PASSWORD": 12345, "SMTP_TIMEOUT_SECONDS": 5,
                                  "OUTBOX_PATH": "/nowhere"})
    assert isinstance(smtp, transport.SmtpTransport)
    assert (smtp.host, smtp.port, smtp.security, smtp.username, smtp.password) == (
        "smtp.example.com", 465, "tls", "afterglow", "12345")  # the password stays text
    assert isinstance(transport.from_config({"SMTP_HOST": "", "OUTBOX_PATH": "/tmp/x"}), transport.OutboxTransport)
    with pytest.raises(ValueError, match="SMTP_SECURITY"):
        transport.SmtpTransport("h", 25, security="ssl3")


def test_addresses_that_could_inject_commands_are_refused(smtp_server):
    smtp = transport.SmtpTransport("127.0.0.1", smtp_server.port, security="none")
    message = build(sender="a@x.org", recipient="b@x.org>\r\nRCPT TO:<c@x.org", subject="s", text="t", html="h",
                    message_id="<m@x.org>", sent_local=dt.datetime.now(dt.timezone.utc))
    with pytest.raises(transport.SendError) as caught:
        smtp.start(message)
    assert caught.value.outcome == "permanent"
    smtp.close()
    assert smtp_server.messages == []
