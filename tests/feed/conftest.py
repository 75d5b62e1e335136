"""Feed fixtures: a user with a real plan, renders pinned to a date, parsing helpers, a query counter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import icalendar
import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.feed import publish
from planner.storage.models import User

EXOSOME = "Water, Human Adipocyte Conditioned Media Extract, Glycerin"
RETINOL = "Aqua, Squalane, Retinol, Tocopherol, Phenoxyethanol"
GLYCOLIC = "Aqua, Glycolic Acid, Glycerin, Sodium Hydroxide"
SALICYLIC = "Aqua, Salicylic Acid, Butylene Glycol"
GENTLE = "Aqua, Glycerin, Squalane, Ceramide NP"

#: The content tests' "today": the horizon (whole months) then spans 1 February 2026 to
#: 1 April 2027 and holds both of Berlin's daylight-saving changes (29 March, 25 October 2026).
TODAY = dt.date(2026, 3, 10)
NOW = dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.timezone.utc)


def make_plan_user(factory, today: dt.date, **columns) -> User:
    """A user with an exosome serum, three exfoliants on different cadences, a gentle cream, and
    procedures before, inside and after ``today``'s horizon start."""
    user = factory.user(**{"timezone": "Europe/Berlin", "evening_time": dt.time(21, 0),
                           "morning_time": dt.time(7, 30), **columns})
    factory.product(user, "Exo serum", EXOSOME, exosome_source="human", is_plated=True)
    factory.product(user, "Retinol serum", RETINOL, cadence_kind="every_other_day")
    factory.product(user, "Glycolic toner", GLYCOLIC, cadence_kind="weekdays", cadence_weekdays="0,2,4")
    factory.product(user, "BHA liquid", SALICYLIC, cadence_kind="every_n_days", cadence_every_n=3, slot="morning")
    factory.product(user, "Barrier cream", GENTLE)
    factory.procedure(user, "hydrafacial", today - dt.timedelta(days=12))
    factory.procedure(user, "microneedling", today + dt.timedelta(days=20), clinic="Glow Clinic")
    factory.procedure(user, "superficial_chemical_peel", today + dt.timedelta(days=75))
    return user


@pytest.fixture
def plan_user(factory) -> User:
    return make_plan_user(factory, TODAY)


def render(user: User, today: dt.date = TODAY, now: dt.datetime = NOW) -> bytes:
    """The user's feed, rendered cold for a pinned date."""
    return publish.render(user, "pinned", today=today, now=now).body


def parse(body: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(body)


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def category(component) -> str:
    return str(component["CATEGORIES"].cats[0])


@dataclass
class QueryCounter:
    statements: list[str]

    def __len__(self) -> int:
        return len(self.statements)

    def clear(self) -> None:
        self.statements.clear()


@pytest.fixture
def count_queries(app) -> Callable[[], QueryCounter]:
    """Counts SQL statements sent to the database (Indico's count_queries idea)."""
    counter = QueryCounter([])

    def record(conn, cursor, statement, parameters, context, executemany):
        counter.statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    yield counter
    sa.event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def count_checkouts(app) -> Callable[[], list]:
    """Counts connections taken from either pool (the app's, and the feed lookup's own): the
    lookup runs on a raw pooled connection, below the statement events, so this is how a test
    sees that the database was not asked."""
    from planner.feed.lookup import lookup_engine

    checkouts: list = []
    engines = (db.engine, lookup_engine())

    def record(dbapi_connection, connection_record, connection_proxy):
        checkouts.append(connection_record)

    for engine in engines:
        sa.event.listen(engine, "checkout", record)
    yield checkouts
    for engine in engines:
        sa.event.remove(engine, "checkout", record)
