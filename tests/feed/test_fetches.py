"""The fetch bookkeeping stays bounded and writes in batches, whatever the number of links."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from planner.extensions import db
from planner.feed import tokens
from planner.feed.fetches import FetchLog
from planner.storage.models import FeedToken, User

NOW = dt.datetime(2026, 3, 16, 9, 0, tzinfo=dt.timezone.utc)


def _links(factory, count: int) -> list[tuple[str, int]]:
    links = []
    for n in range(count):
        user = factory.user(email=f"poller{n}@example.com")
        token = tokens.issue(user)
        links.append((tokens.token_sha256(token), tokens.token_row(user).id))
    return links


def test_many_links_are_held_in_bounded_memory_and_all_written(app, factory, count_queries):
    links = _links(factory, 7)
    clock = [100.0]
    log = FetchLog(app, max_entries=3, clock=lambda: clock[0])
    count_queries.clear()
    for sha, token_id in links:  # seven links fetched within the same second
        log.note(sha, token_id, None, None, "Calendar/1.0", NOW)
        assert len(log._pending) < 3 and len(log._written) <= 3
    log.flush()
    updates = [s for s in count_queries.statements if s.lstrip().upper().startswith("UPDATE")]
    assert 1 <= len(updates) <= 4  # batches, not one per fetch
    rows = db.session.execute(sa.select(FeedToken.fetch_count, FeedToken.last_fetched_at, FeedToken.last_user_agent)).all()
    assert sorted(r.fetch_count for r in rows) == [1] * 7
    assert {r.last_user_agent for r in rows} == {"Calendar/1.0"}
    assert all(r.last_fetched_at is not None for r in rows)


def test_a_link_polled_often_is_written_once_per_interval(app, factory):
    [(sha, token_id)] = _links(factory, 1)
    clock = [100.0]
    log = FetchLog(app, clock=lambda: clock[0])
    for minute in range(10):  # every minute for ten minutes: due at 0 and 5
        clock[0] = 100.0 + 60 * minute
        log.note(sha, token_id, None, None, "Calendar/1.0", NOW + dt.timedelta(minutes=minute))
    log.flush()
    row = db.session.scalar(sa.select(FeedToken))
    db.session.refresh(row)
    assert row.fetch_count == 10
    assert row.last_fetched_at == NOW + dt.timedelta(minutes=5)  # the last due write, not every fetch


def test_fetches_of_a_replaced_link_do_not_reach_the_new_one(app, factory):
    [(sha, token_id)] = _links(factory, 1)
    log = FetchLog(app)
    log.note(sha, token_id, None, None, "Calendar/1.0", NOW)  # written at once (a quiet second)
    row = db.session.scalar(sa.select(FeedToken))
    user = db.session.get(User, row.user_id)
    tokens.issue(user)
    log.note(sha, token_id, None, None, "Other/2.0", NOW + dt.timedelta(minutes=1))
    log.flush()
    db.session.refresh(row)
    assert row.fetch_count == 0 and row.last_fetched_at is None  # the new link starts afresh
