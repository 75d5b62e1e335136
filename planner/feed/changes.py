"""Feed inputs change in the database; every process on every host must notice within a second.

The feed answers repeated requests from a per-process cache of token lookups (lookup.py),
because one database round trip costs more than the rest of a 304. Nothing in that cache is
trusted for longer than LOOKUP_TTL_SECONDS (one second), counted from before the query that
filled it: so a regenerated or revoked link, or an edited plan, committed by any process on
any host, is seen by every other process within a second — through the database, the one
store every host shares, with no file or message to go missing.

The process that made the change does better: any commit that touches a user, a procedure,
a product or a feed link calls the listeners registered here (the feed drops its cached
lookups), so the person who pressed "Regenerate" is refused the old link at once.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Flask, current_app, has_app_context

from planner.storage.models import FeedToken, Procedure, Product, User

WATCHED = (User, Procedure, Product, FeedToken)
EXTENSION = "afterglow_feed_changes"
_FLAG = "afterglow_feed_inputs_changed"


def init_app(app: Flask) -> None:
    app.extensions.setdefault(EXTENSION, [])
    if not sa.event.contains(so.Session, "after_flush", _after_flush):
        sa.event.listen(so.Session, "after_flush", _after_flush)
        sa.event.listen(so.Session, "after_commit", _after_commit)
        sa.event.listen(so.Session, "after_soft_rollback", _after_rollback)


def on_change(app: Flask, listener: Callable[[], None]) -> None:
    """Call ``listener`` in this process after every commit that may change a feed."""
    app.extensions.setdefault(EXTENSION, []).append(listener)


def bump() -> None:
    """Tell this process's caches that feed inputs changed. Call after the change is committed."""
    if has_app_context():
        for listener in current_app.extensions.get(EXTENSION, ()):
            listener()


def _after_flush(session: so.Session, context) -> None:
    if any(isinstance(obj, WATCHED) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[_FLAG] = True


def _after_commit(session: so.Session) -> None:
    if session.info.pop(_FLAG, False):
        bump()


def _after_rollback(session: so.Session, previous_transaction) -> None:
    session.info.pop(_FLAG, None)
