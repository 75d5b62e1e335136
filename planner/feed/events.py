"""The plan's days as calendar events: one recurring series where days repeat, one event where they differ.

Pure (no Flask, no database): the engine's DayPlans in, FeedEvent values out; ical.py writes
them. Building one calendar event per day costs far too much for a feed of a year, so the serum
and every exfoliant become a series per product, slot and calendar month (RRULE with EXDATE for
the nights the plan leaves out); a day whose step reads differently (the serum "after your
treatment", a ramp night with its own reason) is an event of its own. Washout and recovery
windows are one all-day event each, and every procedure is an all-day event.

UIDs are deterministic: the month series of a step is "<step>-<slot>-<YYYYMM>", a single day
"<step>-<slot>-<YYYYMMDD>", a procedure "procedure-<id>", its windows "washout-<id>" and
"recovery-<id>". The same day and step therefore keep their UID across renders, and an edit
updates an event instead of duplicating it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from planner.core.model import DayPlan, MarkerKind, ProcedureFacts, Slot, Step, StepRole
from planner.core.reasons import MONTHS, short_date

SERUM, EXFOLIANT, PROCEDURE, WASHOUT, RECOVERY = "Serum", "Exfoliant", "Procedure", "Washout", "Recovery"
STEP_MINUTES = 10
#: Alarm triggers: a step at its time; a procedure and a washout at 09:00 the day before.
STEP_ALARM, DAY_BEFORE_ALARM = "PT0S", "-PT15H"
DISCLAIMER = "General information, not medical advice: your clinician's instructions come first."
#: With discreet titles on, a calendar shown to others names no procedure, product, clinic or
#: health word anywhere: summaries, descriptions, locations, categories and alarms.
DISCREET_ROUTINE, DISCREET_APPOINTMENT = "Routine", "Appointment"
DISCREET_NOTE = "Details in Afterglow."
SLOT_WORDS = {Slot.MORNING: "morning", Slot.EVENING: "evening"}
_WINDOW_KINDS = {MarkerKind.WASHOUT: WASHOUT, MarkerKind.PROCEDURE: PROCEDURE, MarkerKind.RECOVERY: RECOVERY}
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Prefs:
    """The user's settings that shape the feed."""

    morning_time: dt.time
    evening_time: dt.time
    discreet: bool = False
    alarms: bool = False

    def time_of(self, slot: Slot) -> dt.time:
        return self.morning_time if slot is Slot.MORNING else self.evening_time


class FeedEvent(NamedTuple):
    """One VEVENT: timed (``time`` set, possibly recurring) or all-day over ``days`` days.

    A NamedTuple rather than a frozen dataclass: a feed builds a few hundred, and a frozen
    dataclass costs four times as much to construct."""

    key: str  # the UID before the per-user suffix
    category: str
    summary: str
    description: str
    start: dt.date
    time: dt.time | None = None
    days: int = 1
    rule: str = ""  # RRULE without UNTIL, e.g. "FREQ=DAILY;INTERVAL=2"
    last: dt.date | None = None  # date of the last occurrence of a series (its UNTIL)
    exdates: tuple[dt.date, ...] = ()
    location: str = ""
    alarm: str = ""  # VALARM trigger, "" for none


def build_events(days: Sequence[DayPlan], procedures: Mapping[int, ProcedureFacts], prefs: Prefs) -> list[FeedEvent]:
    """Every event of the feed for the given days, in a stable order."""
    return step_events(days, prefs) + window_events(days, procedures, prefs)


# -- Steps: the serum and the exfoliants ---------------------------------------------------------


