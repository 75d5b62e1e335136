"""When, and by which client, each feed link was last fetched — written coarsely, in batches.

The Calendar page shows "last fetched" so a person can tell their calendar app is subscribed.
Writing it on every request would double the cost of a 304 (an UPDATE and a commit), so:

* per link, "last fetched" is written at most every FETCH_WRITE_EVERY (or when the client
  changes); the fetches in between are counted and added to ``fetch_count`` with the next write;
* writes are batched: one statement (on PostgreSQL; an executemany elsewhere) at most every
  FLUSH_SECONDS per process (a lone fetch after a quiet second is written at once; a timer
  writes what a burst left behind);
* everything held is bounded (MAX_ENTRIES links pending, as many remembered as recently
  written): when full, everything pending is written at once and the oldest memory forgotten.

Each process decides on its own, so with P processes a link's row is written at most P times per
FETCH_WRITE_EVERY; every write is conditional on the link's token (a regenerated link starts
afresh) and never moves "last fetched" backwards. A crash loses at most FLUSH_SECONDS of it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask

from planner.extensions import db
from planner.storage.models import FeedToken

log = logging.getLogger(__name__)

FETCH_WRITE_EVERY = dt.timedelta(minutes=5)
FLUSH_SECONDS = 1.0
MAX_ENTRIES = 10_000

_tokens = FeedToken.__table__
_WRITE_FETCH = (
    sa.update(_tokens)
    .where(_tokens.c.id == sa.bindparam("token_id"), _tokens.c.token_sha256 == sa.bindparam("sha"),
           sa.or_(_tokens.c.last_fetched_at.is_(None), _tokens.c.last_fetched_at < sa.bindparam("at")))
    .values(last_fetched_at=sa.bindparam("at"), last_user_agent=sa.bindparam("agent"),
            fetch_count=_tokens.c.fetch_count + sa.bindparam("n"))
)
_WRITE_COUNT = (
    sa.update(_tokens)
    .where(_tokens.c.id == sa.bindparam("token_id"), _tokens.c.token_sha256 == sa.bindparam("sha"))
    .values(fetch_count=_tokens.c.fetch_count + sa.bindparam("n"))
)
#: PostgreSQL: the same two writes as one statement per batch, the rows passed as arrays (one
#: statement instead of one per link: at thousands of distinct links a second, the per-statement
#: work was most of the database's share of a 304). Same conditions as above, per row; the text
#: starts as the per-row statement does (tests/test_query_counts.py tells bookkeeping by it).
_WRITE_FETCHES_PG = sa.text("""UPDATE feed_tokens SET last_fetched_at = CASE WHEN v.at IS NOT NULL
        AND (feed_tokens.last_fetched_at IS NULL OR feed_tokens.last_fetched_at < v.at)
        THEN v.at ELSE feed_tokens.last_fetched_at END,
    last_user_agent = CASE WHEN v.at IS NOT NULL
        AND (feed_tokens.last_fetched_at IS NULL OR feed_tokens.last_fetched_at < v.at)
        THEN v.agent ELSE feed_tokens.last_user_agent END,
    fetch_count = feed_tokens.fetch_count + v.n
FROM unnest(CAST(:ids AS bigint[]), CAST(:shas AS text[]), CAST(:ats AS timestamp[]), CAST(:agents AS text[]),
            CAST(:ns AS bigint[])) AS v(token_id, sha, at, agent, n)
