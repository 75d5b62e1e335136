"""A cheap signal, shared by every worker on the host, that feed inputs may have changed.

The feed answers most requests (304s, cached bodies) from a per-process cache of token
lookups, because one database round trip costs more than the rest of a 304. For that cache
to be safe, a regenerated or revoked link and an edited plan must be noticed at once by every
worker: any commit that touches a user, a procedure, a product or a feed link sets the
modification time of a stamp file in the instance folder (`os.utime` with nanoseconds), and a
worker trusts a cached lookup only while that stamp is unchanged (one `os.stat`, ~1 µs) and
for at most LOOKUP_TTL_SECONDS. The TTL bounds what the stamp cannot see: writes from another
host, or raw SQL that bypasses the ORM.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Flask, current_app, has_app_context

from planner.storage.models import FeedToken, Procedure, Product, User

STAMP_NAME = "feed-inputs.stamp"
WATCHED = (User, Procedure, Product, FeedToken)
_FLAG = "afterglow_feed_inputs_changed"


def init_app(app: Flask) -> None:
    path = Path(app.instance_path) / STAMP_NAME
    path.touch(mode=0o600, exist_ok=True)  # the instance folder's files are its owner's only
    app.extensions["afterglow_feed_stamp"] = str(path)
    if not sa.event.contains(so.Session, "after_flush", _after_flush):
        sa.event.listen(so.Session, "after_flush", _after_flush)
        sa.event.listen(so.Session, "after_commit", _after_commit)
        sa.event.listen(so.Session, "after_soft_rollback", _after_rollback)


def stamp(path: str) -> int:
    """The current stamp (0 when the file vanished: then nothing is trusted for long)."""
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


def bump() -> None:
    """Tell every worker that cached lookups are stale. Call after the change is committed."""
    if not has_app_context() or "afterglow_feed_stamp" not in current_app.extensions:
        return
    path = current_app.extensions["afterglow_feed_stamp"]
    now = time.time_ns()
    try:
        os.utime(path, ns=(now, now))
    except FileNotFoundError:
        Path(path).touch()


def _after_flush(session: so.Session, context) -> None:
    if any(isinstance(obj, WATCHED) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[_FLAG] = True


def _after_commit(session: so.Session) -> None:
    if session.info.pop(_FLAG, False):
        bump()


def _after_rollback(session: so.Session, previous_transaction) -> None:
    session.info.pop(_FLAG, None)
