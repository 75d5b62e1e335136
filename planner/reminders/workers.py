"""Who holds a claim on the ledger, and whether that holder can still be sending it.

A claim names its worker: host, process id and a random run id (``worker_name``). A claim
whose worker is known to be gone need not wait REMINDER_CLAIM_TIMEOUT_SECONDS before the next
run recovers it (ledger.recover_stale): nobody can still be sending it. Two cases are known:

* a process on this host that no longer exists (killed, crashed): ``process_gone``;
* an earlier run of this very process that ended (say the database went away under it), told
  from the runs still in progress here (``Runs``), so reminders interrupted by an outage go
  out at the next run.

A worker on another host, or a process that still exists, is never known to be gone.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
from collections.abc import Callable


def process_name() -> str:
    """Host and process: the part of a worker name that every run of this process shares."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:"


def worker_name() -> str:
    """Who holds a claim: host, process and run, so two runs in one process never share claims."""
    return f"{process_name()}{secrets.token_hex(4)}"


def process_gone(worker: str) -> bool:
    """Whether a claim's worker was a process on this host that no longer runs (killed, crashed)."""
    host, _, rest = worker.partition(":")
    pid, _, _ = rest.partition(":")
    if host != socket.gethostname()[:40] or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, owned by someone else
        return False
    return False


class Runs:
    """The runs in progress in this process (a set behind a lock: the scheduler's thread and a
    test's threads may run dispatches side by side)."""

    def __init__(self) -> None:
        self._running: set[str] = set()
        self._lock = threading.Lock()

    def started(self, worker: str) -> None:
        with self._lock:
            self._running.add(worker)

    def ended(self, worker: str) -> None:
        with self._lock:
            self._running.discard(worker)

    def ended_here(self) -> tuple[str, frozenset[str]]:
        """(this process's worker prefix, its runs in progress): a claim with the prefix held by
        none of them was left by a run of this process that has ended."""
        with self._lock:
            return process_name(), frozenset(self._running)

    def gone(self) -> Callable[[str], bool]:
        """Whether a worker is gone, as of now: a dead process on this host, or an ended run here."""
        prefix, running = self.ended_here()

        def gone(worker: str) -> bool:
            return process_gone(worker) or (worker.startswith(prefix) and worker not in running)

        return gone


#: Every dispatch run of this process registers here while it runs.
RUNS = Runs()
