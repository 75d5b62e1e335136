"""The reminder scheduler: one APScheduler job that runs the dispatch every minute, and one
that prunes old per-day rows (planner/storage/retention.py) every RETENTION_INTERVAL_SECONDS.

One periodic job over database state, never one stored job per user: the ledger, not the
scheduler, knows what was sent, so restarts, missed runs and several scheduler processes need no
job store (APScheduler's FAQ warns that a shared job store means duplicate or missed runs). The
job coalesces missed runs into one, never overlaps itself, and may start late by up to
SCHEDULER_MISFIRE_GRACE_SECONDS (APScheduler's default grace is one second).

Production runs ``flask --app wsgi scheduler`` as its own process (BlockingScheduler), never
inside gunicorn's web workers, which would each start one. The prune job has its own thread
(executor), so a long prune never delays a dispatch run; it deletes in short batches. The quick start's ``serve`` command
calls ``start_embedded`` once beside the development server (BackgroundScheduler).
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import signal
import threading

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from planner.clock import utc_now
from planner.reminders import next_due
from planner.reminders.dispatch import dispatch
from planner.storage import retention

log = logging.getLogger(__name__)

JOB_ID = "reminders.dispatch"
PRUNE_JOB_ID = "retention.prune"

_embedded: tuple[BaseScheduler, threading.Event] | None = None
_embedded_lock = threading.Lock()


def log_to_stderr() -> None:
    """Show what the reminders do (sends, outbox files, retries) when nothing else set up logging."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    planner = logging.getLogger("planner")
    if planner.level == logging.NOTSET:  # e.g. Alembic's logging config left the root at WARNING
        planner.setLevel(logging.INFO)


def run_job(app: Flask, stopping: threading.Event) -> None:
    """One dispatch run in its own app context (its own database session)."""
    with app.app_context():
        try:
            next_due.check_tzdata_once()
            dispatch(app, should_stop=stopping.is_set)
        except Exception:  # logged here; the next run starts from the database state again
            log.exception("Reminder dispatch failed")


def run_prune(app: Flask, stopping: threading.Event) -> None:
    """One retention run in its own app context; stops between batches when the process stops."""
    with app.app_context():
        try:
            pruned = retention.prune(utc_now(), int(app.config["RETENTION_DAYS"]),
                                     int(app.config["RETENTION_BATCH_SIZE"]), should_stop=stopping.is_set)
            if pruned.total:
                log.info("Retention: %s", pruned)
        except Exception:  # logged here; the next run picks up where this one stopped
            log.exception("Retention prune failed")


def build_scheduler(app: Flask, scheduler_class: type[BaseScheduler], stopping: threading.Event,
                    **options) -> BaseScheduler:
    """A scheduler holding the dispatch job (first run as soon as it starts) and the prune job."""
    config = app.config
    executors = {"default": ThreadPoolExecutor(1), "retention": ThreadPoolExecutor(1)}
    scheduler = scheduler_class(timezone=dt.timezone.utc, executors=executors, **options)
    scheduler.add_job(
        run_job,
        trigger="interval",
        seconds=int(config["SCHEDULER_INTERVAL_SECONDS"]),
        args=(app, stopping),
        id=JOB_ID,
        name="Send due reminders",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=int(config["SCHEDULER_MISFIRE_GRACE_SECONDS"]),
        next_run_time=dt.datetime.now(dt.timezone.utc),
    )
    scheduler.add_job(
        run_prune,
        trigger="interval",
        seconds=int(config["RETENTION_INTERVAL_SECONDS"]),
        args=(app, stopping),
        id=PRUNE_JOB_ID,
        name="Prune per-day rows past RETENTION_DAYS",
        executor="retention",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=int(config["RETENTION_INTERVAL_SECONDS"]),
        next_run_time=dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=1),
    )
    return scheduler


def run_blocking(app: Flask) -> None:
    """The scheduler process: runs until SIGTERM or Ctrl+C, then lets the current message finish."""
    log_to_stderr()
    stopping = threading.Event()
    scheduler = build_scheduler(app, BlockingScheduler, stopping)

    def stop(signum, frame) -> None:
        log.info("Reminder scheduler stopping (signal %d)", signum)
        stopping.set()
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    scheduler.start()  # blocks until stop()


def start_embedded(app: Flask) -> BaseScheduler:
    """Start the background scheduler beside the development server, once per process."""
    global _embedded
    with _embedded_lock:
        if _embedded is None:
            log_to_stderr()
            stopping = threading.Event()
            scheduler = build_scheduler(app, BackgroundScheduler, stopping, daemon=True)
            scheduler.start()
            atexit.register(stop_embedded)
            _embedded = (scheduler, stopping)
            log.info("Embedded reminder scheduler started")
        return _embedded[0]


def stop_embedded(wait: bool = False) -> None:
    """Stop the embedded scheduler (at exit; tests wait for the running dispatch to end)."""
    global _embedded
    with _embedded_lock:
        if _embedded is not None:
            scheduler, stopping = _embedded
            stopping.set()
            if scheduler.running:
                scheduler.shutdown(wait=wait)
            _embedded = None
