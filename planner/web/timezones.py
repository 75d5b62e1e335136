"""The IANA zone list offered in forms, and its validation."""

from __future__ import annotations

import functools
import zoneinfo


@functools.cache
def zone_names() -> tuple[str, ...]:
    """Every canonical IANA zone this machine knows (tzdata ships them everywhere)."""
    names = {z for z in zoneinfo.available_timezones() if not z.startswith(("Etc/", "SystemV/", "posix/", "right/"))}
    return tuple(sorted(names | {"UTC"}))


def is_zone(name: str) -> bool:
    if name not in zoneinfo.available_timezones() and name != "UTC":
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True
