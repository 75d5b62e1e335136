"""The skin's own say: "Is your skin still red, peeling, stinging or broken?" at a window's end.

The catalog's recovery window is a number of days; skin does not always keep to it. The sources
say to resume the regimen only "after all evidence of peeling and irritation subsides"
(PEEL_TEXT_PREP; SDC_POSTPROC, SDC_POSTPEEL: only after complete re-epithelialisation). So on
the last ``ASK_DAYS`` days of a procedure's recovery window the plan asks, and:

- "still" on a day keeps every paused class off through the next day at least, and that next
  day asks again: the pause goes on a day at a time until the user says it has settled;
- "settled" stops the asking; the ramp begins the day after the window (as extended), so an
  answer never shortens a window;
- an answer on a day the plan did not ask (before the last days, after the window and its
  extension closed, after "settled", or for another procedure) changes nothing.

Pure: a function of the procedure's day, its recovery length and the answers alone, so the plan
for [a, c) still equals [a, b) + [b, c). window_days.resolve applies the extension to the
windows; every face then sees the same, longer window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from planner.core import frozen, reasons
from planner.core.model import CheckIn, CheckInAnswer

#: The final days of a recovery window the question is asked on (and every day it was extended).
ASK_DAYS = 2
#: The sources of the rule (sources.toml keys), shown on /about.
SOURCES = ("PEEL_TEXT_PREP", "SDC_POSTPROC", "SDC_POSTPEEL")
#: After this many extended days the plan says to ask the clinician (the pause still goes on).
SEE_CLINICIAN_AFTER_DAYS = 7
QUESTION = "Is your skin still red, peeling, stinging or broken?"
STILL_TEXT = "still red, peeling, stinging or broken"


@dataclass(frozen=True, slots=True)
class Walk:
    """What one procedure's answers did to its recovery window (ordinals)."""

    planned_end: int  # the catalog's (or clinician's) last recovery day
    end: int  # the last recovery day after the extension (>= planned_end)
    #: The days the question is asked, each with the answer given for it (None: none yet).
    asks: tuple[tuple[int, CheckInAnswer | None], ...] = ()

    @property
    def extended_days(self) -> int:
        return self.end - self.planned_end


NOT_ASKED = Walk(0, 0)
#: Walk(...) without the frozen __init__ (frozen.py): every procedure of a long history has one.
_walk = frozen.maker(Walk)


def by_procedure(checkins: Iterable[CheckIn]) -> dict[int, dict[int, CheckInAnswer]]:
    """Answers by procedure id, then day ordinal (a later answer for the same day wins)."""
    found: dict[int, dict[int, CheckInAnswer]] = {}
    for c in checkins:
        found.setdefault(c.procedure_id, {})[c.day.toordinal()] = c.answer
    return found


def walk(day: int, recovery_days: int, answers: Mapping[int, CheckInAnswer] | None) -> Walk:
    """The window's end after the answers, and the days it asks on.

    ``day`` is the procedure day's ordinal and ``recovery_days`` its planned recovery band
    (D+1 … D+recovery_days). Without a recovery band nothing is asked.
    """
    if recovery_days <= 0:
        return NOT_ASKED
    planned_end = end = day + recovery_days
    answers = answers or {}
    asks = []
    o = max(day + 1, planned_end - ASK_DAYS + 1)
    while o <= end:
        answer = answers.get(o)
        asks.append((o, answer))
        if answer is CheckInAnswer.SETTLED:
            break
        if answer is CheckInAnswer.STILL and o + 1 > end:
            end = o + 1
        o += 1
    return _walk(planned_end, end, tuple(asks))


def extended_note(label: str, procedure_day: dt.date, answered_on: dt.date, extended_day: int) -> str:
    """The note on a day the answers added: which answer added it."""
    note = (f"recovery extended: on {reasons.short_date(answered_on)} you said your skin was still red, peeling, "
            f"stinging or broken after {label} on {reasons.short_date(procedure_day)}, so exfoliants stay paused "
            "until it settles")
    if extended_day >= SEE_CLINICIAN_AFTER_DAYS:
        note += f"; it has been {reasons.days(extended_day)} longer than planned: ask your clinician"
    return note


def extended_notes(w: Walk, label: str, procedure_day: dt.date, first: int, stop: int) -> dict[int, str]:
    """The note of each extended day in [first, stop): day o is there because of "still" on o - 1."""
    return {o: extended_note(label, procedure_day, dt.date.fromordinal(o - 1), o - w.planned_end)
            for o in range(max(w.planned_end + 1, first), min(w.end, stop - 1) + 1)}


def answerable(asks: Sequence[tuple[int, CheckInAnswer | None]], day: dt.date) -> bool:
    """True when the plan asks on ``day`` (an answer for it can change the plan)."""
    o = day.toordinal()
    return any(a == o for a, _ in asks)