def step_events(days: Sequence[DayPlan], prefs: Prefs) -> list[FeedEvent]:
    """Steps grouped per product, slot and month; each month's usual form becomes a series."""
    # The engine hands out the same Step objects, even the same tuples of steps, day after day
    # (they stay alive in ``days`` meanwhile, so their ids are stable): work each out once, and
    # number the distinct (step, slot, text) forms so the per-day work only touches ints.
    forms: dict[tuple[str, Slot, tuple[str, str, str]], int] = {}
    step_form: dict[int, int] = {}
    day_forms: dict[int, list[int]] = {}
    months: dict[int, dict[int, list[int]]] = {}
    for day in days:
        numbers = day_forms.get(id(day.steps))
        if numbers is None:
            numbers = day_forms[id(day.steps)] = []
            for step in day.steps:
                number = step_form.get(id(step))
                if number is None:
                    form = None if step.role is StepRole.LAYER else (_step_ident(step), step.slot, _step_text(step, prefs))
                    number = step_form[id(step)] = -1 if form is None else forms.setdefault(form, len(forms))
                if number >= 0:
                    numbers.append(number)
        if numbers:
            month = day.date.year * 100 + day.date.month
            bucket = months.get(month)
            if bucket is None:
                bucket = months[month] = defaultdict(list)
            ordinal = day.date.toordinal()
            for number in numbers:
                bucket[number].append(ordinal)
    form_of = list(forms)
    alarm = STEP_ALARM if prefs.alarms else ""
    events = []
    for month, bucket in months.items():
        by_step: dict[tuple[str, Slot], list[tuple[tuple[str, str, str], list[int]]]] = defaultdict(list)
        for number, ordinals in bucket.items():
            ident, slot, text = form_of[number]
            by_step[ident, slot].append((text, ordinals))
        for (ident, slot), texts in by_step.items():
            time = prefs.time_of(slot)
            usual = max(texts, key=lambda item: (len(item[1]), -item[1][0]))[0]
            for text, ordinals in texts:
                category, summary, description = text
                if text == usual:
                    events.append(_series(f"{ident}-{slot.value}-{month}", category, summary, description,
                                          ordinals, time, alarm))
                    continue
                for ordinal in ordinals:
                    date = dt.date.fromordinal(ordinal)
                    events.append(FeedEvent(f"{ident}-{slot.value}-{month}{date.day:02d}", category, summary,
                                            description, date, time, alarm=alarm))
    events.sort(key=lambda e: (e.start, e.key))
    return events


def _step_ident(step: Step) -> str:
    if step.role is StepRole.SERUM:
        return "serum"
    return f"p{step.product_id}" if step.product_id is not None else "step"


def _step_text(step: Step, prefs: Prefs) -> tuple[str, str, str]:
    slot = SLOT_WORDS[step.slot]
    at = prefs.time_of(step.slot).strftime("%H:%M")
    if step.role is StepRole.SERUM:
        category = SERUM
        lines = [f"{step.product_name}: your once-daily serum, in the {slot} routine ({at})."]
    else:
        category = EXFOLIANT
        lines = [f"{step.product_name}: exfoliant step in the {slot} routine ({at}), on your usual cadence.",
                 "It is kept off during washout and recovery windows (those events say why) "
                 "and comes back gradually after them."]
    if step.note:
        lines.append(f"Today: {step.note}.")
    if prefs.discreet:
        return DISCREET_ROUTINE, f"{slot.capitalize()} routine", f"Your {slot} routine ({at}). {DISCREET_NOTE}"
    return category, step.product_name, "\n".join(lines)


def _series(key: str, category: str, summary: str, description: str, ordinals: list[int], time: dt.time,
            alarm: str) -> FeedEvent:
    """One event for the sorted day ``ordinals``: the cheaper of a daily or weekly rule, minus EXDATEs."""
    first = dt.date.fromordinal(ordinals[0])
    if len(ordinals) == 1:
        return FeedEvent(key, category, summary, description, first, time, alarm=alarm)
    rule, extra = best_rule(ordinals)
    return FeedEvent(key, category, summary, description, first, time, rule=rule,
                     last=dt.date.fromordinal(ordinals[-1]), exdates=tuple(map(dt.date.fromordinal, extra)),
                     alarm=alarm)


