"""`flask send-due`, `flask scheduler` and the embedded scheduler."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import time

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from planner.reminders import process
from tests.support.reminders import FLASK, ROOT, flask_env, ledger_rows, routine_user


def wait_for(condition, timeout: float = 60.0) -> bool:
    """Poll until the condition holds (a scheduler in another thread or process is at work)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_send_due_sends_what_is_due_at_the_instant(mail_app, smtp_server, runner, factory):
    routine_user(factory)
    result = runner.invoke(args=["send-due", "--at", "2026-03-16T06:00:00Z"])
    assert result.exit_code == 0, result.output
    assert "Reminders as of 2026-03-16T06:00:00Z: 1 due, 1 sent" in result.output
    assert len(smtp_server.messages) == 1
    result = runner.invoke(args=["send-due", "--at", "2026-03-16T07:00:00+01:00"])  # same instant, other spelling
    assert "0 due, 0 sent" in result.output
    assert len(smtp_server.messages) == 1


@pytest.mark.parametrize(("value", "message"), [
    ("yesterday", "is not an ISO 8601 date and time"),
    ("2026-03-29 25:00", "is not an ISO 8601 date and time"),
    ("2026-03-29T01:30:00", "has no time zone"),
    ("2026-03-29", "has no time zone"),
])
def test_send_due_explains_bad_instants(runner, value, message):
    result = runner.invoke(args=["send-due", "--at", value])
    assert result.exit_code == 2
    assert message in result.output and "--at" in result.output


def test_send_due_exits_1_when_a_message_must_be_retried(mail_app, smtp_server, runner, factory):
    routine_user(factory)
    smtp_server.handler.refuse = True
    result = runner.invoke(args=["send-due", "--at", "2026-03-16T06:00:00Z"])
    assert result.exit_code == 1 and "1 to retry" in result.output
    assert "1 open in the ledger" in result.output  # the failed row waits for its retry


def test_the_dispatch_job(app):
    app.config.update(SCHEDULER_INTERVAL_SECONDS=60, SCHEDULER_MISFIRE_GRACE_SECONDS=3600)
    scheduler = process.build_scheduler(app, BackgroundScheduler, process.threading.Event())
    assert {j.id for j in scheduler.get_jobs()} == {process.JOB_ID, process.PRUNE_JOB_ID}
    job = scheduler.get_job(process.JOB_ID)
    assert isinstance(job.trigger, IntervalTrigger) and job.trigger.interval == dt.timedelta(seconds=60)
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 3600)
    assert job.next_run_time is not None  # runs as soon as the scheduler starts


def test_embedded_scheduler_starts_once_and_sends(mail_app, smtp_server, factory):
    now = dt.datetime.now(dt.timezone.utc)
    routine_user(factory, timezone="UTC", reminder_time="00:00")  # due from midnight UTC, i.e. now
    try:
        first = process.start_embedded(mail_app)
        assert process.start_embedded(mail_app) is first  # a second call is a no-op
        assert first.running and len(first.get_jobs()) == 2  # dispatch and retention
        assert wait_for(lambda: len(smtp_server.messages) == 1)
    finally:
        process.stop_embedded(wait=True)
    [row] = ledger_rows()
    # The scheduler reads the real clock: its day is today's in UTC (or tomorrow's, past midnight).
    assert row.status == "sent" and row.local_day in {now.date(), dt.datetime.now(dt.timezone.utc).date()}
    assert len(smtp_server.messages) == 1


def test_scheduler_process_sends_and_stops_on_sigterm(app, smtp_server, factory):
    routine_user(factory, timezone="UTC", reminder_time="00:00")
    env = flask_env(app, SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_SECURITY="none",
                    SCHEDULER_INTERVAL_SECONDS=1)
    scheduler = subprocess.Popen([*FLASK, "scheduler"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: len(smtp_server.messages) >= 1)
        time.sleep(2.5)  # a few more runs: they must find nothing left to send
        scheduler.send_signal(signal.SIGTERM)
        out, err = scheduler.communicate(timeout=30)
    finally:
        if scheduler.poll() is None:
            scheduler.kill()
            scheduler.communicate()
    assert scheduler.returncode == 0, err
    assert "Reminder scheduler: sending what is due every 1 s" in out
    assert len(smtp_server.messages) == 1
    assert [r.status for r in ledger_rows()] == ["sent"]
