"""Rate limits in the `limits` library's storage (the engine under Flask-Limiter): one count per
key, shared by every process and host that points at the same store.

`RATELIMIT_STORAGE_URI` chooses the store. The default, ``memory://``, counts in each process:
fine for one process (the quick start); under gunicorn with N workers a client would get N
times the limit. Production sets ``redis://host:6379/0``, and then every worker on every host
shares one count per key. Each app gets its own storage (so two apps in one process, as in
the tests, never share a memory store by accident). Flask-Limiter itself is not bound: its
hooks run on every request (a fifth of a feed 304) for decorators nothing here uses; a view
that wants one can bind it to the same RATELIMIT_STORAGE_URI.

limits' own memory store scans every key it holds on a timer thread, a hundred times a second:
with the feed's many distinct tokens that scan took most of a web process's time. ``memory://``
therefore gets MemoryStore below, whose upkeep costs what expires rather than what is held.

The strategy is the moving window: every hit of the last period is kept, so a key gets exactly
its limit in any period (a sliding-window counter, two counters per key, weighs the previous
window's hits down as it ends and let a burst across a window boundary through).

A request often checks two limits (the feed: per address, then per token; a log-in: per
address, then per account and address). ``hit_all`` checks them in order and stops at the first
that refuses, exactly as ``a.hit(x) or b.hit(y)`` would; with Redis it does so in one round trip
(HIT_ALL_LUA: limits' own moving-window script, one key after the other, and the oldest hit of a
refusing window in the same answer), where limits' API takes one round trip per limit and
another to learn how long to wait. The keys and lists are limits' own, so the two agree.
If the store cannot be reached the request is let through and a warning is logged: an outage
of the limiter's store must not lock everybody out of logging in.
"""

from __future__ import annotations

import itertools
import logging
import math
import threading
import time

from flask import Flask, current_app, has_app_context
from limits import RateLimitItemPerSecond
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisClusterStorage, RedisStorage, storage_from_string
from limits.storage import memory as limits_memory
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)


class _DaemonTimers:
    """``threading`` for limits' memory store, with daemon timers.

    The memory store expires its counters from a ``threading.Timer`` it re-arms while it holds
    any; that timer is not a daemon, so a process that ever counted a request waits for it at
    exit (a scheduler stopping on SIGTERM, a test run under libfaketime, where it never fires).
    """

    def __getattr__(self, name):
        return getattr(threading, name)

    @staticmethod
    def Timer(*args, **kwargs) -> threading.Timer:  # noqa: N802 (threading's own name)
        timer = threading.Timer(*args, **kwargs)
        timer.daemon = True
        return timer


limits_memory.threading = _DaemonTimers()


