"""Column types that keep instants honest across SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from planner.clock import utc_now


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, hands back aware UTC; refuses naive datetimes on the way in.

    SQLite has no time zones, so storing naive UTC everywhere keeps both
    backends identical, and refusing naive input catches local-time bugs early.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column; attach a time zone")
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.timezone.utc)


def utcnow() -> dt.datetime:
    """Row stamps come from the app's one clock (planner.clock), so a pinned clock pins them too."""
    return utc_now()
