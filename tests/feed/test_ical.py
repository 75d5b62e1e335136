"""The hand-written iCalendar pieces: recurrence choice, escaping, folding, VTIMEZONE caching."""

from __future__ import annotations

import datetime as dt

import icalendar
from dateutil.rrule import rrulestr
from hypothesis import given
from hypothesis import strategies as st

from planner.feed import ical
from planner.feed.events import FeedEvent, best_rule, dates_phrase

START = dt.date(2026, 3, 1).toordinal()


@given(st.sets(st.integers(min_value=0, max_value=61), min_size=2))
def test_best_rule_minus_exdates_is_exactly_the_days(offsets):
    ordinals = sorted(START + o for o in offsets)
    rule, extra = best_rule(ordinals)
    first, last = dt.date.fromordinal(ordinals[0]), dt.date.fromordinal(ordinals[-1])
    occurrences = rrulestr(f"{rule};UNTIL={last:%Y%m%d}", dtstart=dt.datetime.combine(first, dt.time()))
    days = {d.date().toordinal() for d in occurrences}
    assert set(extra) <= days
    assert days - set(extra) == set(ordinals)


def test_best_rule_picks_the_natural_cadence():
    def rule_of(days):
        return best_rule([START + d for d in days])

    assert rule_of(range(0, 31)) == ("FREQ=DAILY", [])
    assert rule_of(range(0, 31, 2)) == ("FREQ=DAILY;INTERVAL=2", [])
    assert rule_of([d for d in range(14) if d not in (3, 4)]) == ("FREQ=DAILY", [START + 3, START + 4])
    assert rule_of([0, 1, 2, 5, 6]) == ("FREQ=WEEKLY;BYDAY=MO,TU,FR,SA,SU", [])  # 1 March 2026 is a Sunday
    monday = dt.date(2026, 3, 2).toordinal() - START  # Mon/Wed/Fri for four weeks
    mwf = [monday + w * 7 + d for w in range(4) for d in (0, 2, 4)]
    assert rule_of(mwf) == ("FREQ=WEEKLY;BYDAY=MO,WE,FR", [])


@given(st.text(min_size=0, max_size=300))
def test_any_text_survives_escaping_and_folding(text):
    line = ical.fold("SUMMARY:" + ical.escape(text))
    assert all(len(part.encode()) <= 75 for part in line.split("\r\n"))
    assert all(part.startswith(" ") for part in line.split("\r\n")[1:])
    event = icalendar.Event.from_ical(f"BEGIN:VEVENT\r\n{line}\r\nEND:VEVENT\r\n")
    kept = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = "".join(c for c in kept if c in "\t\n" or (ord(c) >= 32 and ord(c) != 127))
    assert str(event.get("SUMMARY", "")) == kept


def test_folding_never_splits_a_character():
    line = ical.fold("DESCRIPTION:" + "é🌙" * 40)
    for part in line.encode().split(b"\r\n"):
        part.decode()  # raises if a fold cut a UTF-8 sequence
        assert len(part) <= 75


def test_vtimezone_is_built_once_per_zone_and_years():
    ical.vtimezone.cache_clear()
    first = ical.vtimezone("America/New_York", 2026, 2027)
    again = ical.vtimezone("America/New_York", 2026, 2027)
    assert first is again and ical.vtimezone.cache_info().hits == 1
    zone = icalendar.Calendar.from_ical(f"BEGIN:VCALENDAR\r\n{first}\r\nEND:VCALENDAR\r\n").walk("VTIMEZONE")[0]
    assert str(zone["TZID"]) == "America/New_York"
    assert {str(c["TZNAME"]) for c in zone.walk() if c.name in ("STANDARD", "DAYLIGHT")} == {"EST", "EDT"}


def test_series_until_is_utc_and_exdates_keep_the_zone():
    event = FeedEvent("serum-evening-202603", "Serum", "Serum", "", dt.date(2026, 3, 1), dt.time(21, 0),
                      rule="FREQ=DAILY", last=dt.date(2026, 3, 31), exdates=(dt.date(2026, 3, 12),))
    body = ical.event_body(event, ical.Zone("Europe/Berlin"))
    assert "RRULE:FREQ=DAILY;UNTIL=20260331T190000Z" in body  # 21:00 CEST
    assert "EXDATE;TZID=Europe/Berlin:20260312T210000" in body
    utc = ical.event_body(event, ical.Zone("UTC"))
    assert "DTSTART:20260301T210000Z" in utc and "UNTIL=20260331T210000Z" in utc


def test_dates_phrase():
    days = [dt.date(2026, 3, 6), dt.date(2026, 3, 8), dt.date(2026, 3, 10), dt.date(2026, 4, 2), dt.date(2027, 1, 1)]
    assert dates_phrase(days) == "6, 8 and 10 March; 2 April; 1 January 2027"
    assert dates_phrase([dt.date(2026, 3, 6)]) == "6 March"


def test_durations():
    assert [ical.duration(m) for m in (10, 360, 1440, 90)] == ["PT10M", "PT6H", "P1D", "PT90M"]
