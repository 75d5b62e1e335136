"""SEQUENCE bookkeeping: bumped when an event's content changes, and only then."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from planner.extensions import db
from planner.feed import state
from planner.storage.models import FeedEventState

T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def test_new_changed_unchanged_gone_and_returning_events(user):
    first = state.publish(user.id, {"a": "h1", "b": "h1"}, "in-1", now=at(0))
    assert first.events == {"a": (0, at(0)), "b": (0, at(0))} and first.version == 1

    same = state.publish(user.id, {"a": "h1", "b": "h1"}, "in-1", now=at(5))
    assert same.events == first.events and same.version == 1 and same.changed_at == at(0)

    changed = state.publish(user.id, {"a": "h2", "b": "h1"}, "in-2", now=at(10))
    assert changed.events == {"a": (1, at(10)), "b": (0, at(0))} and changed.version == 2

    gone = state.publish(user.id, {"b": "h1"}, "in-3", now=at(20))
    assert gone.events == {"b": (0, at(0))} and gone.version == 3
    back = state.publish(user.id, {"a": "h2", "b": "h1"}, "in-4", now=at(30))
    assert back.events["a"] == (2, at(30))  # it changed (it left, and came back): clients must take it


def test_new_inputs_with_the_same_events_keep_the_version(user):
    state.publish(user.id, {"a": "h1"}, "in-1", now=at(0))
    again = state.publish(user.id, {"a": "h1"}, "in-2", now=at(5))
    assert again.version == 1 and again.changed_at == at(0)


def test_an_unchanged_render_only_reads(user, count_queries):
    state.publish(user.id, {"a": "h1"}, "in-1", now=at(0))
    count_queries.clear()
    state.publish(user.id, {"a": "h1"}, "in-1", now=at(1))
    assert count_queries.statements and all(s.lstrip().upper().startswith("SELECT") for s in count_queries.statements)


def test_rows_of_long_gone_events_are_pruned(user):
    state.publish(user.id, {"old": "h1", "keep": "h1"}, "in-1", now=at(0))
    state.publish(user.id, {"keep": "h1"}, "in-2", now=at(1))
    state.publish(user.id, {"keep": "h2"}, "in-3", now=at(1) + state.KEEP_GONE + dt.timedelta(days=1))
    uids = set(db.session.scalars(sa.select(FeedEventState.uid).where(FeedEventState.user_id == user.id)))
    assert uids == {"keep"}


def test_users_do_not_share_state(factory):
    ada, bob = factory.user(), factory.user()
    state.publish(ada.id, {"a": "h1"}, "in", now=at(0))
    state.publish(ada.id, {"a": "h2"}, "in2", now=at(1))
    assert state.publish(bob.id, {"a": "h2"}, "in", now=at(2)).events == {"a": (0, at(2))}
