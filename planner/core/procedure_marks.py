"""What the procedures themselves put on the days of a planned range: their markers
("Washout before microneedling (day 2 of 3)", "Recovery after microneedling (day 3 of 7)"),
the notes that lead a day ("follow your clinician's instructions", "recovery extended: …")
and the skin check-ins each day asks (checkins.py), laid out once per range by walking only the
days each procedure's band touches (window_days.py lays out the exfoliants' pauses and ramps).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING

from planner.core import checkins, frozen, reasons
from planner.core.model import CheckInAsk, Marker, MarkerKind

if TYPE_CHECKING:
    from planner.core.window_days import ResolvedProcedure

#: A day's markers by procedure (date, then id), then this order.
_MARKER_ORDER = {MarkerKind.WASHOUT: 0, MarkerKind.PROCEDURE: 1, MarkerKind.RECOVERY: 2, MarkerKind.RAMP: 3}
#: Marker(...) without the frozen dataclass's __init__ (frozen.py): a year makes hundreds.
_marker = frozen.maker(Marker)


@dataclass
class ProcedureDays:
    """What the procedures themselves put on the days in range, by ordinal."""

    #: By procedure (date, then id), then washout, procedure, recovery, ramp.
    markers: dict[int, tuple[Marker, ...]]
    #: Notes that lead the day: "follow your clinician's instructions", "recovery extended: …".
    clinician_notes: dict[int, tuple[str, ...]]
    performed: dict[int, list[ResolvedProcedure]]  # the procedures done that day
    #: The skin check-ins each day asks (checkins.py), by procedure (date, then id).
    asks: dict[int, tuple[CheckInAsk, ...]] = field(default_factory=dict)


def procedure_days(procs: list[ResolvedProcedure], ramp_markers: dict[int, list[Marker]], first: int,
                   stop: int) -> ProcedureDays:
    """Each procedure's markers and notes on the days in [first, stop) its washout, day or
    recovery band touches, joined with the ramp markers (ramp.ramp_markers)."""
    found: dict[int, list[tuple[tuple[int, int, int], Marker]]] = {}
    clinician: dict[int, list[str]] = {}
    performed: dict[int, list[ResolvedProcedure]] = {}
    asks: dict[int, list[CheckInAsk]] = {}
    for p in procs:
        if p.day + p.recovery_days < first or p.washout_start >= stop:
            continue  # a band, its check-ins and the days they added all miss the range (a long history)
        pid, label, n, recovery_days = p.source.id, p.where, p.windows.washout_days_before, p.recovery_days
        note = reasons.follow_clinician(label) if p.windows.follow_clinician else None
        w = p.windows
        washout_theirs = "washout_days_before" in w.overridden
        longest = "retinoid_days_after" if w.retinoid_days_after >= w.actives_days_after else "actives_days_after"
        recovery_theirs = longest in w.overridden
        for o in range(max(p.washout_start, first), min(p.day + recovery_days, stop - 1) + 1):
            if o < p.day:
                k = n - (p.day - o) + 1
                text = reasons.washout_marker(label, k, n, washout_theirs)
                marker = _marker(MarkerKind.WASHOUT, pid, text, k, n)
            elif o == p.day:
                performed.setdefault(o, []).append(p)
                marker = _marker(MarkerKind.PROCEDURE, pid, reasons.procedure_marker(label), 1, 1)
            else:
                k = o - p.day
                text = reasons.recovery_marker(label, k, recovery_days, recovery_theirs)
                marker = _marker(MarkerKind.RECOVERY, pid, text, k, recovery_days)
            if note is not None and o >= p.day:
                clinician.setdefault(o, []).append(note)
            found.setdefault(o, []).append(((p.day, pid, _MARKER_ORDER[marker.kind]), marker))
        _checkin_days(p, first, stop, asks, clinician)
    procs_by_id = {p.source.id: p for p in procs}
    for o, markers in ramp_markers.items():
        for marker in markers:
            p = procs_by_id[marker.procedure_id]
            found.setdefault(o, []).append(((p.day, p.source.id, _MARKER_ORDER[marker.kind]), marker))
    by_day = {}
    for o, day in found.items():
        if len(day) > 1:
            day.sort(key=itemgetter(0))
        by_day[o] = (day[0][1],) if len(day) == 1 else tuple(marker for _, marker in day)
    return ProcedureDays(by_day, {o: tuple(notes) for o, notes in clinician.items()}, performed,
                         {o: tuple(day_asks) for o, day_asks in asks.items()})


def _checkin_days(p: ResolvedProcedure, first: int, stop: int, asks: dict[int, list[CheckInAsk]],
                  notes: dict[int, list[str]]) -> None:
    """The check-in questions of one procedure in [first, stop), and the note of each day its
    answers added."""
    walk = p.checkin
    for o, answer in walk.asks:
        if first <= o < stop:
            asks.setdefault(o, []).append(CheckInAsk(p.source.id, p.label, p.date, answer, o > walk.planned_end))
    if walk.extended_days:
        for o, note in checkins.extended_notes(walk, p.label, p.date, first, stop).items():
            notes.setdefault(o, []).append(note)
