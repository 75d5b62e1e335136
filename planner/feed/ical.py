"""FeedEvents → RFC 5545 text: escaping, line folding, times in the user's zone, VTIMEZONE.

The events are written here rather than through icalendar's object model: building one
`icalendar.Event` costs ~0.1–0.2 ms, and the feed promises a year under 10 ms. What is
written is small and fixed (a dozen property kinds), escaped per RFC 5545 §3.3.11, folded at
75 octets without splitting a UTF-8 character (§3.1; one bad fold made Google drop a whole
feed), and checked in the tests by four independent parsers (icalendar, vobject, ics,
recurring-ical-events) and by khal. The VTIMEZONE does come from icalendar
(`Timezone.from_tzid`), built once per zone and year range and cached, because it is slow
(~2 ms) and subtle. Timed events carry TZID so clients keep the wall-clock time across DST;
a user in UTC gets UTC times and no VTIMEZONE.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Timezone

from planner.feed.events import STEP_MINUTES, FeedEvent

PRODID = "-//Afterglow//Skincare plan feed//EN"
CRLF = "\r\n"
UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu"})
#: Control characters are not allowed in TEXT values (tab is); newlines become "\n" escapes.
_DROP_CONTROLS = {c: None for c in range(32) if c not in (9, 10)} | {127: None}


@dataclass(frozen=True)
class Zone:
    """How times are written: local time with TZID, or UTC."""

    name: str

    @property
    def is_utc(self) -> bool:
        return self.name in UTC_NAMES

    @functools.cached_property
    def tzinfo(self) -> dt.tzinfo:
        return dt.timezone.utc if self.is_utc else ZoneInfo(self.name)

    def prop(self, name: str, day: dt.date, time: dt.time) -> str:
        """"DTSTART;TZID=Europe/Berlin:20260301T210000" (or …Z for UTC)."""
        value = f"{day.year:04d}{day.month:02d}{day.day:02d}T{time.hour:02d}{time.minute:02d}{time.second:02d}"
        return f"{name}:{value}Z" if self.is_utc else f"{name};TZID={self.name}:{value}"

    def prop_list(self, name: str, days: Iterable[dt.date], time: dt.time) -> str:
        clock = f"T{time.hour:02d}{time.minute:02d}{time.second:02d}" + ("Z" if self.is_utc else "")
        values = ",".join(f"{d.year:04d}{d.month:02d}{d.day:02d}{clock}" for d in days)
        return f"{name}:{values}" if self.is_utc else f"{name};TZID={self.name}:{values}"

    def utc_stamp(self, day: dt.date, time: dt.time) -> str:
        """The UTC instant of a local wall-clock time (RRULE's UNTIL must be UTC with a TZID start)."""
        return stamp(dt.datetime.combine(day, time, tzinfo=self.tzinfo))


@functools.lru_cache(maxsize=4096)  # descriptions repeat across a feed's events
def escape(text: str) -> str:
    """An RFC 5545 TEXT value."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_DROP_CONTROLS)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


@functools.lru_cache(maxsize=4096)
def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545 §3.1)."""
    if len(line) <= 75 and line.isascii():
        return line
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # a continuation byte: back off
            end -= 1
        parts.append(data[start:end])
        start, limit = end, 74  # continuation lines start with a space
    return b"\r\n ".join(parts).decode()


@functools.lru_cache(maxsize=1024)  # most events of a feed share a few LAST-MODIFIED instants
def stamp(moment: dt.datetime) -> str:
    moment = moment.astimezone(dt.timezone.utc)
    return f"{moment.year:04d}{moment.month:02d}{moment.day:02d}T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}Z"


def duration(minutes: int) -> str:
    if minutes % 1440 == 0:
        return f"P{minutes // 1440}D"
    if minutes % 60 == 0:
        return f"PT{minutes // 60}H"
    return f"PT{minutes}M"


def _date(day: dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def event_body(event: FeedEvent, zone: Zone) -> str:
    """The event's folded content lines, without UID, DTSTAMP, SEQUENCE and LAST-MODIFIED.

    Its hash is what decides whether the event changed (state.py)."""
    lines = []
    if event.time is None:
        lines.append(f"DTSTART;VALUE=DATE:{_date(event.start)}")
        lines.append(f"DTEND;VALUE=DATE:{_date(event.start + dt.timedelta(days=event.days))}")
    else:
        lines.append(zone.prop("DTSTART", event.start, event.time))
        lines.append(f"DURATION:{duration(STEP_MINUTES)}")
        if event.rule:
            lines.append(f"RRULE:{event.rule};UNTIL={zone.utc_stamp(event.last, event.time)}")
            if event.exdates:
                lines.append(zone.prop_list("EXDATE", event.exdates, event.time))
    lines.append(f"SUMMARY:{escape(event.summary)}")
    lines.append(f"DESCRIPTION:{escape(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{escape(event.location)}")
    lines.append(f"CATEGORIES:{escape(event.category)}")
    lines.append("TRANSP:TRANSPARENT")
    lines.append("CLASS:PRIVATE")
    if event.alarm:
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"TRIGGER:{event.alarm}",
                  f"DESCRIPTION:{escape(event.summary)}", "END:VALARM"]
    return CRLF.join(fold(line) for line in lines)


def content_hash(body: str) -> str:
    return hashlib.blake2b(body.encode(), digest_size=16).hexdigest()


def vevent(uid: str, body: str, sequence: int, modified_at: dt.datetime) -> str:
    """A whole VEVENT; DTSTAMP is the last revision (no METHOD), like LAST-MODIFIED."""
    when = stamp(modified_at)
    return CRLF.join(("BEGIN:VEVENT", fold(f"UID:{uid}"), f"DTSTAMP:{when}", f"LAST-MODIFIED:{when}",
                      f"SEQUENCE:{sequence}", body, "END:VEVENT"))


def vcalendar(*, name: str, description: str, zone: Zone, refresh_minutes: int, years: tuple[int, int],
              vevents: Iterable[str]) -> bytes:
    """The whole feed, CRLF line ends, UTF-8."""
    refresh = duration(refresh_minutes)
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"NAME:{escape(name)}",
        f"X-WR-CALNAME:{escape(name)}",
        f"DESCRIPTION:{escape(description)}",
        f"X-WR-CALDESC:{escape(description)}",
        f"X-WR-TIMEZONE:{'UTC' if zone.is_utc else zone.name}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{refresh}",
        f"X-PUBLISHED-TTL:{refresh}",
    ]
    parts = [CRLF.join(fold(line) for line in head)]
    if not zone.is_utc:
        parts.append(vtimezone(zone.name, *years))
    parts.extend(vevents)
    parts.append("END:VCALENDAR\r\n")
    return CRLF.join(parts).encode()


@functools.lru_cache(maxsize=256)
def vtimezone(name: str, first_year: int, last_year: int) -> str:
    """The zone's VTIMEZONE for the years the feed spans (icalendar's, built once per process)."""
    component = Timezone.from_tzid(name, first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year + 1, 1, 1))
    return component.to_ical().decode().rstrip("\r\n")
