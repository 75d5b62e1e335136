"""The hand-written MIME serialiser, checked by parsing its output back with the standard library."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.mail.mime import build, encoded_words

SENDER = "Afterglow <reminders@afterglow.localhost>"
WHEN = dt.datetime(2026, 3, 29, 7, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def parse(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.default)


def make(subject="Your routine", text="Hello\n", html="<p>Hello</p>", **headers):
    return build(sender=SENDER, recipient="ada@example.com", subject=subject, text=text, html=html,
                 message_id="<afterglow.1.daily.20260329@afterglow.localhost>", sent_local=WHEN, headers=headers)


def test_headers_and_parts():
    out = make(**{"List-Unsubscribe": "<https://afterglow.example/email/unsubscribe/" + "x" * 120 + ">",
                  "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    message = parse(out.data)
    assert not message.defects and all(not part.defects for part in message.walk())
    assert (out.sender, out.recipient) == ("reminders@afterglow.localhost", "ada@example.com")
    assert message["From"] == SENDER and message["To"] == "ada@example.com"
    assert message["Date"] == "Sun, 29 Mar 2026 07:00:00 +0200"  # the user's own offset
    assert message["Message-ID"] == out.message_id
    assert message["MIME-Version"] == "1.0"
    # a URL header is never folded: clients must get it whole
    assert message["List-Unsubscribe"] == "<https://afterglow.example/email/unsubscribe/" + "x" * 120 + ">"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in message.iter_parts())


def test_only_crlf_line_ends_and_short_lines():
    out = make(subject="Stop your retinoid · microneedling on Friday — " * 3, text=("word " * 60 + "\n") * 5,
               html="<p>" + "é" * 300 + "</p>")
    lines = out.data.split(b"\r\n")
    assert b"\n" not in out.data.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 76


def test_lines_starting_with_a_dot_and_trailing_spaces_survive():
    text = ".leading dot\n..two dots\ntrailing space   \nend"
    message = parse(make(text=text).data)
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == text


def test_header_injection_is_refused():
    with pytest.raises(ValueError):
        make(subject="Hello\r\nBcc: everyone@example.com")


@settings(max_examples=300)
@given(st.text(min_size=1, max_size=200).filter(lambda s: "\r" not in s and "\n" not in s))
def test_any_subject_round_trips(subject):
    assert parse(make(subject=subject).data)["Subject"] == subject


def test_a_subject_that_looks_encoded_reads_back_as_written():
    subject = "=?utf-8?b?SGk=?= is not an encoded word here"
    assert parse(make(subject=subject).data)["Subject"] == subject


@given(st.text(max_size=2000))
def test_any_body_round_trips(text):
    message = parse(make(text=text, html=text).data)
    def normalise(value: str) -> str:
        return value.replace("\r\n", "\n").replace("\r", "\n")

    assert normalise(message.get_body(("plain",)).get_content()) == normalise(text)


def test_encoded_words_never_split_a_character():
    words = encoded_words("日本語のテキスト" * 10 + "·é✓")
    for line in words.split("\r\n"):
        assert len(line) <= 76
        assert line.strip().startswith("=?utf-8?b?") and line.endswith("?=")
