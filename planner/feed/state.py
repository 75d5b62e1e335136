"""SEQUENCE and LAST-MODIFIED that change exactly when an event changes.

Calendar clients take an update only when SEQUENCE grows, and the feed is rebuilt from the
plan on every cold render, so what was published has to be remembered: one row per event
UID with the hash of its content, its sequence and when it last changed (FeedEventState).
Rendering compares hashes; a changed event gets sequence + 1 and a new LAST-MODIFIED, an
unchanged one keeps both, an event that leaves the feed is marked gone (and counts as a
change if it returns). One row per user (FeedState) remembers the inputs fingerprint, a
version bumped on any change, and when that was: the ETag and Last-Modified of the feed, so
conditional requests are answered without rendering.

Two workers may render the same user at once: the first statement of the transaction writes
the user's FeedState row, which serialises them (a row lock on PostgreSQL, the write lock on
SQLite), so the second sees the first's rows and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from planner.extensions import db
from planner.feed import changes
from planner.storage.models import FeedEventState, FeedState
from planner.storage.types import utcnow

#: Rows of events that left the feed are kept this long, so a returning event continues its sequence.
KEEP_GONE = dt.timedelta(days=90)
ATTEMPTS = 3


@dataclass(frozen=True)
class Published:
    """What the feed publishes now: per-UID (sequence, modified_at) and the feed's version."""

    events: dict[str, tuple[int, dt.datetime]]
    version: int
    changed_at: dt.datetime


def publish(user_id: int, hashes: dict[str, str], inputs_sha256: str, now: dt.datetime | None = None) -> Published:
    """Record ``hashes`` (key → content hash) as the user's published events. Commits when it writes.

    Most cold renders change nothing (a restarted worker, a cache miss): they only read."""
    now = (now or utcnow()).replace(microsecond=0)
    feed, stored = _read(user_id)
    if feed is not None and feed[0] == inputs_sha256 and _diff(user_id, hashes, stored, now) is None:
        return Published({uid: (row[2], row[3]) for uid, row in stored.items() if uid in hashes}, feed[1], feed[2])
    for attempt in range(ATTEMPTS):
        try:
            published = _publish(user_id, hashes, inputs_sha256, now)
            db.session.commit()
            changes.bump()  # other workers' cached lookups now hold an old version
            return published
        except (IntegrityError, OperationalError):  # a concurrent first render, or SQLite busy
            db.session.rollback()
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


_FEED = FeedState.__table__
_ROWS = FeedEventState.__table__
_Stored = dict[str, tuple[int, str, int, dt.datetime]]  # uid → (row id, content hash, sequence, modified_at)


def _read(user_id: int) -> tuple[tuple[str, int, dt.datetime] | None, _Stored]:
    feed = db.session.execute(
        sa.select(_FEED.c.inputs_sha256, _FEED.c.version, _FEED.c.changed_at).where(_FEED.c.user_id == user_id)
    ).first()
    # Most rows share a handful of instants: convert each distinct stored value once.
    convert = _instant_converter(db.session.get_bind().dialect)
    instants: dict = {}
    stored = {}
    for row_id, uid, content, sequence, raw in db.session.execute(
        sa.select(_ROWS.c.id, _ROWS.c.uid, _ROWS.c.content_hash, _ROWS.c.sequence,
                  sa.type_coerce(_ROWS.c.modified_at, sa.types.NullType())).where(_ROWS.c.user_id == user_id)
    ):
        modified_at = instants.get(raw)
        if modified_at is None:
            modified_at = instants[raw] = convert(raw)
        stored[uid] = (row_id, content, sequence, modified_at)
    return (tuple(feed) if feed is not None else None), stored


@functools.lru_cache(maxsize=4)
def _instant_converter(dialect):
    process = _ROWS.c.modified_at.type.dialect_impl(dialect).result_processor(dialect, None)
    return process or (lambda value: value)


def _diff(user_id: int, hashes: dict[str, str], stored: _Stored, now: dt.datetime):
    """(events, inserts, updates) to publish ``hashes`` over ``stored``, or None when nothing changes."""
    events: dict[str, tuple[int, dt.datetime]] = {}
    inserts, updates = [], []
    for uid, content in hashes.items():
        old = stored.get(uid)
        if old is None:
            inserts.append({"user_id": user_id, "uid": uid, "content_hash": content, "sequence": 0, "modified_at": now})
            events[uid] = (0, now)
        elif old[1] != content:
            updates.append({"row_id": old[0], "new_hash": content, "new_sequence": old[2] + 1, "new_at": now})
            events[uid] = (old[2] + 1, now)
        else:
            events[uid] = (old[2], old[3])
    gone = [row for uid, row in stored.items() if uid not in hashes and row[1] != ""]
    updates += [{"row_id": row[0], "new_hash": "", "new_sequence": row[2], "new_at": now} for row in gone]
    if not inserts and not updates:
        return None
    return events, inserts, updates


def _publish(user_id: int, hashes: dict[str, str], inputs_sha256: str, now: dt.datetime) -> Published:
    locked = db.session.execute(  # the first write takes the per-user lock
        _FEED.update().where(_FEED.c.user_id == user_id).values(inputs_sha256=inputs_sha256)
    ).rowcount
    if not locked:
        db.session.execute(_FEED.insert().values(user_id=user_id, inputs_sha256=inputs_sha256, version=0, changed_at=now))
    feed, stored = _read(user_id)
    _, version, changed_at = feed
    diff = _diff(user_id, hashes, stored, now)
    if diff is None:
        events = {uid: (row[2], row[3]) for uid, row in stored.items() if uid in hashes}
        if locked:
            return Published(events, version, changed_at)
        inserts, updates = [], []
    else:
        events, inserts, updates = diff
    if inserts:
        db.session.execute(_ROWS.insert(), inserts)
    if updates:
        db.session.execute(
            _ROWS.update().where(_ROWS.c.id == sa.bindparam("row_id")).values(
                content_hash=sa.bindparam("new_hash"), sequence=sa.bindparam("new_sequence"),
                modified_at=sa.bindparam("new_at"),
            ),
            updates,
        )
    db.session.execute(_ROWS.delete().where(_ROWS.c.user_id == user_id, _ROWS.c.content_hash == "",
                                            _ROWS.c.modified_at < now - KEEP_GONE))
    version, changed_at = version + 1, now
    db.session.execute(_FEED.update().where(_FEED.c.user_id == user_id).values(version=version, changed_at=now))
    return Published(events, version, changed_at)
