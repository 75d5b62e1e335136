"""The stored next-due instant: a run reads only who is due, and the instant stays honest across
daylight-saving changes, the date line, downtime, settings changes and a new tz database."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.reminders import next_due
from planner.reminders.candidates import find_due, queue_due
from planner.storage.models import User
from tests.support.reminders import at, ledger_rows, routine_user, send_due

UTC = dt.timezone.utc


def instant_of(user) -> dt.datetime | None:
    db.session.expire_all()
    return db.session.get(User, user.id).next_due_at


def test_a_run_moves_the_instant_to_the_next_days_send_time(mail_app, smtp_server, factory):
    ada = routine_user(factory, timezone="Europe/Berlin", reminder_time="07:00")
    assert instant_of(ada) == next_due.EVALUATE  # new users are looked at by the next run
    send_due(mail_app, "2026-03-16T05:00:00Z")  # 06:00 in Berlin: not yet
    assert instant_of(ada) == at("2026-03-16T06:00:00Z")
    assert ledger_rows() == []
    send_due(mail_app, "2026-03-16T06:00:00Z")
    assert instant_of(ada) == at("2026-03-17T06:00:00Z")
    assert [r.status for r in ledger_rows()] == ["sent"]
    # the rest of the day: nobody is read, nothing is created
    assert find_due(at("2026-03-16T20:00:00Z")) == []
    assert queue_due(at("2026-03-16T20:00:00Z")) == 0
    assert len(smtp_server.messages) == 1


def test_spring_forward_gap_goes_out_once_at_the_shifted_instant(mail_app, smtp_server, factory):
    """New York, 8 March 2026: 02:30 does not exist; it goes out at 03:30 EDT (07:30 UTC)."""
    user = routine_user(factory, timezone="America/New_York", reminder_time="02:30")
    send_due(mail_app, "2026-03-07T07:30:00Z")  # the day before (EST): 02:30 = 07:30 UTC
    assert instant_of(user) == at("2026-03-08T07:30:00Z")
    send_due(mail_app, "2026-03-08T07:29:00Z")
    assert len(smtp_server.messages) == 1
    send_due(mail_app, "2026-03-08T07:30:00Z")
    assert len(smtp_server.messages) == 2
    assert instant_of(user) == at("2026-03-09T06:30:00Z")  # 02:30 EDT the next day
    send_due(mail_app, "2026-03-08T08:30:00Z")
    assert [r.local_day for r in ledger_rows()] == [dt.date(2026, 3, 7), dt.date(2026, 3, 8)]
    assert len(smtp_server.messages) == 2


def test_fall_back_repeat_goes_out_once_at_the_first_occurrence(mail_app, smtp_server, factory):
    """New York, 1 November 2026: 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST)."""
    user = routine_user(factory, timezone="America/New_York", reminder_time="01:30")
    send_due(mail_app, "2026-10-31T05:30:00Z")
    assert instant_of(user) == at("2026-11-01T05:30:00Z")
    send_due(mail_app, "2026-11-01T05:30:00Z")
    assert instant_of(user) == at("2026-11-02T06:30:00Z")  # 01:30 EST on Monday
    send_due(mail_app, "2026-11-01T06:30:00Z")  # the second 01:30: not read, not sent
    rows = ledger_rows()
    assert [(r.local_day, r.due_at) for r in rows] == [(dt.date(2026, 10, 31), at("2026-10-31T05:30:00Z")),
                                                       (dt.date(2026, 11, 1), at("2026-11-01T05:30:00Z"))]
    assert len(smtp_server.messages) == 2


def test_both_sides_of_the_date_line(mail_app, smtp_server, factory):
    """Kiritimati (UTC+14) and Pago Pago (UTC−11) at 07:00 local: a day and an hour apart in UTC."""
    east = routine_user(factory, email="east@example.com", timezone="Pacific/Kiritimati", reminder_time="07:00")
    west = routine_user(factory, email="west@example.com", timezone="Pacific/Pago_Pago", reminder_time="07:00")
    send_due(mail_app, "2026-03-28T17:00:00Z")  # Sunday 07:00 in Kiritimati, Saturday 06:00 in Pago Pago
    assert instant_of(east) == at("2026-03-29T17:00:00Z")  # Monday 07:00 in Kiritimati
    assert instant_of(west) == at("2026-03-28T18:00:00Z")  # Saturday 07:00 in Pago Pago, later today
    send_due(mail_app, "2026-03-28T18:00:00Z")
    assert instant_of(west) == at("2026-03-29T18:00:00Z")
    days = {r.user_id: r.local_day for r in ledger_rows()}
    assert days == {east.id: dt.date(2026, 3, 29), west.id: dt.date(2026, 3, 28)}
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == ["east@example.com", "west@example.com"]


def test_after_an_hour_of_downtime_todays_reminders_go_out_once(mail_app, smtp_server, factory):
    users = [routine_user(factory, email=f"u{i}@example.com", timezone="Europe/Berlin", reminder_time=f"07:{i:02d}")
             for i in range(0, 50, 10)]
    send_due(mail_app, "2026-03-16T05:59:00Z")  # the last run before the scheduler stopped
    assert {instant_of(u) for u in users} == {at(f"2026-03-16T06:{i:02d}:00Z") for i in range(0, 50, 10)}
    report = send_due(mail_app, "2026-03-16T07:00:00Z")  # back an hour later
    assert report.created == report.sent == 5
    send_due(mail_app, "2026-03-16T07:01:00Z")
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == sorted(u.email for u in users)
    assert {instant_of(u).date() for u in users} == {dt.date(2026, 3, 17)}


def test_a_saved_change_to_when_the_message_goes_resets_the_instant(mail_app, smtp_server, factory):
    ada = routine_user(factory, timezone="Europe/Berlin", reminder_time="07:00")
    send_due(mail_app, "2026-03-16T06:00:00Z")
    assert instant_of(ada) == at("2026-03-17T06:00:00Z")
    user = db.session.get(User, ada.id)
    user.discreet_titles = True  # does not decide when: kept
    db.session.commit()
    assert instant_of(ada) == at("2026-03-17T06:00:00Z")
    user = db.session.get(User, ada.id)
    user.timezone = "America/New_York"
    db.session.commit()
    assert instant_of(ada) == next_due.EVALUATE
    send_due(mail_app, "2026-03-16T10:00:00Z")  # 06:00 in New York: not yet
    assert instant_of(ada) == at("2026-03-16T11:00:00Z")  # 07:00 EDT
    assert len(smtp_server.messages) == 1  # Berlin's Monday message already went: not again


def test_holiday_pause_and_unsubscribe_move_the_instant(mail_app, smtp_server, factory):
    ada = routine_user(factory, timezone="UTC", reminder_time="07:00",
                       reminders_paused_until=dt.date(2026, 3, 18))
    send_due(mail_app, "2026-03-16T07:00:00Z")
    assert instant_of(ada) == at("2026-03-19T07:00:00Z")  # the first day after the pause
    assert ledger_rows() == []
    user = db.session.get(User, ada.id)
    user.reminders_paused_until = None
    user.email_unsubscribed_at = at("2026-03-16T08:00:00Z")
    db.session.commit()
    assert instant_of(ada) == next_due.EVALUATE
    send_due(mail_app, "2026-03-16T08:00:00Z")
    assert instant_of(ada) is None  # no channel left: never read until a setting changes
    user = db.session.get(User, ada.id)
    user.email_unsubscribed_at = None
    db.session.commit()
    send_due(mail_app, "2026-03-16T08:01:00Z")
    assert [r.status for r in ledger_rows()] == ["sent"]
    assert instant_of(ada) == at("2026-03-17T07:00:00Z")


def test_a_newer_tz_database_resets_every_instant_once(mail_app, factory):
    ada = routine_user(factory, timezone="Europe/Berlin", reminder_time="07:00", products=False)
    quiet = routine_user(factory, email="quiet@example.com", products=False, email_unsubscribed_at=at("2026-03-01T00:00:00Z"))
    send_due(mail_app, "2026-03-16T05:00:00Z")
    assert (instant_of(ada), instant_of(quiet)) == (at("2026-03-16T06:00:00Z"), None)
    assert next_due.reset_on_new_tzdata("9999a") is True
    assert (instant_of(ada), instant_of(quiet)) == (next_due.EVALUATE, None)
    send_due(mail_app, "2026-03-16T05:00:00Z")
    assert instant_of(ada) == at("2026-03-16T06:00:00Z")
    assert next_due.reset_on_new_tzdata("9999a") is False  # the same version: nothing to redo
    assert next_due.reset_on_new_tzdata("2020a") is False  # an older one (a scheduler not yet upgraded)
    assert instant_of(ada) == at("2026-03-16T06:00:00Z")
    assert next_due.tzdata_version()[:2] in ("19", "20")  # e.g. "2025b", read from the zone files


def test_no_statement_carries_more_than_a_chunk_of_ids(app, monkeypatch):
    """2,500 users due in the same minute: read and advanced 1,000 at most per statement.

    No statement grows with the number due: before, one run put every due user's id in one
    query and failed at 1,000,000 users on PostgreSQL's 65,535-parameter limit."""
    users = User.__table__
    rows = [{"email": f"bulk{i}@example.com", "password_hash": "x", "timezone": "UTC", "reminder_time": dt.time(7, 0),
             "email_verified_at": at("2026-01-01T00:00:00Z"), "account_key": f"key-{i}"} for i in range(2500)]
    db.session.execute(sa.insert(users), rows)
    db.session.commit()
    widest, parameters_seen = [], []

    def values(parameters) -> int:
        """Values a statement carries: each parameter, and each element of an array parameter
        (PostgreSQL gets id lists as one array: storage/arrays.py)."""
        items = parameters.values() if isinstance(parameters, dict) else parameters
        return sum(len(v) if isinstance(v, list) else 1 for v in items)

    def count(conn, cursor, statement, parameters, context, executemany):
        nested = isinstance(parameters, (list, tuple)) and parameters and isinstance(parameters[0], (tuple, list, dict))
        each = list(parameters) if nested else [parameters or ()]
        parameters_seen.extend(each)
        widest.append(max(values(p) for p in each))

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        created = queue_due(at("2026-03-16T07:00:00Z"))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert created == 2500
    # ids 1,000 a statement; ledger rows 500 an INSERT (8 columns each): far below SQLite's 32,766
    assert 1000 <= max(widest) <= 4000 < 32_766
    if db.engine.dialect.name == "postgresql":  # lists go as arrays: a few parameters a statement
        assert all(len(p) <= 10 for p in parameters_seen), parameters_seen
    left = db.session.scalar(sa.select(sa.func.count()).select_from(users).where(users.c.next_due_at <= at("2026-03-16T07:00:00Z")))
    assert left == 0
    assert db.session.scalar(sa.select(sa.func.min(users.c.next_due_at))) == at("2026-03-17T07:00:00Z")