def best_rule(ordinals: list[int]) -> tuple[str, list[int]]:
    """An RRULE (without UNTIL) whose occurrences from the first to the last day cover every
    day in ``ordinals``, and the days it adds (EXDATEs): as few as a daily or weekly rule can."""
    first, last = ordinals[0], ordinals[-1]
    taken = set(ordinals)
    step = 0
    for a, b in zip(ordinals, ordinals[1:]):
        step = math.gcd(step, b - a)
    daily = [o for o in range(first, last + 1, step) if o not in taken]
    weekdays = sorted({(o - 1) % 7 for o in ordinals})  # ordinal 1 was a Monday
    if len(weekdays) < 7:
        allowed = set(weekdays)
        weekly = [o for o in range(first, last + 1) if (o - 1) % 7 in allowed and o not in taken]
        if len(weekly) < len(daily):
            return "FREQ=WEEKLY;BYDAY=" + ",".join(_WEEKDAYS[w] for w in weekdays), weekly
    return ("FREQ=DAILY" if step == 1 else f"FREQ=DAILY;INTERVAL={step}"), daily


# -- Procedures and their windows ----------------------------------------------------------------


def window_events(days: Sequence[DayPlan], procedures: Mapping[int, ProcedureFacts], prefs: Prefs) -> list[FeedEvent]:
    """Each procedure as an all-day event, each of its washout and recovery windows as one all-day event."""
    runs: dict[tuple[MarkerKind, int], list[DayPlan]] = defaultdict(list)
    for day in days:
        for marker in day.markers:
            if marker.kind in _WINDOW_KINDS and marker.procedure_id in procedures:
                runs[marker.kind, marker.procedure_id].append(day)
    events = []
    for (kind, procedure_id), run_days in runs.items():
        facts = procedures[procedure_id]
        for index, run in enumerate(_consecutive(run_days)):
            key = f"{_WINDOW_KINDS[kind].lower()}-{procedure_id}" + (f"-{index + 1}" if index else "")
            if kind is MarkerKind.PROCEDURE:
                events.append(_procedure_event(key, facts, run[0], prefs))
            else:
                events.append(_window_event(key, kind, facts, run, prefs))
    events.sort(key=lambda e: (e.start, e.key))
    return events


def _consecutive(days: list[DayPlan]) -> Iterable[list[DayPlan]]:
    run: list[DayPlan] = []
    for day in days:
        if run and (day.date - run[-1].date).days != 1:
            yield run
            run = []
        run.append(day)
    if run:
        yield run


def _procedure_event(key: str, facts: ProcedureFacts, day: DayPlan, prefs: Prefs) -> FeedEvent:
    lines = [f"{facts.label} today" + (f" at {facts.clinic}." if facts.clinic else ".")]
    serum = day.serum
    if serum is not None:
        slot = SLOT_WORDS[serum.slot]
        lines.append(f"{serum.product_name} in the {slot} ({prefs.time_of(serum.slot):%H:%M})"
                     + (f", {serum.note}." if serum.note else "."))
    if day.pauses:
        lines.append("Paused today: " + ", ".join(f"{p.product_name} ({p.product_class.label})" for p in day.pauses) + ".")
    lines.extend(day.notes)
    lines.extend(aftercare_lines([day], facts.id))
    w = facts.windows
    if w.washout_days_before:
        lines.append(f"Washout before it: {_days(w.washout_days_before)}.")
    if max(w.retinoid_days_after, w.actives_days_after):
        lines.append(f"Recovery after it: {_recovery_phrase(facts)}.")
    lines.append(DISCLAIMER)
    alarm = DAY_BEFORE_ALARM if prefs.alarms else ""
    if prefs.discreet:
        return FeedEvent(key, DISCREET_APPOINTMENT, "Appointment", f"Appointment today. {DISCREET_NOTE}", day.date,
                         days=1, alarm=alarm)
    return FeedEvent(key, PROCEDURE, facts.label, "\n".join(lines), day.date, days=1, location=facts.clinic, alarm=alarm)


