"""Aftercare beyond products on each day: sun, makeup, sweat, heat, pools and picking, with times.

Rule 8 of the engine (schedule.py). After a procedure on day D the plan asks, for the catalog's
number of days for that kind and intensity, for daily broad-spectrum SPF 30+ sunscreen and no
direct sun ("Sunscreen and no direct sun: day 3 of 14 after …"), and for the hours or days
aftercare.toml gives, no makeup, sweat, heat, pools or picking. A recovery the user's skin
check-ins extended ("still peeling") keeps the picking and sun advice through its new end. Each
day in a span carries the
advice in words that fit that day, and the plan warns on every sun day when the shelf holds no
sunscreen.

Procedures have a date, not a time. Clinic sheets count hours from the end of the treatment, so
an hours-based rule is read as if the treatment ended at 18:00 on D (clinics close about then):
24 hours becomes "until tomorrow evening", 12 hours "until tomorrow morning", 4 hours "for the rest
of today". A treatment earlier in the day only makes the advice err on the cautious side. A
days-based rule (peeling, open skin) covers D … D+n ("through Fri 12 March").

Sunscreen itself waits where the sources say so: freshly needled skin gets none for a day
(catalog ``sunscreen_from_day``), and open skin none until it has healed over (the windows'
``home_serum_from_day``, so a clinician's number moves it too); until then the advice is shade
and clothing. Pure: plain values in, plain values out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from functools import cache

from planner.core import aftercare_catalog, catalog, frozen, layering
from planner.core.aftercare_catalog import DAYS, WHAT, AftercareRule
from planner.core.model import Advice, AftercareTopic, ProductClass, ProductInput
from planner.core.reasons import short_date
from planner.core.window_days import ResolvedProcedure

#: The latest hour a treatment is taken to end, on the procedure day (see the module docstring).
TREATMENT_ENDS_HOUR = 18
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_PARTS = ((12, "morning"), (17, "afternoon"), (24, "evening"))
#: Advice(...) with every field, without the frozen __init__ (frozen.py): a year makes hundreds.
_new_advice = frozen.maker(Advice)


def has_sunscreen(products: Sequence[ProductInput]) -> bool:
    """Whether the shelf holds a sunscreen: classed as one, or named like one."""
    return any(ProductClass.SUNSCREEN in p.classes or layering.is_sunscreen(p) for p in products)


def day_name(day: dt.date, ref: dt.date | None = None) -> str:
    """"Fri 12 March" (with the year when it differs from ``ref``'s)."""
    return f"{_WEEKDAYS[day.weekday()]} {short_date(day, ref)}"


def advice_by_day(procs: Sequence[ResolvedProcedure], products: Sequence[ProductInput], first: int,
                  stop: int) -> dict[int, tuple[Advice, ...]]:
    """The aftercare advice of every procedure whose spans cover a day in [first, stop), by day
    ordinal (the day builder puts it in each DayPlan as it makes it)."""
    if first >= stop or not procs:
        return {}
    found: defaultdict[int, list[Advice]] = defaultdict(list)
    sunscreen = has_sunscreen(products)
    for p in procs:
        if p.day >= stop or not catalog.is_known(p.source.kind):
            continue  # every span starts on the procedure day
        if p.day + max(_reach(p.source.kind, p.source.intensity), _extended_end(p)) < first:
            continue  # every span ended before the range (a long history)
        _advice(p, sunscreen, first, stop, found)
    return {ordinal: tuple(advice) for ordinal, advice in found.items()}


@cache
def _reach(kind_key: str, level) -> int:
    """Days after the procedure day that the kind's last span at this intensity can reach (an
    upper bound: each span's own range is checked where its words are written)."""
    kind = catalog.get_kind(kind_key)
    reach = kind.sun.values[level] if kind.sun is not None else 0
    for rule in aftercare_catalog.rules_for(kind.key):
        amount = rule.amount(level)
        reach = max(reach, amount if rule.unit == DAYS else ends(0, amount)[0])
    return reach


def _extended_end(p: ResolvedProcedure) -> int:
    """Days after the procedure day that the recovery runs as the user's "still red, peeling…"
    answers extended it (0: not extended). Skin that is still peeling is still picked at and still
    burns: the picking and sun spans last at least that long (checkins.py)."""
    return p.recovery_days if p.checkin.extended_days else 0


def _advice(p: ResolvedProcedure, sunscreen: bool, first: int, stop: int, found: defaultdict[int, list[Advice]]):
    """Adds to ``found`` the procedure's advice on every day in [first, stop) a span covers."""
    kind = catalog.get_kind(p.source.kind)
    level = p.source.intensity
    after = f"after {p.label} on {short_date(p.date)}"
    if kind.sun is not None:
        n = max(kind.sun.values[level], _extended_end(p))
        from_day = max(kind.sunscreen_from_day, p.windows.home_serum_from_day)
        _sun(p, n, from_day, kind.sun.sources, sunscreen, first, stop, found)
    for rule in aftercare_catalog.rules_for(kind.key):
        amount = rule.amount(level)
        if amount <= 0:
            continue
        if rule.unit == DAYS:
            if rule.topic is AftercareTopic.PICKING:
                amount = max(amount, _extended_end(p))
            _days_rule(p, rule, amount, after, first, stop, found)
        else:
            _hours_rule(p, rule, amount, after, first, stop, found)


def _sun(p: ResolvedProcedure, n: int, from_day: int, sources: tuple[str, ...], sunscreen: bool,
         first: int, stop: int, found: defaultdict[int, list[Advice]]):
    last = p.day + n
    if max(p.day, first) > min(last, stop - 1):
        return  # the span misses the range (a long history): no words to write
    last_date = dt.date.fromordinal(last)
    start = dt.date.fromordinal(p.day + from_day)
    waits = from_day > 0
    why = ("until the skin has healed over" if waits and p.windows.home_serum_from_day == from_day
           else "freshly treated skin goes without it for the first day")
    summary = (f"Daily broad-spectrum SPF 30+ sunscreen, reapplied every 2 hours outdoors, and no direct sun "
               f"through {day_name(last_date, p.date)} after {p.label}"
               + (f"; sunscreen on the treated skin from {day_name(start, p.date)} ({why}), shade and clothing before"
                  if waits else ""))
    warning = (f"You have no sunscreen on your shelf: after {p.label} on {short_date(p.date)} your plan asks for a "
               f"broad-spectrum SPF 30+ sunscreen every day through {day_name(last_date, p.date)}. Add one to your "
               "products (it goes last in the morning).")
    warned = _new_advice(AftercareTopic.SUN, p.source.id, warning, warning, last_date, sources, True)
    source_id, label = p.source.id, p.label
    for o in range(max(p.day, first), min(last, stop - 1) + 1):
        k = o - p.day
        counted = f"day {k} of {n} after {label}" if k else f"the treatment day, then {n} days after {label}"
        if k < from_day:
            text = (f"No direct sun: {counted}. Keep the treated skin covered and in the shade (hat, clothing); "
                    f"no sunscreen on it yet ({why}): it goes on from {day_name(start, dt.date.fromordinal(o))}.")
        else:
            text = (f"Sunscreen and no direct sun: {counted}. Broad-spectrum SPF 30+ every morning, reapplied every "
                    "2 hours outdoors; a hat and shade when you are out.")
        day = found[o]
        day.append(_new_advice(AftercareTopic.SUN, source_id, text, summary, last_date, sources, False))
        if not sunscreen:
            day.append(warned)


def _days_rule(p: ResolvedProcedure, rule: AftercareRule, n: int, after: str, first: int, stop: int,
               found: defaultdict[int, list[Advice]]):
    """D … D+n: "through Fri 12 March", "through tomorrow", "today is the last day"."""
    last = p.day + n
    if max(p.day, first) > min(last, stop - 1):
        return
    last_date = dt.date.fromordinal(last)
    what = WHAT[rule.topic]
    summary = f"{what} through {day_name(last_date, p.date)} ({after})"
    # "through Fri 12 March" on the days of its year, with the year on the days before
    this_year, year_starts = f"through {day_name(last_date, last_date)}", dt.date(last_date.year, 1, 1).toordinal()
    topic, source_id, sources = rule.topic, p.source.id, rule.span.sources
    for o in range(max(p.day, first), min(last, stop - 1) + 1):
        if o == last:
            when = "today, its last day"
        elif o + 1 == last:
            when = "through tomorrow"
        else:
            when = this_year if o >= year_starts else f"through {day_name(last_date, dt.date.fromordinal(o))}"
        found[o].append(_new_advice(topic, source_id, f"{what} {when} ({after}).", summary, last_date, sources, False))


def ends(procedure_day: int, hours: int) -> tuple[int, str]:
    """The ordinal and part of day ("morning", "afternoon", "evening") an hours-based rule ends:
    ``hours`` after 18:00 on the procedure day; a rule ending at midnight ends the evening before."""
    total = TREATMENT_ENDS_HOUR + hours
    day, hour = divmod(total, 24)
    if hour == 0:
        return procedure_day + day - 1, "evening"
    return procedure_day + day, next(part for limit, part in _PARTS if hour < limit)


def _hours_rule(p: ResolvedProcedure, rule: AftercareRule, hours: int, after: str, first: int, stop: int,
                found: defaultdict[int, list[Advice]]):
    last, part = ends(p.day, hours)
    if max(p.day, first) > min(last, stop - 1):
        return
    last_date = dt.date.fromordinal(last)
    what = WHAT[rule.topic]
    if last == p.day:
        summary = f"{what} for the rest of the treatment day ({after})"
    else:
        summary = f"{what} until the {part} of {day_name(last_date, p.date)} ({after})"
    for o in range(max(p.day, first), min(last, stop - 1) + 1):
        if o == last:
            when = "for the rest of today" if o == p.day else f"until this {part}"
        elif o + 1 == last:
            when = f"until tomorrow {part}"
        else:
            when = f"until the {part} of {day_name(last_date, dt.date.fromordinal(o))}"
        found[o].append(_new_advice(rule.topic, p.source.id, f"{what} {when} ({after}).", summary, last_date,
                                    rule.span.sources, False))
