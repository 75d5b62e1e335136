"""The one daily message: the day's steps and every change that day, read off the user's plan.

Every sentence is made from the plan's own objects — the day's steps and pauses, its markers
(a washout's first day, the procedure day, a recovery's last day, a ramp's first day) and
tomorrow's steps and pauses — so the email, the push notification, the calendar page and the
feed cannot disagree (the old separate notices did: a "recovery ends" email listed exfoliants as
"still paused tomorrow" that the daily email brought back). Each change is a part the user can
switch off in the profile. Templates under ``templates/mail/`` lay the parts out; the push
payload (planner.push.payload) takes the subject and the preview.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import NamedTuple

from planner.core import reasons
from planner.core.model import DayPlan, MarkerKind, Plan, ProcedureFacts, Severity, Slot, Step, StepRole
from planner.mail.compose import Content
from planner.planning import UserPlanner

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: A recovery's last day also needs the next day's plan (what comes back tomorrow); other days
#: need only their own, which halves the engine's work in a morning rush.
DAYS_NEEDED = 2
SUBJECT_LIMIT = 60


class NothingToSend(Exception):
    """The plan has nothing for this message (withheld plan, nothing switched on that day): drop it, say why."""


class Part(enum.StrEnum):
    """A change the message announces on the day it happens; each has a profile switch."""

    WASHOUT = "washout"  # a washout before a procedure starts
    PROCEDURE = "procedure"  # the procedure day
    RECOVERY_END = "recovery_end"  # the last day of a recovery window
    RAMP = "ramp"  # exfoliants start coming back gradually


#: The users column that switches each part (and remind_daily the day's steps).
PART_SWITCHES = {Part.WASHOUT: "remind_washout", Part.PROCEDURE: "remind_procedure_day",
                 Part.RECOVERY_END: "remind_recovery_end", Part.RAMP: "remind_ramp"}
#: The marker that starts (or ends) each part, and whether it is its first or its last day.
_PART_MARKERS = {Part.WASHOUT: (MarkerKind.WASHOUT, "first"), Part.PROCEDURE: (MarkerKind.PROCEDURE, "first"),
                 Part.RECOVERY_END: (MarkerKind.RECOVERY, "last"), Part.RAMP: (MarkerKind.RAMP, "first")}


class Change(NamedTuple):
    """One change of the day: its part, the procedure it follows, a heading and its sentences."""

    part: Part
    procedure_id: int
    heading: str
    sentences: tuple[str, ...]


class CheckInQuestion(NamedTuple):
    """A skin check-in the day asks (core/checkins.py); the composer adds its two signed links."""

    procedure_id: int
    about: str  # "after microneedling on 1 December", or "after your procedure" when discreet
    answer: str | None  # "still" / "settled" when answered already


def checkin_questions(day: DayPlan, *, discreet: bool) -> list[CheckInQuestion]:
    return [CheckInQuestion(a.procedure_id, "after your procedure" if discreet else
                            f"after {a.label} on {reasons.short_date(a.procedure_date)}",
                            a.answer.value if a.answer else None) for a in day.checkins]


class SlotView(NamedTuple):
    name: str  # "Morning", "Evening"
    time: str  # the user's routine time, "21:00"
    steps: tuple[Step, ...]


def long_day(day: dt.date) -> str:
    """"Thursday 12 March", without depending on the server's locale."""
    return f"{WEEKDAYS[day.weekday()]} {reasons.short_date(day)}"


def short_day(day: dt.date) -> str:
    """"Thu 12 Mar", for subjects."""
    return f"{WEEKDAYS[day.weekday()][:3]} {day.day} {reasons.short_date(day).split(' ')[1][:3]}"


