"""Feed fixtures: a user with a real plan around the content tests' pinned today, and a counter
of pooled connections (the feed's raw lookup runs below the statement events)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.feed.lookup import lookup_engine
from planner.storage.models import User
from tests.support.feed import TODAY, make_plan_user


@pytest.fixture
def plan_user(factory) -> User:
    return make_plan_user(factory, TODAY)


@pytest.fixture
def count_checkouts(app) -> list:
    """Counts connections taken from either pool (the app's, and the feed lookup's own): the
    lookup runs on a raw pooled connection, below the statement events, so this is how a test
    sees that the database was not asked."""
    checkouts: list = []
    engines = (db.engine, lookup_engine())

    def record(dbapi_connection, connection_record, connection_proxy):
        checkouts.append(connection_record)

    for engine in engines:
        sa.event.listen(engine, "checkout", record)
    yield checkouts
    for engine in engines:
        sa.event.remove(engine, "checkout", record)
