"""What a person needs at a glance on their phone: the steps of the coming routine today.

Someone opening the app in the morning wants to tick off the morning routine; in the
evening, the evening one. Which routine is "coming" depends on the local wall-clock time in
the user's zone, so the instant is always passed in (never read from a clock here) and the
page, the tests and any other face agree on it. Pure: plain values in, plain values out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.core.model import CheckInAsk, DayPlan, Marker, Pause, Slot, Step

#: Before midday the morning routine is the coming one; from midday on, the evening's.
MIDDAY = dt.time(12, 0)


def coming_slot(local_time: dt.time) -> Slot:
    """The routine a person is about to do at this local time of day."""
    return Slot.MORNING if local_time < MIDDAY else Slot.EVENING


@dataclass(frozen=True, slots=True)
class TodayView:
    """Today's plan arranged for one glance: the coming routine first, the other one after it."""

    date: dt.date
    slot: Slot  # the coming routine
    steps: tuple[Step, ...]  # its steps, in application order
    other_slot: Slot
    other_steps: tuple[Step, ...]
    other_is_later: bool  # True in the morning (the evening is still ahead)
    pause_line: str  # one line: what is paused today and why; "" when nothing is
    pauses: tuple[Pause, ...]  # every pause with its full reason, for "why"
    markers: tuple[Marker, ...]  # the windows today lies in (washout, recovery…)
    checkins: tuple[CheckInAsk, ...] = ()  # "is your skin still red, peeling…?" asked today


def today_view(day: DayPlan, local_now: dt.datetime) -> TodayView:
    """Arrange `day` (the plan for the local date of `local_now`) around the coming routine.

    A morning with nothing to apply shows the evening's routine first.
    `local_now` must already be in the user's zone: its wall-clock time picks the routine.
    """
    if local_now.date() != day.date:
        raise ValueError(f"today_view got the plan for {day.date} at local time {local_now.isoformat()}")
    slot = coming_slot(local_now.time())
    other = Slot.EVENING if slot is Slot.MORNING else Slot.MORNING
    if not day.steps_in(slot) and slot is Slot.MORNING and day.steps_in(other):
        slot, other = other, slot  # a morning with nothing to apply: the evening is what comes
    is_later = slot is Slot.MORNING
    return TodayView(
        date=day.date,
        slot=slot,
        steps=day.steps_in(slot),
        other_slot=other,
        other_steps=day.steps_in(other),
        other_is_later=is_later,
        pause_line=pause_line(day),
        pauses=day.pauses,
        markers=day.markers,
        checkins=day.checkins,
    )


def pause_line(day: DayPlan) -> str:
    """'Paused: Night Retinol, Peel Pads — Recovery after microneedling (day 2 of 8)'.

    The window's label says why in the fewest words; without a window (a ramp night skipped,
    a clash) the first pause's own reason does.
    """
    if not day.pauses:
        return ""
    names = list(dict.fromkeys(p.product_name for p in day.pauses))
    why = "; ".join(m.label for m in day.markers) or day.pauses[0].reason
    return f"Paused: {', '.join(names)} — {why}"
