"""One dispatch run: recover what a stopped run left, queue what is due, then claim and send it.

A run, in order:

1. **Recovery.** It replays the journal of a run on this host that died (journal.py), then
   recovers stale claims (ledger.recover_stale): rows never handed to the server go back to
   pending; a row handed over without a recorded answer is dropped as "outcome unknown" (at
   most once). A process killed at any point (SIGKILL) or a database that goes away mid-run
   loses nothing the server said: the ledger says what the server received, rows never started
   are sent, and at most one row — the message in flight — is dropped. Claims of a process on
   this host that no longer exists are recovered at once (workers.py).
2. **Queueing** (candidates.queue_due): a ledger row for each message due at ``now_at``.
3. **Claim and send** in batches (sending.py) until nothing is left to claim.

Several scheduler processes share a peak: queueing locks users a chunk at a time and claims
skip each other's rows (``SKIP LOCKED``), so each run queues and sends a share. A run whose
claim comes back empty asks once whether anything may still come (candidates.whats_left): a
user another scheduler is still queueing, or a row it committed since the claim. While
something may, it waits a tenth of a second and claims again, rather than leave the other the
whole peak. The run's report ends with the open rows it left in the ledger (failed rows waiting
for a retry, snoozes not yet due).
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

from planner.mail import transport as transports
from planner.reminders import journal, ledger
from planner.reminders.candidates import queue_due, whats_left
from planner.reminders.sending import Sender, Tally
from planner.reminders.workers import RUNS, process_gone, worker_name
from planner.storage.types import utcnow

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 500
DEFAULT_CLAIM_TIMEOUT_SECONDS = 900
#: How many times (0.1 s apart) a run with nothing to claim waits for another scheduler's queueing.
_MAX_WAITS = 300


@dataclass
class Report(Tally):
    created: int = 0
    requeued: int = 0  # stale claims of a dead dispatcher, never handed over: sent again
    lost: int = 0  # stale claims of a dead dispatcher, maybe delivered: dropped (at most once)
    left_open: int = 0  # open ledger rows when the run ended: failed rows to retry, rows not yet due

    def __str__(self) -> str:
        return (f"{self.created} due, {self.sent} sent, {self.failed} to retry, {self.dropped} dropped; "
                f"recovered from a stopped dispatcher: {self.requeued} re-queued, {self.lost} outcome unknown; "
                f"{self.left_open} open in the ledger")


class Dispatcher:
    """Sends what is due as of ``now_at`` (default: now). Needs an app context."""

    def __init__(self, app: Flask, *, now_at: dt.datetime | None = None, transport: transports.Transport | None = None,
                 should_stop: Callable[[], bool] = lambda: False):
        if now_at is not None and now_at.tzinfo is None:
            raise ValueError("now_at must be an aware datetime")
        config = app.config
        self.app = app
        self.start_at = now_at or utcnow()
        self._started = time.monotonic()
        self.transport = transport or transports.from_config(config)
        self.should_stop = should_stop
        self.batch_size = int(config.get("REMINDER_BATCH_SIZE", DEFAULT_BATCH_SIZE))
        self.claim_timeout = dt.timedelta(seconds=int(config.get("REMINDER_CLAIM_TIMEOUT_SECONDS",
                                                                 DEFAULT_CLAIM_TIMEOUT_SECONDS)))
        self.worker = worker_name()
        self.report = Report()
        self.journal_folder = journal.folder_of(app.instance_path)

    def clock(self) -> dt.datetime:
        """``now_at`` moving forward in real time, so claims and retries of a long run stay honest."""
        return self.start_at + dt.timedelta(seconds=time.monotonic() - self._started)

    def run(self) -> Report:
        RUNS.started(self.worker)
        try:
            return self._run()
        finally:
            RUNS.ended(self.worker)

    def _run(self) -> Report:
        report = self.report
        ended_here = RUNS.ended_here()
        journal.replay(self.journal_folder, RUNS.gone())
        report.requeued, report.lost = ledger.recover_stale(self.clock(), self.claim_timeout, ended_here,
                                                            gone=process_gone)
        if report.lost:
            log.warning("%d reminder(s) were handed to the mail server by a dispatcher that stopped before "
                        "recording the answer; dropped, not resent", report.lost)
        report.created = queue_due(self.start_at)
        sender = Sender(self.app, self.worker, self.clock, report, transport=self.transport, should_stop=self.should_stop)
        left = None
        try:
            waited = 0
            while not self.should_stop():
                rows = ledger.claim(self.worker, self.clock(), self.batch_size)
                if rows:
                    sender.send_batch(rows)
                    continue
                left = whats_left(self.start_at, self.clock())
                if not left.coming or waited >= _MAX_WAITS:
                    break
                # Another scheduler is still queueing (or just committed rows): help send them.
                left = None
                waited += 1
                time.sleep(0.1)
                report.created += queue_due(self.start_at)
        finally:
            sender.close(recorded=sys.exc_info()[0] is None)
        report.left_open = (left or whats_left(self.start_at, self.clock())).open_rows
        if report.created or report.sent or report.failed or report.dropped or report.requeued or report.lost:
            log.info("Reminders: %s", report)
        return report


def dispatch(app: Flask, **options) -> Report:
    """Send what is due (see Dispatcher); the scheduler job and the send-due command call this."""
    return Dispatcher(app, **options).run()
