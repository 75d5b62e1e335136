"""Two schedulers on one PostgreSQL (threads, and processes): every reminder exactly once."""

from __future__ import annotations

import datetime as dt
import subprocess
import threading
import time

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.reminders import ledger
from planner.reminders.dispatch import dispatch
from planner.storage.models import ReminderSend, User
from tests.support.reminders import FLASK, ROOT, at, flask_env, ledger_rows, message_ids, routine_users, send_due

MONDAY = "2026-03-16T06:00:00Z"



@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres)])
def db_backend(request):
    """These tests need row locks that skip each other: PostgreSQL only."""
    return request.param


@pytest.mark.parametrize("gated_sink", [0], indirect=True)
def test_two_schedulers_in_threads_send_each_reminder_once(app, factory, gated_sink):
    """The sink holds the first message until four more have arrived: the scheduler sending it
    waits, so the other must be claiming and sending meanwhile (without the hold, one scheduler
    can finish all 60 before the other has looked, and "both took part" would rest on timing)."""
    smtp_server = gated_sink
    routine_users(factory, 60)
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_SECURITY="none",
                      REMINDER_BATCH_SIZE=4, REMINDER_HANDOVER_GROUP=2)
    start = threading.Barrier(2)
    reports, errors = [], []

    def release_when_the_other_has_sent():
        gated_sink.handler.holding.wait(60)
        deadline = time.monotonic() + 60
        while gated_sink.handler.seen < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        gated_sink.handler.release.set()

    def scheduler():
        try:
            with app.app_context():
                start.wait(10)
                reports.append(dispatch(app, now_at=at(MONDAY)))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    releaser = threading.Thread(target=release_when_the_other_has_sent)
    for t in [releaser, *threads]:
        t.start()
    for t in [*threads, releaser]:
        t.join(120)
    assert not errors
    assert gated_sink.handler.seen == 60
    assert sum(r.sent for r in reports) == 60, (reports, [(r.status, r.last_error) for r in ledger_rows() if r.status != 'sent'])
    assert all(r.sent for r in reports), "both schedulers should have taken part"
    ids = message_ids(smtp_server)
    assert len(ids) == 60 and len(set(ids)) == 60
    assert {r.status for r in ledger_rows()} == {"sent"}
    assert len({r.claimed_by for r in ledger_rows()}) == 2


def test_two_scheduler_processes_send_each_reminder_once(app, factory, smtp_server):
    routine_users(factory, 80)
    env = flask_env(app, SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_SECURITY="none",
                    REMINDER_BATCH_SIZE=5)
    processes = [subprocess.Popen([*FLASK, "send-due", "--at", MONDAY], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=180) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    ids = message_ids(smtp_server)
    assert len(ids) == 80 and len(set(ids)) == 80
    rows = ledger_rows()
    assert len(rows) == 80 and {r.status for r in rows} == {"sent"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReminderSend)) == 80


def test_restart_after_the_other_scheduler_finished_sends_nothing(app, factory, smtp_server):
    routine_users(factory, 10)
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_SECURITY="none")
    assert send_due(app, MONDAY).sent == 10
    assert send_due(app, MONDAY).sent == 0
    assert len(smtp_server.messages) == 10


def test_rows_the_other_scheduler_queues_after_this_ones_claim_are_sent_too(app, factory, smtp_server, monkeypatch):
    """The other scheduler's queueing ends between this run's empty claim and its look at what is
    left. The look is one statement, one snapshot: it sees the other's users still due or their
    rows open, never neither, so this run claims again and sends them instead of leaving them.

    The other scheduler is a second connection that holds every due user locked, as its queueing
    does, with their ledger rows written but not committed; it commits at the moment this run's
    first claim comes back empty. Nothing here depends on timing."""
    routine_users(factory, 6)
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_SECURITY="none")
    users = db.session.scalars(sa.select(User.id).order_by(User.id)).all()
    db.session.commit()
    other = db.engine.connect()
    try:
        other.execute(sa.select(User.id).where(User.next_due_at <= at(MONDAY)).with_for_update())
        other.execute(sa.insert(ReminderSend), [
            {"user_id": user_id, "local_day": dt.date(2026, 3, 16), "kind": "daily", "channel": "email",
             "status": "pending", "due_at": at(MONDAY), "attempts": 0} for user_id in users])
        other.execute(sa.update(User).values(next_due_at=at("2026-03-17T06:00:00Z")))
        real_claim, claims = ledger.claim, []

        def claim_then_the_other_commits(*args, **kwargs):
            rows = real_claim(*args, **kwargs)
            claims.append(len(rows))
            if not rows and other.in_transaction():
                other.commit()  # the other scheduler's queueing ends now, after this claim
            return rows

        monkeypatch.setattr(ledger, "claim", claim_then_the_other_commits)
        report = send_due(app, MONDAY)
    finally:
        other.close()
    assert claims[0] == 0 and 6 in claims  # nothing at first; the other's rows on a later claim
    assert (report.created, report.sent, report.left_open) == (0, 6, 0)
    assert len(set(message_ids(smtp_server))) == 6
    assert {r.status for r in ledger_rows()} == {"sent"}