def _window_event(key: str, kind: MarkerKind, facts: ProcedureFacts, run: list[DayPlan], prefs: Prefs) -> FeedEvent:
    first, last = run[0].date, run[-1].date
    when = short_date(facts.date, first)
    if kind is MarkerKind.WASHOUT:
        category = WASHOUT
        title = f"Washout: no retinoids or exfoliants until {facts.phrase} on {when}"
        discreet = f"Simple routine until {when}"
        lines = [f"Washout before {facts.phrase} on {when}: from {short_date(first, facts.date)} to {short_date(last, facts.date)} "
                 "keep retinoids and exfoliants (acids, enzymes, scrubs, strong actives) off your skin.",
                 "They stay off on the day itself and during the recovery after it."]
    else:
        category = RECOVERY
        title = f"Recovery after {facts.phrase}: {_recovery_phrase(facts)}"
        discreet = f"Gentle routine through {short_date(last, first)}"
        lines = [f"Recovery after {facts.phrase} on {when}: {_recovery_phrase(facts)}.",
                 "The serum goes on as planned; exfoliants come back gradually afterwards."]
        if facts.extended_days and facts.extended_on is not None:
            lines.append(f"Extended by {_days(facts.extended_days)}: on {short_date(facts.extended_on, first)} you said "
                         "your skin was still red, peeling, stinging or broken.")
    paused = _paused_products(run)
    if paused:
        lines.append("Paused in your plan: " + "; ".join(paused) + ".")
    notes = dict.fromkeys(note for day in run for note in day.notes)
    lines.extend(notes)
    lines.extend(aftercare_lines(run, facts.id))
    lines.append(DISCLAIMER)
    alarm = DAY_BEFORE_ALARM if prefs.alarms and kind is MarkerKind.WASHOUT else ""
    if prefs.discreet:
        return FeedEvent(key, DISCREET_ROUTINE, discreet, f"{discreet}. {DISCREET_NOTE}", first,
                         days=(last - first).days + 1, alarm=alarm)
    return FeedEvent(key, category, title, "\n".join(lines), first, days=(last - first).days + 1, alarm=alarm)


def aftercare_lines(days: Sequence[DayPlan], procedure_id: int) -> list[str]:
    """The procedure's aftercare over these days, each once, in words that hold for every day of a
    multi-day event ("No makeup until the evening of Thu 12 March"): "Aftercare: …" lines."""
    summaries = dict.fromkeys(a.summary for day in days for a in day.advice if a.procedure_id == procedure_id)
    return [s if s.startswith("You have no sunscreen") else f"Aftercare: {s}." for s in summaries]


def _recovery_phrase(facts: ProcedureFacts) -> str:
    """"no retinoids through 20 March; no other exfoliants through 17 March"."""
    w, d = facts.windows, facts.date
    r, a = w.retinoid_days_after, w.actives_days_after
    if facts.extended_days:  # the skin check-ins kept every exfoliant off through the recovery's end
        extended = (facts.recovery_end - d).days
        r, a = max(r, extended), max(a, extended)
    if r == a:
        return f"no retinoids or exfoliants through {short_date(d + dt.timedelta(days=r), d)}"
    parts = []
    if r:
        parts.append(f"no retinoids through {short_date(d + dt.timedelta(days=r), d)}")
    if a:
        parts.append(f"no other exfoliants through {short_date(d + dt.timedelta(days=a), d)}")
    return "; ".join(parts)


def _paused_products(run: list[DayPlan]) -> list[str]:
    """"Retinol serum (retinoid): 6, 8 and 10 March" for each product the window pauses."""
    dates: dict[tuple[str, str], list[dt.date]] = defaultdict(list)
    for day in run:
        for pause in day.pauses:
            dates[pause.product_name, pause.product_class.label].append(day.date)
    return [f"{name} ({label}): {dates_phrase(days)}" for (name, label), days in dates.items()]


def dates_phrase(dates: list[dt.date]) -> str:
    """"6, 8 and 10 March; 2 April" (a year is named when it is not the first date's year)."""
    by_month: dict[tuple[int, int], list[int]] = defaultdict(list)
    for d in dates:
        by_month[d.year, d.month].append(d.day)
    first_year = dates[0].year
    parts = []
    for (year, month), numbers in by_month.items():
        text = ", ".join(map(str, numbers[:-1])) + (" and " if len(numbers) > 1 else "") + str(numbers[-1])
        parts.append(f"{text} {MONTHS[month - 1]}" + (f" {year}" if year != first_year else ""))
    return "; ".join(parts)


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"
