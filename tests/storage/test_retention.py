"""Retention: per-day rows older than RETENTION_DAYS go, in batches, as of an injected instant,
without waiting for rows another transaction holds; the scheduler runs it beside the dispatch."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.reminders.process import JOB_ID, PRUNE_JOB_ID, build_scheduler
from planner.storage import retention
from planner.storage.models import AdherenceMark, ReminderSend

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 6, 30, 12, 0, tzinfo=UTC)
DAYS = 90
FIRST_KEPT = retention.cutoff_day(NOW, DAYS)


def _fill(user, days: list[dt.date]) -> None:
    db.session.execute(sa.insert(ReminderSend), [
        {"user_id": user.id, "local_day": d, "kind": "daily", "status": "sent", "due_at": dt.datetime.combine(d, dt.time(7), UTC),
         "attempts": 1} for d in days
    ])
    db.session.execute(sa.insert(AdherenceMark), [
        {"user_id": user.id, "local_day": d, "step_key": "serum", "status": "done"} for d in days
    ])
    db.session.commit()


def _days(table) -> list[dt.date]:
    return sorted(db.session.scalars(sa.select(table.local_day)))


def test_cutoff_keeps_retention_days_in_every_zone():
    assert FIRST_KEPT == dt.date(2026, 3, 31)  # 91 days before 30 June: today's zones reach a day back
    # the same instant written with another offset is the same cutoff
    assert retention.cutoff_day(dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=14))), DAYS) == FIRST_KEPT


def test_prune_deletes_old_rows_in_batches_and_keeps_recent_ones(app, user):
    old = [FIRST_KEPT - dt.timedelta(days=n) for n in range(1, 8)]  # 7 old days
    recent = [FIRST_KEPT + dt.timedelta(days=n) for n in range(0, 5)]  # kept, including the cutoff day
    _fill(user, old + recent)

    pruned = retention.prune(NOW, DAYS, batch_size=3)

    assert pruned.rows == {"reminder_sends": 7, "adherence_marks": 7}
    assert pruned.batches == 6  # 3 + 3 + 1 per table
    assert _days(ReminderSend) == recent
    assert _days(AdherenceMark) == recent
    assert str(pruned).startswith("deleted rows older than 2026-03-31: 7 from reminder_sends, 7 from adherence_marks")
    assert retention.prune(NOW, DAYS, batch_size=3).total == 0  # nothing left to do


def test_prune_stops_between_batches_when_asked(app, user):
    _fill(user, [FIRST_KEPT - dt.timedelta(days=n) for n in range(1, 5)])
    calls = iter([False, True, True, True])
    pruned = retention.prune(NOW, DAYS, batch_size=2, should_stop=lambda: next(calls))
    assert pruned.rows["reminder_sends"] == 2
    assert len(_days(ReminderSend)) == 2


def test_retention_days_must_be_positive(app):
    with pytest.raises(ValueError, match="at least 1"):
        retention.prune(NOW, 0)


def test_prune_command_uses_the_given_instant(app, user, runner):
    _fill(user, [FIRST_KEPT - dt.timedelta(days=1), FIRST_KEPT])
    result = runner.invoke(args=["prune", "--at", NOW.isoformat()])
    assert result.exit_code == 0, result.output
    assert "1 from reminder_sends, 1 from adherence_marks" in result.output
    assert _days(ReminderSend) == [FIRST_KEPT]


def test_prune_command_refuses_a_bare_local_time(app, runner):
    result = runner.invoke(args=["prune", "--at", "2026-06-30T12:00"])
    assert result.exit_code == 2
    assert "has no time zone" in result.output


def test_scheduler_holds_dispatch_and_prune_jobs_on_separate_threads(app):
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = build_scheduler(app, BackgroundScheduler, threading.Event())
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {JOB_ID, PRUNE_JOB_ID}
    assert jobs[PRUNE_JOB_ID].executor == "retention" != jobs[JOB_ID].executor
    assert jobs[PRUNE_JOB_ID].trigger.interval == dt.timedelta(seconds=app.config["RETENTION_INTERVAL_SECONDS"])


@pytest.mark.parametrize("db_backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_prune_skips_rows_another_transaction_holds_instead_of_waiting(app, user):
    _fill(user, [FIRST_KEPT - dt.timedelta(days=n) for n in range(1, 4)])
    held_id = db.session.scalar(sa.select(ReminderSend.id).order_by(ReminderSend.local_day).limit(1))
    with db.engine.connect() as other:
        other.execute(sa.text("SET lock_timeout = '5s'"))
        other.execute(sa.select(ReminderSend.id).where(ReminderSend.id == held_id).with_for_update())
        db.session.execute(sa.text("SET lock_timeout = '2s'"))  # a wait would fail the test, not hang it
        pruned = retention.prune(NOW, DAYS, batch_size=1)
        assert pruned.rows["reminder_sends"] == 2
        other.rollback()
    assert [r.id for r in db.session.scalars(sa.select(ReminderSend))] == [held_id]
    assert retention.prune(NOW, DAYS).rows["reminder_sends"] == 1  # the next run takes it