class MemoryStore(MemoryStorage):
    """limits' memory store for the moving window, with upkeep bounded per tick.

    Keys are kept in the order they were last hit (a hit moves its key to the end), and each
    key's events are trimmed as it is hit (newest first: to the limit, and to those still inside
    the window). Every TICK_SECONDS while anything is held, one upkeep thread looks at no more than
    TICK_KEYS keys from the front, the least recently hit: it forgets the expired ones and moves
    a still-live one to the back.
    """

    STORAGE_SCHEME = ["afterglow-memory"]  # made directly, never through a URI
    TICK_SECONDS = 0.1
    TICK_KEYS = 1000

    def __init__(self, *args, **kwargs):
        self._upkeep_lock = threading.Lock()
        self._upkeep_running = False
        super().__init__(*args, **kwargs)

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        del state["_upkeep_lock"]
        return state

    def __setstate__(self, state: dict) -> None:
        self._upkeep_lock = threading.Lock()
        self._upkeep_running = False
        super().__setstate__(state)

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        with self.locks[key]:
            allowed = super().acquire_entry(key, limit, expiry, amount)
            events = self.events.pop(key, [])
            del events[limit:]
            now = time.time()
            while events and events[-1].expiry <= now:
                events.pop()
            self.events[key] = events  # to the end: the most recently hit
        return allowed

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 (the names limits' own code calls)
        # One upkeep thread that ticks while anything is held, not a new Timer per tick: starting a
        # thread cost a request that came after a tick ~0.2 ms of CPU (and more waiting) on every
        # busy tenth of a second. Every hit calls this, so the common case is one attribute read.
        if self._upkeep_running and self.timer.is_alive():  # (not alive: a forked child's copy)
            return
        with self._upkeep_lock:
            if not (self._upkeep_running and self.timer.is_alive()):
                self._upkeep_running = True
                self.timer = threading.Thread(target=self._upkeep, name="afterglow-limits-upkeep", daemon=True)
                self.timer.start()

    def _upkeep(self) -> None:
        """Tick every TICK_SECONDS until nothing is held (the next hit starts the thread again)."""
        while True:
            time.sleep(self.TICK_SECONDS)
            self._MemoryStorage__expire_events()
            with self._upkeep_lock:
                if not self.events and not self.expirations:
                    self._upkeep_running = False  # a hit from now on starts a new thread
                    return

    def _MemoryStorage__expire_events(self) -> None:  # noqa: N802
        now = time.time()
        for key in list(itertools.islice(self.events, self.TICK_KEYS)):
            with self.locks[key]:
                events = self.events.pop(key, None)
                live = bool(events) and events[0].expiry > now
                if live:
                    self.events[key] = events  # to the back
            if not live:
                self.locks.pop(key, None)
        for key, at in list(self.expirations.items()):  # fixed windows (none here)
            if at <= now:
                self.storage.pop(key, None)
                self.expirations.pop(key, None)


EXTENSION = "afterglow_limiter"
#: How long a request waits for the shared store before it is let through.
STORE_TIMEOUT_SECONDS = 0.5

#: limits' acquire_moving_window.lua for several keys in order (KEYS[i]; ARGV: the time, then each
#: key's limit and period): the index of the first key whose window is full with the oldest hit in
#: it (nothing after it is counted), or 0 once every key counted the hit.
HIT_ALL_LUA = """
local now = tonumber(ARGV[1])
for i = 1, #KEYS do
    local limit = tonumber(ARGV[2 * i])
    local expiry = tonumber(ARGV[2 * i + 1])
    local oldest = redis.call('lindex', KEYS[i], limit - 1)
    if oldest and tonumber(oldest) >= now - expiry then
        return {i, oldest}
    end
    if redis.call('lpush', KEYS[i], now) > limit then
        redis.call('ltrim', KEYS[i], 0, limit - 1)
    end
    redis.call('expire', KEYS[i], expiry)
end
return 0
"""


class Limits:
    """An app's limits store: limits' moving-window strategy on it, and for a single Redis server
    the one-round-trip script for several limits at once (a Redis Cluster may keep the keys of one
    request on different nodes, so there each limit takes its own round trip)."""

    def __init__(self, storage):
        self.storage = storage
        self.strategy = MovingWindowRateLimiter(storage)
        self.script = None
        if isinstance(storage, RedisStorage) and not isinstance(storage, RedisClusterStorage):
            self.script = storage.get_connection().register_script(HIT_ALL_LUA)

    def hit_all(self, checks: tuple[tuple[RateLimiter, str], ...]) -> float:
        """Count a request for each (limiter, key) in order up to the first that refuses it; 0.0
        when every one allowed it, else the seconds to wait."""
        try:
            if self.script is not None:
                return self._hit_all_in_redis(checks)
            strategy = self.strategy
            for limiter, key in checks:
                if not strategy.hit(limiter.item, key):
                    reset_at, _ = strategy.get_window_stats(limiter.item, key)
                    return max(reset_at - time.time(), 0.001)
        except StorageError as error:
            _unavailable(error.storage_error)
        return 0.0

    def _hit_all_in_redis(self, checks: tuple[tuple[RateLimiter, str], ...]) -> float:
        storage = self.storage
        keys, args = [], [time.time()]
        for limiter, key in checks:
            item = limiter.item
            keys.append(storage.prefixed_key(item.key_for(key)))
            args += (item.amount, item.get_expiry())
        try:
            refused = self.script(keys, args)
        except storage.base_exceptions as error:
            _unavailable(error)
            return 0.0
        if not refused:
            return 0.0
        _, oldest = refused
        expiry = checks[int(refused[0]) - 1][0].item.get_expiry()
        return max(float(oldest) + expiry - time.time(), 0.001)


def _unavailable(error: Exception) -> None:
    log.warning("Rate limit store unavailable, request allowed: %s", type(error).__name__)


_outside_app: Limits | None = None


def init_app(app: Flask) -> Limits:
    """Give ``app`` its limits store from RATELIMIT_STORAGE_URI (``memory://`` by default)."""
    uri = str(app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://"))
    options: dict = {"wrap_exceptions": True}
    if uri.startswith(("redis://", "rediss://", "unix://")):
        options.update(socket_timeout=STORE_TIMEOUT_SECONDS, socket_connect_timeout=STORE_TIMEOUT_SECONDS)
    storage = MemoryStore(**options) if uri == "memory://" else storage_from_string(uri, **options)
    limits = app.extensions[EXTENSION] = Limits(storage)
    return limits


def _limits() -> Limits:
    """The app's shared store; outside an app (a script, a unit test) one in-process store."""
    global _outside_app
    if has_app_context() and EXTENSION in current_app.extensions:
        return current_app.extensions[EXTENSION]
    if _outside_app is None:
        _outside_app = Limits(MemoryStore(wrap_exceptions=True))
    return _outside_app


class RateLimiter:
    """``limit`` requests per key in any ``period_seconds`` (a minute unless told); ``name`` keeps
    two limiters' keys apart in the shared store."""

    def __init__(self, limit: int, *, period_seconds: int = 60, name: str = ""):
        self.item = RateLimitItemPerSecond(max(1, limit), max(1, int(period_seconds)),
                                           namespace=f"afterglow-{name}" if name else "afterglow")

    def hit(self, key: str) -> float:
        """Count a request; 0.0 when allowed, else the seconds to wait before the next one."""
        return _limits().hit_all(((self, key),))


def hit_all(*checks: tuple[RateLimiter, str]) -> float:
    """Count a request against several limits in order, as ``a.hit(x) or b.hit(y)`` would (a refusal
    stops the count there), in one round trip to a shared store; the wait if one refused."""
    return _limits().hit_all(checks)


def retry_after(seconds: float) -> str:
    """Retry-After is whole seconds, rounded up, at least 1."""
    return str(max(1, math.ceil(seconds)))
