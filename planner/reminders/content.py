"""What each kind of reminder says, taken from the user's plan for that day.

Every sentence about a pause or a window comes from the engine (``Pause.reason``,
``Marker.label``) so the email, the calendar page and the feed say the same thing. This module
only picks what belongs in each kind of message and words the subject line; templates under
``templates/mail/`` lay it out.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from planner.core import reasons
from planner.core.model import (
    DayPlan,
    MarkerKind,
    Plan,
    ProcedureFacts,
    ProductClass,
    Severity,
    Slot,
    Step,
    StepRole,
)
from planner.mail.compose import Content
from planner.planning import UserPlanner
from planner.reminders.ledger import ReminderKind

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: The order classes are named in ("stop your retinoid and AHA").
CLASS_ORDER = (ProductClass.RETINOID, ProductClass.AHA, ProductClass.BHA, ProductClass.PHA,
               ProductClass.ENZYME, ProductClass.PHYSICAL_EXFOLIANT, ProductClass.OTHER_ACTIVE)


class NothingToSend(Exception):
    """The plan has nothing for this reminder (withheld plan, window moved): drop it, say why."""


def long_day(day: dt.date) -> str:
    """"Thursday 12 March", without depending on the server's locale."""
    return f"{WEEKDAYS[day.weekday()]} {reasons.short_date(day)}"


def when(day: dt.date, today: dt.date) -> str:
    """"tomorrow", "on Friday" within the coming week, else "on Friday 20 March"."""
    ahead = (day - today).days
    if ahead == 1:
        return "tomorrow"
    if 1 < ahead < 7:
        return f"on {WEEKDAYS[day.weekday()]}"
    return f"on {WEEKDAYS[day.weekday()]} {reasons.short_date(day, today)}"


def in_days(n: int) -> str:
    return "tomorrow" if n == 1 else f"in {n} days"


def join_words(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def needed_days(kind: ReminderKind) -> int:
    """How many days of plan a kind needs, starting with its own day."""
    return 2 if kind is ReminderKind.RECOVERY_END else 1


def build(kind: ReminderKind, planner: UserPlanner, plan: Plan, discreet: bool) -> Content:
    """The content of one reminder from the user's plan (starting on the reminder's day)."""
    if not plan.days:
        raise NothingToSend("no plan for the day (the plan waits for a dermatologist's approval)")
    build_kind = {ReminderKind.DAILY: _daily, ReminderKind.WASHOUT: _washout, ReminderKind.RECOVERY_END: _recovery_end}
    return build_kind[ReminderKind(kind)](planner, plan, plan_warnings(plan.screening.findings), discreet)


def plan_warnings(findings) -> list[str]:
    """Screening findings worth repeating in an email (the ones the plan page shows as notices)."""
    return [f.message for f in findings if f.severity in (Severity.BLOCK, Severity.WARNING)]


class SlotView(NamedTuple):
    name: str  # "Morning", "Evening"
    time: str  # the user's routine time, "21:00"
    steps: tuple[Step, ...]


class ProductView(NamedTuple):
    name: str
    classes: tuple[str, ...]  # "retinoid", "AHA"…


class ProcedureView(NamedTuple):
    label: str  # "microneedling"
    date_label: str  # "Friday 20 March"
    in_days: str  # "in 7 days", "tomorrow"


# Templates get the engine's own Step and Pause objects and these tuples: attribute access is
# what Jinja tries first, so no lookup falls back through a KeyError or AttributeError.


def _slots(day: DayPlan, planner: UserPlanner) -> list[SlotView]:
    user = planner.user
    slots = []
    for slot, name, time in ((Slot.MORNING, "Morning", user.morning_time), (Slot.EVENING, "Evening", user.evening_time)):
        steps = day.steps_in(slot)
        if steps:
            slots.append(SlotView(name, time.strftime("%H:%M") if time else "", steps))
    return slots


def _daily(planner: UserPlanner, plan: Plan, warnings: list[str], discreet: bool) -> Content:
    day = plan.days[0]
    subject = f"Your routine for {long_day(day.date)}"
    if day.markers and not discreet:
        subject += f" · {day.markers[0].label}"
    return Content("daily", subject, {
        "day": day.date,
        "day_label": long_day(day.date),
        "slots": _slots(day, planner),
        "pauses": day.pauses,
        "markers": [m.label for m in day.markers],
        "notes": day.notes,
        "warnings": warnings,
    }, has_day_links=any(s.role is not StepRole.LAYER for s in day.steps))


def _procedures_marked(day: DayPlan, kind: MarkerKind, first: bool, plan: Plan) -> list[ProcedureFacts]:
    by_id = {p.id: p for p in plan.procedures}
    ids = [m.procedure_id for m in day.markers
           if m.kind is kind and (m.day_number == 1 if first else m.day_number == m.days_total)]
    return [by_id[i] for i in dict.fromkeys(ids) if i in by_id]


def _exfoliants(planner: UserPlanner) -> list[ProductView]:
    found = []
    for product in planner.inputs.products:
        classes = tuple(c.label for c in CLASS_ORDER if c in product.classes)
        if classes:
            found.append(ProductView(product.name, classes))
    return found


def _washout(planner: UserPlanner, plan: Plan, warnings: list[str], discreet: bool) -> Content:
    day = plan.days[0]
    procedures = _procedures_marked(day, MarkerKind.WASHOUT, True, plan)
    if not procedures:
        raise NothingToSend("no washout starts on this day any more")
    products = _exfoliants(planner)
    first = procedures[0]
    label = first.phrase
    order = [c.label for c in CLASS_ORDER]
    class_words = sorted({c for p in products for c in p.classes}, key=order.index)
    if discreet:
        subject = "A change to your routine starts today"
    elif class_words:
        subject = f"Stop your {join_words(class_words)} from today: {label} {when(first.date, day.date)}"
    else:
        subject = f"Washout starts today: {label} {when(first.date, day.date)}"
    return Content("washout", subject, {
        "day": day.date,
        "day_label": long_day(day.date),
        "procedures": [ProcedureView(p.phrase, long_day(p.date), in_days((p.date - day.date).days))
                       for p in procedures],
        "products": products,
        "warnings": warnings,
    })


def _recovery_end(planner: UserPlanner, plan: Plan, warnings: list[str], discreet: bool) -> Content:
    day, days = plan.days[0], plan.days
    procedures = _procedures_marked(day, MarkerKind.RECOVERY, False, plan)
    if not procedures:
        raise NothingToSend("no recovery window ends on this day any more")
    label = procedures[0].phrase
    tomorrow = days[1] if len(days) > 1 else None
    if discreet:
        subject = "A change to your routine from tomorrow"
    else:
        subject = f"Last day of recovery after {label}: exfoliants come back from tomorrow"
    return Content("recovery_end", subject, {
        "day": day.date,
        "day_label": long_day(day.date),
        "procedures": [ProcedureView(p.phrase, long_day(p.date), "") for p in procedures],
        "tomorrow_label": long_day(tomorrow.date) if tomorrow else "",
        "tomorrow_exfoliants": [s for s in (tomorrow.steps if tomorrow else ()) if s.role is StepRole.EXFOLIANT],
        "tomorrow_pauses": tomorrow.pauses if tomorrow else (),
        "tomorrow_notes": tomorrow.notes if tomorrow else (),
        "warnings": warnings,
    })
