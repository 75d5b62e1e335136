"""A user's time zone and local date, resolved by one rule.

A zone name is validated when the user picks it (accounts rules), so an unknown name only
reaches here when the tz database on the server lost a zone after an upgrade. Then every face
plans in UTC — the same days everywhere, rather than a crash on the pages and UTC in the
reminders — and ``is_known`` lets a page say so.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from planner.clock import utc_now

FALLBACK_ZONE = "UTC"


@lru_cache(maxsize=4096)
def _resolve(name: str) -> tuple[ZoneInfo, bool]:
    try:
        return ZoneInfo(name), True
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(FALLBACK_ZONE), False


def zone(name: str) -> ZoneInfo:
    """The zone a user's dates are planned in: theirs, or UTC when the server does not know it."""
    return _resolve(name)[0]


def is_known(name: str) -> bool:
    return _resolve(name)[1]


def local_today(zone_name: str, now_at: dt.datetime | None = None) -> dt.date:
    """The user's calendar date at ``now_at`` (default: now)."""
    return (now_at or utc_now()).astimezone(zone(zone_name)).date()
