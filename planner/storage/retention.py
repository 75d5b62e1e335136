"""Retention: rows kept per user and per day are deleted once they are RETENTION_DAYS old.

The send ledger gains about one row per user per day and the done/skipped marks as many as
people tick (100,000 users: ~9 GiB of ledger a year). Neither is needed for long: the ledger
only has to outlive the day it guards against a second copy, and the marks are shown for
recent days. Calendar event states (feed_event_states) are pruned per user when their feed is
published (planner/feed/state.py), so they are not repeated here.

Deletion runs in small batches (RETENTION_BATCH_SIZE ids a statement), each its own short
transaction, so a dispatcher claiming today's rows is never held behind it: the rows deleted
are days old, which no dispatcher touches, and on PostgreSQL the ids are picked with
``FOR UPDATE SKIP LOCKED``, so a row somebody else holds is left for the next run instead of
waited for. Every batch selects by an indexed ``local_day`` and deletes by primary key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from planner.extensions import db
from planner.storage.models import AdherenceMark, ReminderSend

#: The per-day tables and the column holding each row's local day.
PER_DAY_TABLES: tuple[sa.Table, ...] = (ReminderSend.__table__, AdherenceMark.__table__)


@dataclass
class Pruned:
    """What one prune run deleted: rows per table, and how many statements it took."""

    cutoff: dt.date
    rows: dict[str, int] = field(default_factory=dict)
    batches: int = 0

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def __str__(self) -> str:
        counts = ", ".join(f"{count} from {name}" for name, count in self.rows.items())
        return f"deleted rows older than {self.cutoff.isoformat()}: {counts} ({self.batches} batches)"


def cutoff_day(now_at: dt.datetime, retention_days: int) -> dt.date:
    """The first local day kept. One extra day covers every zone (UTC−12 … UTC+14)."""
    return (now_at.astimezone(dt.timezone.utc) - dt.timedelta(days=retention_days + 1)).date()


def prune(now_at: dt.datetime, retention_days: int, batch_size: int = 1_000,
          should_stop: Callable[[], bool] = lambda: False) -> Pruned:
    """Delete every per-day row whose local day is before ``cutoff_day``, batch by batch.

    Commits after every batch; stops between batches when ``should_stop()`` says so."""
    if retention_days < 1:
        raise ValueError(f"RETENTION_DAYS must be at least 1, not {retention_days}")
    cutoff = cutoff_day(now_at, retention_days)
    result = Pruned(cutoff)
    for table in PER_DAY_TABLES:
        result.rows[table.name] = 0
        while not should_stop():
            ids = db.session.scalars(
                sa.select(table.c.id).where(table.c.local_day < cutoff).order_by(table.c.local_day)
                .limit(batch_size).with_for_update(skip_locked=True)
            ).all()
            if ids:
                db.session.execute(sa.delete(table).where(table.c.id.in_(ids)))
            db.session.commit()
            if not ids:
                break
            result.rows[table.name] += len(ids)
            result.batches += 1
    return result