@pytest.mark.parametrize("hour", [5, 7])
def test_find_due_reads_only_and_agrees_with_queue_due(app, factory, hour):
    routine_user(factory, timezone="UTC", reminder_time="06:00", products=False)
    now_at = dt.datetime(2026, 3, 16, hour, tzinfo=UTC)
    found = find_due(now_at)
    assert find_due(now_at) == found  # nothing moved
    assert queue_due(now_at) == len(found) == (1 if hour == 7 else 0)


def test_the_migration_sets_existing_users_to_be_looked_at_by_the_next_run(tmp_path):
    """0011_next_due backfills every existing user with EVALUATE: none is skipped by the index."""
    from alembic.script import ScriptDirectory
    from flask_migrate import upgrade

    from planner import create_app
    from planner.config import PROJECT_ROOT
    from tests.support.app import base_config

    before = ScriptDirectory(str(PROJECT_ROOT / "migrations")).get_revision("0011_next_due").down_revision
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"))
    with app.app_context():
        upgrade(revision=before)
        users = sa.Table("users", sa.MetaData(), autoload_with=db.engine)
        samples = {sa.String: "x", sa.Integer: 1, sa.Boolean: False, sa.Time: dt.time(7), sa.Date: dt.date(2026, 1, 1),
                   sa.DateTime: dt.datetime(2026, 1, 1)}
        row = {c.name: next(v for t, v in samples.items() if isinstance(c.type, t))
               for c in users.columns if not c.nullable and c.name != "id"}
        with db.engine.begin() as conn:
            conn.execute(users.insert().values(id=41, **{**row, "email": "old@example.com", "account_key": "old"}))
        upgrade(revision="0011_next_due")
        with db.engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT id, next_due_at FROM users")).all()
        assert [(i, str(v)[:19]) for i, v in stored] == [(41, "2000-01-01 00:00:00")]
        db.engine.dispose()
