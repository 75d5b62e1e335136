"""An in-process rate limiter (GCRA, the token bucket without a timer): feed requests, log-ins.

Each key holds one float: the theoretical arrival time of its next request. A request is
allowed while that time is less than a burst's worth ahead of now; a refused one learns how
many seconds to wait (Retry-After). It needs no thread, no dependency and ~1 µs a check.

Caveat: the state lives in one process. Under gunicorn with N workers a client may get up to
N times the limit, and a restart forgets everything. That is enough to stop a runaway client
or a token-guessing loop; a strict shared limit belongs in the reverse proxy (nginx
`limit_req`) or a shared store such as Redis.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

#: Past this many keys, entries whose bucket is full again are dropped.
MAX_KEYS = 50_000


class RateLimiter:
    """At most ``limit`` requests per key in any ``period_seconds`` (a minute unless told)."""

    def __init__(self, limit: int, clock: Callable[[], float] = time.monotonic, *, period_seconds: float = 60.0):
        self.interval = period_seconds / max(1, limit)  # one request's worth of time
        self.burst = self.interval * (max(1, limit) - 1)  # how far ahead a key may run
        self.clock = clock
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float:
        """Count a request; 0.0 when allowed, else the seconds to wait before the next one."""
        now = self.clock()
        with self._lock:
            arrival = max(self._next.get(key, now), now)
            if arrival - now > self.burst:
                return arrival - now - self.burst
            self._next[key] = arrival + self.interval
            if len(self._next) > MAX_KEYS:
                self._prune(now)
        return 0.0

    def _prune(self, now: float) -> None:
        self._next = {k: t for k, t in self._next.items() if t > now}
        if len(self._next) > MAX_KEYS:  # still full of busy keys: forget the oldest half
            keep = sorted(self._next.items(), key=lambda item: item[1])[len(self._next) // 2:]
            self._next = dict(keep)


def retry_after(seconds: float) -> str:
    """Retry-After is whole seconds, rounded up, at least 1."""
    return str(max(1, math.ceil(seconds)))