def join_words(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def plan_warnings(findings) -> list[str]:
    """Screening findings worth repeating in a message (the ones the plan page shows as notices)."""
    return [f.message for f in findings if f.severity in (Severity.BLOCK, Severity.WARNING)]


def plan_information(findings) -> list[str]:
    """The screening's standing information (peptides as the established alternative, not medical
    advice), for the foot of a message."""
    return [f.message for f in findings if f.severity is Severity.INFO and f.code in _INFO_CODES]


_INFO_CODES = ("peptide_alternative", "not_medical_advice")


# -- the changes of a day ---------------------------------------------------------------------------


def changes_of(plan: Plan, wanted: frozenset[Part] = frozenset(Part), *, discreet: bool = False) -> list[Change]:
    """The changes on the plan's first day, in the order they happen to the skin."""
    day = plan.days[0]
    tomorrow = plan.days[1] if len(plan.days) > 1 else None
    found = []
    for part in Part:
        if part not in wanted:
            continue
        kind, edge = _PART_MARKERS[part]
        for marker in day.markers:
            if marker.kind is not kind or marker.day_number != (1 if edge == "first" else marker.days_total):
                continue
            facts = plan.procedure(marker.procedure_id)
            if facts is None:
                continue
            found.append(_WORDING[part](facts, marker.days_total, day, tomorrow, discreet))
    return found


def _washout(facts: ProcedureFacts, days: int, day: DayPlan, tomorrow: DayPlan | None, discreet: bool) -> Change:
    sentences = [f"A {days}-day washout before {facts.phrase} on {long_day(facts.date)} starts today."]
    paused = [p.product_name for p in day.pauses]
    if paused:
        sentences.append(f"Leave off your skin from today: {join_words(paused)}.")
    return Change(Part.WASHOUT, facts.id, "Washout starts today", tuple(sentences))


def _procedure(facts: ProcedureFacts, days: int, day: DayPlan, tomorrow: DayPlan | None, discreet: bool) -> Change:
    where = f" at {facts.clinic}" if facts.clinic and not discreet else ""
    sentences = [f"{facts.label} today{where}."]
    serum = day.serum
    if serum is not None and serum.note:
        sentences.append(f"{serum.product_name}: {serum.note}.")
    sentences.extend(day.notes)
    return Change(Part.PROCEDURE, facts.id, "Treatment day", tuple(sentences))


def _recovery_end(facts: ProcedureFacts, days: int, day: DayPlan, tomorrow: DayPlan | None, discreet: bool) -> Change:
    sentences = [f"Today is the last day of the {days}-day recovery after {facts.phrase} on {reasons.short_date(facts.date)}."]
    if tomorrow is not None:
        when = long_day(tomorrow.date)
        for step in tomorrow.steps:
            if step.role is StepRole.EXFOLIANT:
                sentences.append(f"Back on {when}: {step.product_name}" + (f" ({step.note})." if step.note else "."))
        for pause in tomorrow.pauses:
            sentences.append(f"Still paused on {when}: {pause.product_name} ({pause.reason}).")
        sentences.extend(f"On {when}: {note}" for note in tomorrow.notes)
    return Change(Part.RECOVERY_END, facts.id, "Recovery ends today", tuple(sentences))


def _ramp(facts: ProcedureFacts, days: int, day: DayPlan, tomorrow: DayPlan | None, discreet: bool) -> Change:
    sentences = [f"From today your exfoliants come back gradually after {facts.phrase}, over {days} days."]
    back = [s for s in day.steps if s.role is StepRole.EXFOLIANT]
    for step in back:
        sentences.append(f"Today: {step.product_name}" + (f" ({step.note})." if step.note else "."))
    if not back:
        sentences.append("None of your exfoliants is planned for today.")
    return Change(Part.RAMP, facts.id, "Exfoliants come back", tuple(sentences))


_WORDING = {Part.WASHOUT: _washout, Part.PROCEDURE: _procedure, Part.RECOVERY_END: _recovery_end, Part.RAMP: _ramp}


# -- subject and preview ---------------------------------------------------------------------------


def subject_of(day: dt.date, changes: list[Change], plan: Plan, *, discreet: bool, snooze: int = 0) -> str:
    """Under 60 characters; with discreet titles on, no procedure, product or clinic name."""
    prefix = "Reminder: " if snooze else ""
    if discreet or not changes:
        text = f"{prefix}Your routine for {long_day(day)}"
        if discreet and changes and len(text) + len(" · a change today") < SUBJECT_LIMIT:
            text += " · a change today"
        return text
    first = changes[0]
    facts = plan.procedure(first.procedure_id)
    headline = {
        Part.WASHOUT: f"Washout starts today before {facts.phrase}",
        Part.PROCEDURE: f"{facts.label} today",
        Part.RECOVERY_END: f"Last day of recovery after {facts.phrase}",
        Part.RAMP: f"Exfoliants come back after {facts.phrase}",
    }[first.part]
    more = f" (+{len(changes) - 1})" if len(changes) > 1 else ""
    text = f"{prefix}{short_day(day)}: {headline}{more}"
    if len(text) >= SUBJECT_LIMIT:  # a long procedure name: the headline without it
        text = f"{prefix}{short_day(day)}: {first.heading}{more}"
    return text


def preview_of(day: dt.date, changes: list[Change], slots: list[SlotView], *, discreet: bool) -> str:
    """The line a lock screen or an inbox shows under the subject (push body, email preheader)."""
    if discreet:
        return "Open to see today's steps."
    if changes:
        return " ".join(changes[0].sentences[:1])
    steps = [s.product_name for slot in slots for s in slot.steps if s.role is not StepRole.LAYER]
    return f"Today: {join_words(steps)}." if steps else "No steps planned today."


# -- the whole message ---------------------------------------------------------------------------


def _slots(day: DayPlan, planner: UserPlanner) -> list[SlotView]:
    user = planner.user
    slots = []
    for slot, name, time in ((Slot.MORNING, "Morning", user.morning_time), (Slot.EVENING, "Evening", user.evening_time)):
        steps = day.steps_in(slot)
        if steps:
            slots.append(SlotView(name, time.strftime("%H:%M") if time else "", steps))
    return slots


def wanted_parts(user) -> frozenset[Part]:
    return frozenset(part for part, column in PART_SWITCHES.items() if getattr(user, column))


def needs_next_day(user, day: DayPlan) -> bool:
    """Whether the message for ``day`` says something about the day after (a recovery ends)."""
    return bool(user.remind_recovery_end) and any(
        m.kind is MarkerKind.RECOVERY and m.day_number == m.days_total for m in day.markers)


def build(planner: UserPlanner, plan: Plan, discreet: bool, *, snooze: int = 0) -> Content:
    """The day's message from the user's plan, starting on the message's day (with the next day
    when ``needs_next_day`` says so)."""
    if not plan.days:
        raise NothingToSend("no plan for the day (the plan waits for a dermatologist's approval)")
    user = planner.user
    day = plan.days[0]
    changes = changes_of(plan, wanted_parts(user), discreet=discreet)
    with_steps = bool(user.remind_daily)
    if not with_steps and not changes:
        raise NothingToSend("no change today, and the day's steps are switched off")
    slots = _slots(day, planner) if with_steps else []
    return Content("daily", subject_of(day.date, changes, plan, discreet=discreet, snooze=snooze), {
        "day": day.date,
        "day_label": long_day(day.date),
        "changes": changes,
        "markers": [m.label for m in day.markers] if with_steps else [],
        "slots": slots,
        "pauses": day.pauses if with_steps else (),
        "notes": day.notes if with_steps and not any(c.part is Part.PROCEDURE for c in changes) else (),
        "warnings": plan_warnings(plan.screening.findings),
        "aftercare": [a.text for a in day.advice if not a.is_warning],
        "aftercare_warnings": [a.text for a in day.advice if a.is_warning],
        "information": plan_information(plan.screening.findings),
        "preview": preview_of(day.date, changes, slots, discreet=discreet),
        "snooze": snooze,
        "checkins": checkin_questions(day, discreet=discreet),
    }, has_day_links=any(s.role is not StepRole.LAYER for s in day.steps))
