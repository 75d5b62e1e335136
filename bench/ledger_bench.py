"""The send ledger at scale on PostgreSQL: one claim, and the retention prune.

Targets (issue 14): a claim takes its limit (500) in milliseconds whatever the statistics say,
with a day of sent history in the table; the prune deletes in batches of 1,000 without long
transactions. Each figure is printed next to the old `WHERE id IN (subquery)` claim for
comparison. Statistics are made stale on purpose: the table is analysed before the open rows
go in (autovacuum off), as when autoanalyze has not caught up with a day's rows.

How the cost grows:
- claim (materialized CTE + partial index on open rows): with the limit, not with the open
  rows nor the sent history — it reads the first `limit` entries of the partial index;
- the old claim: with open rows × limit once the planner picks the semi join (quadratic);
- prune: linear in the rows deleted, ~constant per 1,000-row batch (an indexed range on
  local_day, a delete by primary key); a run with nothing to delete is one indexed probe per table.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

SENT_DAYS = 10
LIMIT = 500
OPEN_SIZES = (2_000, 10_000)
PRUNE_ROWS = 100_000
UTC = dt.timezone.utc
NOW = dt.datetime(2026, 3, 17, 7, 0, tzinfo=UTC)


def _fill(users: int) -> None:
    import sqlalchemy as sa

    from planner.extensions import db
    from planner.storage.models import ReminderSend, User

    db.session.execute(sa.text("TRUNCATE users, reminder_sends RESTART IDENTITY CASCADE"))
    db.session.execute(sa.text("ALTER TABLE reminder_sends SET (autovacuum_enabled = false)"))
    db.session.execute(sa.insert(User), [{"id": i, "email": f"u{i}@example.com", "password_hash": "x", "timezone": "UTC"}
                                         for i in range(1, users + 1)])
    for day in range(1, SENT_DAYS + 1):
        db.session.execute(sa.insert(ReminderSend), [
            {"user_id": u, "local_day": NOW.date() - dt.timedelta(days=day), "kind": "daily", "status": "sent",
             "due_at": NOW - dt.timedelta(days=day), "attempts": 1} for u in range(1, users + 1)])
    db.session.commit()
    db.session.execute(sa.text("ANALYZE reminder_sends"))
    db.session.execute(sa.insert(ReminderSend), [
        {"user_id": u, "local_day": NOW.date(), "kind": "daily", "status": "pending", "due_at": NOW - dt.timedelta(seconds=u),
         "attempts": 0} for u in range(1, users + 1)])
    db.session.commit()


def _old_claim(limit: int) -> int:
    """The claim before issue 14: UPDATE … WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)."""
    import sqlalchemy as sa

    from planner.extensions import db

    count = db.session.execute(sa.text(
        "UPDATE reminder_sends SET status = 'sending' WHERE id IN (SELECT id FROM reminder_sends "
        "WHERE status IN ('pending', 'failed') AND (next_attempt_at IS NULL OR next_attempt_at <= :now) "
        "ORDER BY due_at, id LIMIT :n FOR UPDATE SKIP LOCKED) AND status IN ('pending', 'failed')"
    ), {"now": NOW, "n": limit}).rowcount
    db.session.rollback()
    return count


def time_claims() -> None:
    from planner.extensions import db
    from planner.reminders import ledger

    for users in OPEN_SIZES:
        _fill(users)
        t0 = time.perf_counter()
        old = _old_claim(LIMIT)
        old_ms = (time.perf_counter() - t0) * 1000
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            claimed = ledger.claim("bench", NOW, LIMIT)
            runs.append((time.perf_counter() - t0) * 1000)
            assert len(claimed) == LIMIT
        ms = statistics.median(runs)
        print(f"claim {LIMIT} of {users:6d} open rows, {users * SENT_DAYS:7d} sent rows, stale statistics: "
              f"{ms:7.1f} ms, exactly {LIMIT}   (target: its limit, in ms)  {'OK' if ms < 100 else 'MISSED'}; "
              f"old IN-subquery claim: {old} rows in {old_ms:.0f} ms")
        db.session.rollback()


def time_prune() -> None:
    import sqlalchemy as sa

    from planner.extensions import db
    from planner.storage import retention
    from planner.storage.models import ReminderSend, User

    db.session.execute(sa.text("TRUNCATE users, reminder_sends RESTART IDENTITY CASCADE"))
    users = PRUNE_ROWS // 100
    db.session.execute(sa.insert(User), [{"id": i, "email": f"u{i}@example.com", "password_hash": "x", "timezone": "UTC"}
                                         for i in range(1, users + 1)])
    for day in range(100):  # 100 old days, all past a 90-day retention 200 days on
        db.session.execute(sa.insert(ReminderSend), [
            {"user_id": u, "local_day": NOW.date() - dt.timedelta(days=200 + day), "kind": "daily", "status": "sent",
             "due_at": NOW, "attempts": 1} for u in range(1, users + 1)])
    db.session.commit()
    db.session.execute(sa.text("ANALYZE reminder_sends"))
    t0 = time.perf_counter()
    pruned = retention.prune(NOW, 90, batch_size=1_000)
    seconds = time.perf_counter() - t0
    per_batch = seconds / max(1, pruned.batches) * 1000
    t0 = time.perf_counter()
    retention.prune(NOW, 90)
    idle_ms = (time.perf_counter() - t0) * 1000
    print(f"prune {pruned.rows['reminder_sends']} ledger rows: {seconds:.1f} s in {pruned.batches} batches, "
          f"{per_batch:.1f} ms a batch (each its own transaction)   (target: batches of 1,000, short)  "
          f"{'OK' if per_batch < 500 else 'MISSED'}; a run with nothing to prune {idle_ms:.1f} ms")
    db.session.execute(sa.text("ALTER TABLE reminder_sends RESET (autovacuum_enabled)"))
    db.session.commit()


def main() -> None:
    import tempfile
    from pathlib import Path

    from flask_migrate import upgrade

    from planner import create_app
    from planner.extensions import db
    from tests.support.services import start_postgres

    cluster = start_postgres()
    try:
        url = cluster.create_database("ledger_bench")
        with tempfile.TemporaryDirectory(prefix="afterglow-ledger-bench-") as tmp:
            app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": str(Path(tmp) / "instance"),
                              "EMBEDDED_SCHEDULER": False})
            with app.app_context():
                upgrade()
                time_claims()
                time_prune()
                db.engine.dispose()
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
