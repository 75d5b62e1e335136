"""The claim takes exactly its limit, however much sent history the ledger holds and however
stale PostgreSQL's statistics about it are (issue 14: a semi join re-ran the locking subquery
per open row and claimed every open row, in seconds to minutes)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.reminders import ledger
from planner.reminders.ledger import SendStatus
from planner.storage.models import ReminderSend, User

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 3, 17, 7, 0, tzinfo=UTC)
TODAY = NOW.date()
USERS = 2_000
SENT_DAYS = 10  # 2,000 users × 10 days = 20,000 sent rows: more than a day of sent history
LIMIT = 500


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres)])
def db_backend(request):
    """The planner trap is PostgreSQL's; SQLite's claim is covered by the dispatch tests."""
    return request.param


def _ledger_with_history() -> None:
    """USERS users, each with SENT_DAYS sent days and one open reminder due now.

    The table is analysed after the sent rows went in and before the open ones did, with
    autovacuum off: the planner believes nothing is open, as when autoanalyze has not caught
    up with a day's new rows in a big table."""
    db.session.execute(sa.text("ALTER TABLE reminder_sends SET (autovacuum_enabled = false)"))
    db.session.commit()
    db.session.execute(sa.insert(User), [
        {"id": i, "email": f"u{i}@example.com", "password_hash": "x", "timezone": "UTC"} for i in range(1, USERS + 1)
    ])
    sent = [
        {"user_id": u, "local_day": TODAY - dt.timedelta(days=d), "kind": "daily", "status": SendStatus.SENT,
         "due_at": NOW - dt.timedelta(days=d), "attempts": 1, "sent_at": NOW - dt.timedelta(days=d)}
        for u in range(1, USERS + 1) for d in range(1, SENT_DAYS + 1)
    ]
    open_rows = [
        {"user_id": u, "local_day": TODAY, "kind": "daily", "status": SendStatus.PENDING if u % 4 else SendStatus.FAILED,
         "due_at": NOW - dt.timedelta(seconds=u), "attempts": 0 if u % 4 else 1,
         "next_attempt_at": None if u % 4 else NOW - dt.timedelta(minutes=1)}
        for u in range(1, USERS + 1)
    ]
    for start in range(0, len(sent), 5_000):
        db.session.execute(sa.insert(ReminderSend), sent[start:start + 5_000])
    db.session.commit()
    db.session.execute(sa.text("ANALYZE reminder_sends"))
    db.session.execute(sa.insert(ReminderSend), open_rows)
    db.session.commit()


@pytest.fixture
def history(app):
    _ledger_with_history()
    yield
    db.session.rollback()
    db.session.execute(sa.text("ALTER TABLE reminder_sends RESET (autovacuum_enabled)"))
    db.session.commit()


def _count(status: SendStatus) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(ReminderSend).where(ReminderSend.status == status))


def test_one_claim_takes_exactly_its_limit_oldest_due_first(app, history):
    assert _count(SendStatus.SENT) == USERS * SENT_DAYS

    claimed = ledger.claim("worker-a", NOW, LIMIT)

    assert len(claimed) == LIMIT
    assert _count(SendStatus.SENDING) == LIMIT
    assert _count(SendStatus.PENDING) + _count(SendStatus.FAILED) == USERS - LIMIT
    # oldest due first: user u is due u seconds ago, so the claim took the highest user ids
    assert sorted(c.user_id for c in claimed) == list(range(USERS - LIMIT + 1, USERS + 1))
    assert {c.local_day for c in claimed} == {TODAY}


def test_claims_in_turn_take_every_open_row_once(app, history):
    seen: list[int] = []
    while batch := ledger.claim("worker-a", NOW, LIMIT):
        assert len(batch) <= LIMIT
        seen.extend(c.id for c in batch)
    assert len(seen) == len(set(seen)) == USERS
    assert _count(SendStatus.SENDING) == USERS


def test_a_failed_row_waits_for_its_retry_time(app, history):
    early = NOW - dt.timedelta(minutes=5)  # before any failed row's next attempt
    claimed = ledger.claim("worker-a", early, USERS)
    assert claimed and all(c.attempts == 0 for c in claimed)
    assert _count(SendStatus.FAILED) == USERS // 4


def test_the_claim_plan_reads_open_rows_once(app, history):
    """EXPLAIN of the statement the claim runs: one materialized CTE with the LIMIT inside it,
    joined to the table by primary key, rather than a semi join that re-runs the subquery."""
    statement = sa.text(
        "EXPLAIN (FORMAT JSON) WITH ready AS MATERIALIZED (SELECT id FROM reminder_sends "
        "WHERE status IN ('pending', 'failed') AND (next_attempt_at IS NULL OR next_attempt_at <= :now) "
        "ORDER BY due_at, id LIMIT :n FOR UPDATE SKIP LOCKED) "
        "UPDATE reminder_sends SET status = 'sending' FROM ready WHERE reminder_sends.id = ready.id"
    )
    plan = db.session.execute(statement, {"now": NOW, "n": LIMIT}).scalar()
    db.session.rollback()
    text = repr(plan)
    assert "'CTE Name': 'ready'" in text
    assert "'Node Type': 'Limit'" in text
    assert "Semi" not in text
    assert "'Index Name': 'pk_reminder_sends'" in text  # each claimed row found by its key
    assert "'Index Name': 'ix_reminder_sends_open'" in text  # the open rows read from the partial index
