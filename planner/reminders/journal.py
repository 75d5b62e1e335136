"""A dispatcher's journal: which message it started sending, and what the server answered.

The ledger learns a message's outcome at the next hand-over commit (sending.py), one commit per
REMINDER_HANDOVER_GROUP messages: a commit per message would cost an fsync each (6 ms on SQLite
here, a WAL flush on PostgreSQL) and make the dispatcher several times slower than the mail
server. Between two commits the truth lives here, in a file of the instance folder appended with
one unbuffered ``write`` per event:

* ``S <row id>`` just before a message's data goes to the server;
* ``O <json outcome>`` as soon as the server answered (sent, refused, try later); its error
  text scrubbed as the ledger's is (no addresses, links or tokens), the file 0600.

A process killed with SIGKILL loses nothing it wrote (the kernel holds the page), so the next
run on this host, before it recovers stale claims, replays the journal of every run that is
gone: outcomes go into the ledger as the server gave them, rows handed over but never started
go back to pending (ledger.unmark), and only a row started without an answer — the message in
flight — is left to be dropped as "outcome unknown". A database outage mid-run is replayed the
same way by the process's next run. A machine that loses power may lose the last writes, and a
scheduler on another host cannot read this one's journal: then the claim timeout recovers the
group as before (at most once, at most one group unknown).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path

from planner.redact import scrub_error
from planner.reminders import ledger
from planner.reminders.ledger import Outcome, SendStatus

log = logging.getLogger(__name__)


def folder_of(instance_path: str) -> Path:
    return Path(instance_path) / "reminder-journal"


class Journal:
    """The journal of one dispatch run (one worker), created at its first message."""

    def __init__(self, folder: Path, worker: str):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.path = folder / f"{re.sub(r'[^A-Za-z0-9._-]+', '_', worker)}.log"
        self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self._write(f"W {worker}")

    def _write(self, line: str) -> None:
        os.write(self.fd, (line + "\n").encode())

    def started(self, row_id: int) -> None:
        self._write(f"S {row_id}")

    def answered(self, outcome: Outcome) -> None:
        self._write("O " + json.dumps({
            "row_id": outcome.row_id, "status": str(outcome.status), "attempted": outcome.attempted,
            "error": scrub_error(outcome.error), "next_attempt_at": _iso(outcome.next_attempt_at), "sent_at": _iso(outcome.sent_at),
            "message_id": outcome.message_id,
        }))

    def close(self, *, recorded: bool) -> None:
        """Close; delete the file when the ledger holds every outcome in it."""
        os.close(self.fd)
        if recorded:
            self.path.unlink(missing_ok=True)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _instant(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def read(path: Path) -> tuple[str | None, list[Outcome], set[int]]:
    """(worker, outcomes, rows started without an answer) from one journal file."""
    worker, outcomes, started = None, [], set()
    answered: set[int] = set()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        kind, _, rest = line.partition(" ")
        try:
            if kind == "W":
                worker = rest
            elif kind == "S":
                started.add(int(rest))
            elif kind == "O":
                data = json.loads(rest)
                outcomes.append(Outcome(
                    int(data["row_id"]), SendStatus(data["status"]), attempted=bool(data["attempted"]),
                    error=data["error"], next_attempt_at=_instant(data["next_attempt_at"]),
                    sent_at=_instant(data["sent_at"]), message_id=data["message_id"]))
                answered.add(int(data["row_id"]))
        except (ValueError, KeyError, TypeError):  # a line cut short by a power loss: the last one
            continue
    return worker, outcomes, started - answered


def replay(folder: Path, gone: Callable[[str], bool]) -> tuple[int, int]:
    """Write the journals of runs that are gone into the ledger: (outcomes recorded, rows re-queued)."""
    recorded = requeued = 0
    if not folder.is_dir():
        return 0, 0
    for path in sorted(folder.glob("*.log")):
        worker, outcomes, in_flight = read(path)
        if worker is None or not gone(worker):
            continue
        recorded += len(outcomes)
        ledger.commit_outcomes(worker, outcomes)
        requeued += ledger.unmark(worker, sorted(in_flight))
        path.unlink(missing_ok=True)
        log.info("Replayed the journal of stopped dispatcher %s: %d outcome(s) recorded", worker, recorded)
    return recorded, requeued