WHERE feed_tokens.id = v.token_id AND feed_tokens.token_sha256 = v.sha
""")


@dataclass
class _Pending:
    token_id: int
    count: int = 0
    fetched_at: dt.datetime | None = None  # set when this link's "last fetched" is due
    agent: str | None = None


class FetchLog:
    """The fetches of one process not yet written, and when it last wrote each link."""

    def __init__(self, app: Flask, every: dt.timedelta = FETCH_WRITE_EVERY, flush_seconds: float = FLUSH_SECONDS,
                 max_entries: int = MAX_ENTRIES, clock: Callable[[], float] = time.monotonic):
        self.app = app
        self.every = every
        self.flush_seconds = flush_seconds
        self.max_entries = max_entries
        self.clock = clock
        self._pending: dict[str, _Pending] = {}
        self._written: OrderedDict[str, tuple[float, str | None]] = OrderedDict()
        self._due = 0
        self._flushed_at = float("-inf")
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._pending) + len(self._written)

    def note(self, sha: str, token_id: int, last_at: dt.datetime | None, last_agent: str | None,
             agent: str | None, now: dt.datetime) -> None:
        """Count one fetch of a link (``last_at``/``last_agent``: what the lookup read from its row)."""
        tick = self.clock()
        batch = None
        with self._lock:
            pending = self._pending.get(sha)
            if pending is None or pending.token_id != token_id:
                pending = self._pending[sha] = _Pending(token_id)
            pending.count += 1
            recent = self._written.get(sha)
            if recent is not None:
                due = recent[1] != agent or tick - recent[0] >= self.every.total_seconds()
            else:
                due = last_at is None or now - last_at >= self.every or agent != last_agent
            if due:
                if pending.fetched_at is None:
                    self._due += 1
                pending.fetched_at, pending.agent = now, agent
                self._written[sha] = (tick, agent)
                self._written.move_to_end(sha)
                while len(self._written) > self.max_entries:
                    self._written.popitem(last=False)
            if len(self._pending) >= self.max_entries:
                batch = self._take(everything=True)
            elif self._due and tick - self._flushed_at >= self.flush_seconds:
                batch = self._take(everything=False)
            elif self._due and self._timer is None:
                self._timer = threading.Timer(self.flush_seconds, self._flush_later)
                self._timer.daemon = True
                self._timer.start()
        if batch:
            self._write(batch)

    def flush(self) -> None:
        """Write every pending fetch now (tests, shutdown). Needs an app context."""
        with self._lock:
            batch = self._take(everything=True)
        self._write(batch)

    def close(self) -> None:
        """Stop the timer and write what is pending (before the app's engine is disposed)."""
        with self._lock:
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
        with self.app.app_context():
            self.flush()

    def _take(self, everything: bool) -> list[tuple[str, _Pending]]:
        """Remove and return what to write: the due links, or every pending one. Holds the lock."""
        self._flushed_at = self.clock()
        if everything:
            batch, self._pending = list(self._pending.items()), {}
        else:
            batch = [(sha, p) for sha, p in self._pending.items() if p.fetched_at is not None]
            for sha, _ in batch:
                del self._pending[sha]
        self._due = 0 if everything else self._due - len(batch)
        return batch

    def _flush_later(self) -> None:
        with self._lock:
            self._timer = None
            batch = self._take(everything=False)
        if batch:
            with self.app.app_context():
                self._write(batch)

    def _write(self, batch: list[tuple[str, _Pending]]) -> None:
        if not batch:
            return
        try:
            with db.engine.begin() as connection:
                if connection.dialect.name == "postgresql":
                    _write_postgresql(connection, batch)
                else:
                    _write_each(connection, batch)
        except sa.exc.SQLAlchemyError as error:  # bookkeeping only: never fail a feed request over it
            log.warning("Could not record %d feed fetches: %s", len(batch), type(error).__name__)


def _write_each(connection: sa.Connection, batch: list[tuple[str, _Pending]]) -> None:
    fetched = [{"token_id": p.token_id, "sha": sha, "at": p.fetched_at, "agent": p.agent, "n": p.count}
               for sha, p in batch if p.fetched_at is not None]
    counted = [{"token_id": p.token_id, "sha": sha, "n": p.count} for sha, p in batch if p.fetched_at is None]
    if fetched:
        connection.execute(_WRITE_FETCH, fetched)
    if counted:
        connection.execute(_WRITE_COUNT, counted)


def _write_postgresql(connection: sa.Connection, batch: list[tuple[str, _Pending]]) -> None:
    """One UPDATE for the batch; "last fetched" as the per-row statements write it (naive UTC, as
    UTCDateTime stores it; never moved backwards; a count-only row keeps it)."""
    at = [p.fetched_at.astimezone(dt.timezone.utc).replace(tzinfo=None) if p.fetched_at else None for _, p in batch]
    connection.execute(_WRITE_FETCHES_PG, {
        "ids": [p.token_id for _, p in batch], "shas": [sha for sha, _ in batch], "ats": at,
        "agents": [p.agent for _, p in batch], "ns": [p.count for _, p in batch],
    })
