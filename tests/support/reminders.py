"""Reminder test data and drivers: users with a routine, one dispatch run as of an instant, the
ledger, the messages' parts, and the environment of a `flask` subprocess."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import sqlalchemy as sa

from planner.extensions import db
from planner.reminders.dispatch import Report, dispatch
from planner.storage.models import ReminderSend, User
from tests.support.smtp import SmtpSink

ROOT = Path(__file__).resolve().parents[2]
UTC = dt.timezone.utc
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]

EXOSOME_SERUM = "Aqua, Glycerin, Rose Callus Culture Exosomes, Sodium Hyaluronate"
RETINOL = "Aqua, Squalane, Glycerin, Retinol, Tocopherol, Phenoxyethanol"
GLYCOLIC = "Aqua, Glycolic Acid, Sodium Hydroxide"
CREAM = "Aqua, Glycerin, Squalane, Ceramide NP"

#: Each zone's daylight-saving change (or none) in 2026: zone, local day, a reminder time in the
#: gap or the fold, and the one instant it goes out (UTC). Gap → shifted later; fold → the first.
DST_CHANGES = [
    # spring forward: 02:30 does not exist, it goes out once at 03:30 local
    ("America/New_York", "2026-03-08", "02:30", "2026-03-08T07:30:00Z"),
    ("Europe/Berlin", "2026-03-29", "02:30", "2026-03-29T01:30:00Z"),
    ("Pacific/Auckland", "2026-09-27", "02:30", "2026-09-26T14:30:00Z"),
    # fall back: 01:30 / 02:30 happens twice, it goes out once, at the first
    ("America/New_York", "2026-11-01", "01:30", "2026-11-01T05:30:00Z"),
    ("Europe/Berlin", "2026-10-25", "02:30", "2026-10-25T00:30:00Z"),
    ("Pacific/Auckland", "2026-04-05", "02:30", "2026-04-04T13:30:00Z"),
    # no daylight saving: half-hour offset, and the first zone to see each date
    ("Asia/Kolkata", "2026-03-29", "07:00", "2026-03-29T01:30:00Z"),
    ("Pacific/Kiritimati", "2026-03-29", "07:00", "2026-03-28T17:00:00Z"),
]


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def send_due(app, when: str | dt.datetime, **options) -> Report:
    """One dispatch run as of an instant, as `flask send-due --at` does."""
    return dispatch(app, now_at=at(when) if isinstance(when, str) else when, **options)


def ledger_rows(**where) -> list[ReminderSend]:
    db.session.expire_all()
    query = sa.select(ReminderSend).filter_by(**where).order_by(ReminderSend.id)
    return list(db.session.scalars(query))


def message_ids(sink: SmtpSink) -> list[str]:
    return [str(r.message["Message-ID"]) for r in sink.messages]


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def html_of(message) -> str:
    return message.get_body(("html",)).get_content().replace("\r\n", "\n")


def routine_user(factory, *, email: str | None = None, timezone: str = "Europe/Berlin", reminder_time: str = "07:00",
                 products: bool = True, **columns) -> User:
    """A user with an exosome serum, a retinol, an acid and a cream."""
    user = factory.user(email=email, timezone=timezone, reminder_time=dt.time.fromisoformat(reminder_time), **columns)
    if products:
        factory.product(user, name="Glow Exosome Serum", ingredients=EXOSOME_SERUM, exosome_source="plant")
        factory.product(user, name="Retinol Night", ingredients=RETINOL)
        factory.product(user, name="Glycolic Toner", ingredients=GLYCOLIC)
        factory.product(user, name="Barrier Cream", ingredients=CREAM)
    return user


def routine_users(factory, count: int) -> None:
    """A crowd for the concurrency and crash tests: half of them with products."""
    for i in range(count):
        routine_user(factory, email=f"user{i:03d}@example.com", products=i % 2 == 0)


def flask_env(app, **extra) -> dict[str, str]:
    """Environment for a `flask --app wsgi …` subprocess using this test's database and sink."""
    config = app.config
    env = {
        **os.environ,
        "AFTERGLOW_DATABASE_URL": str(db.engine.url.render_as_string(hide_password=False)),
        "AFTERGLOW_SECRET_KEY": config["SECRET_KEY"],
        "AFTERGLOW_INSTANCE_PATH": app.instance_path,
        "AFTERGLOW_PUBLIC_BASE_URL": config["PUBLIC_BASE_URL"],
        "AFTERGLOW_EMBEDDED_SCHEDULER": "false",
    }
    env.update({f"AFTERGLOW_{k}": str(v) for k, v in extra.items()})
    return env
