"""The engine: a day-by-day routine from a profile, procedures and products.

Every face of Afterglow (calendar, iCal feed, e-mails, API) asks this one function for days, so
they can never disagree. It is pure (no Flask, no database), deterministic, and every day is a
function of that date and the inputs alone: the plan for [a, c) equals [a, b) + [b, c).

The rules, in the order the engine applies them:

1. One exosome step a day, always, in the profile's slot: the user's exosome product with the
   lowest id, or a generic "Exosome serum" when they have none. An exosome product that also
   holds an exfoliant (a retinoid…) is that one step, with the exfoliant's rules (cadence,
   windows, ramp, clashes); on its days off a plain exosome serum of the user's fills the step,
   or the day says why there is none. On a procedure day whose catalog entry says the serum can
   go on that day it moves to the evening, "after your treatment"; otherwise it starts the next
   day. If the safety screening blocks exosomes, the user's first peptide product takes the
   serum's place (the studied alternative); while a dermatologist's approval is awaited there is
   no exosome serum, and every other rule still applies.
2. Gentle products (no paused class, sunscreens too) go in the slots the user chose, else their
   type's (a moisturizer morning and evening, a sunscreen the morning only, a serum with the
   serum), in the order of layering.py: a sunscreen last in the morning. They follow their own
   cadence. On the day of a procedure on their area they go on once, in the evening after the
   treatment (a morning-only product keeps its morning).
3. Exfoliants follow the user's cadence in one slot: retinoids at night, others in the morning
   only when the user chose it alone, else the evening.
4. Windows pause only the products used on the procedure's area (a leg laser never pauses a
   facial retinol); the serum is a product of its own areas (the face for the generic one).
   Around each procedure on day D: D-washout … D-1 and D pause every paused class; D+1 … D+r
   pauses retinoids and D+1 … D+a the other actives. Windows of several procedures merge; the
   reason names the window that ends last and mentions the others, and says "your clinician's
   number" when an override set it. A Pause is recorded only when the product's cadence asked
   for it that day (a day it was never due is not a loss); a paused class never has a step
   inside a window, due or not.
5. After an open-wound procedure (medium and deep peels, ablative lasers) the skin is open
   until it heals over: D … D+h-1 hold the home serum and every layer the user has not marked
   "provided or approved by my clinic for healing skin" (h: the catalog's re-epithelialisation
   day + 1, or the clinician's "home serum allowed from day N"), and each held day says why.
6. After a window closes exfoliants ramp back (ramp.py); two products that must not share a
   routine (clashes.py) never do: the day one gives up moves to its next free day (nights.py
   decides cadence, ramp and clashes as one rule). Missed or paused doses are never made up.
7. For someone pregnant or breastfeeding, each day a product with a flagged ingredient class is
   planned says "discuss with your clinician", with the sources (pregnancy.py).
8. Aftercare beyond products (aftercare.py): the catalog's days of daily sunscreen and no direct
   sun after each procedure, and aftercare.toml's hours or days without makeup, sweat, heat, pools
   or picking, on every day they cover, in words with concrete times; a warning on each sun day
   when no product on the shelf is a sunscreen.

Markers show the washout, the procedure, the recovery band (D+1 … D+max(r, a), "day k of n")
and the ramp. Dates are the user's local dates; the profile's time zone matters only to the
adapters that decide which date is "today".

What the windows put on each day (markers, pauses) is laid out once per range by
window_days.py, which exfoliants go on each day by nights.py, the aftercare by aftercare.py;
day_builder.py composes each day's steps and notes from them, and this module joins the parts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from planner.core import aftercare, catalog, reasons, window_days
from planner.core.day_builder import DayBuilder
from planner.core.layering import choose_serum
from planner.core.model import (
    PAUSED_CLASSES, CheckIn, Plan, ProcedureFacts, ProcedureInput, ProductClass, ProductInput, Profile, Screening,
)
from planner.core.ramp import ramp_markers
from planner.core.safety import screen
from planner.core.window_days import ResolvedProcedure, WindowsFn


def plan(
    profile: Profile,
    procedures: Sequence[ProcedureInput],
    products: Sequence[ProductInput],
    start: dt.date,
    end: dt.date,
    *,
    today: dt.date,
    windows: WindowsFn = catalog.windows_for,
    screening: Screening | None = None,
    checkins: Sequence[CheckIn] = (),
) -> Plan:
    """One DayPlan per local date in [start, end), and the facts of every procedure.

    ``today`` is the user's local date: the screening asks which procedures are still ahead.
    ``windows`` resolves a procedure's pause windows (tests inject exact ones). Without a
    ``screening`` the profile's answers are screened here. A plan whose exosome serum is blocked,
    or waits for a dermatologist's approval the user has not confirmed, is ``withheld`` (no
    exosome serum) but still has every day, window and pause, because they keep protecting the
    skin. ``checkins`` are the user's answers to "is your skin still red, peeling…?", which extend
    a recovery window a day at a time (checkins.py). A kind the catalog does not know raises
    catalog.UnknownProcedure (through the default ``windows``): without windows the plan cannot
    protect the skin.
    """
    if screening is None:
        screening = screen(profile.safety, procedures, products, today=today)
    procs = window_days.resolve(procedures, windows, checkins)
    facts = tuple(_facts(p) for p in procs)
    blocked = screening.blocks_exosomes
    awaiting = screening.needs_approval and not profile.safety.dermatologist_approved and not blocked
    no_exosomes = blocked or awaiting
    by_id = sorted(products, key=lambda p: p.id)
    serum = choose_serum(by_id, blocked, awaiting)
    layers = [p for p in by_id if not p.classes & PAUSED_CLASSES and ProductClass.EXOSOME not in p.classes
              and (serum is None or p.id != serum.product_id)]
    first, stop = start.toordinal(), end.toordinal()
    spans: dict[int, list[range]] = {}
    serum_id = None if serum is None else serum.product_id
    shared: dict[tuple, tuple] = {}
    exfoliants = [window_days.exfoliant(p, procs, spans, shared) for p in by_id if p.classes & PAUSED_CLASSES
                  and (ProductClass.EXOSOME not in p.classes or p.id == serum_id)]  # one exosome step a day
    if serum is not None and serum.holds_exfoliant:
        for exf in exfoliants:
            exf.is_serum = exf.product.id == serum.product_id
    ramp_days = ramp_markers(spans, [(p.source.id, p.label) for p in procs], first, stop)
    advice = aftercare.advice_by_day(procs, by_id, first, stop)  # rule 8: sun, makeup, sweat, heat, pools, picking
    days = DayBuilder(profile, procs, serum, layers, exfoliants, first, stop, ramp_days, awaiting, advice).days()
    notes = reasons.plan_notes(by_id, None if serum is None else serum.name,
                               serum is not None and serum.product_id is None, blocked,
                               [e.product for e in exfoliants], awaiting)
    return Plan(days, screening, withheld=no_exosomes, notes=notes, procedures=facts, today=today,
                awaiting_approval=awaiting)


def procedure_facts(procedures: Sequence[ProcedureInput], windows: WindowsFn = catalog.windows_for,
                    checkins: Sequence[CheckIn] = ()) -> tuple[ProcedureFacts, ...]:
    """The facts of each procedure (by date, then id) without planning any day."""
    return tuple(_facts(p) for p in window_days.resolve(procedures, windows, checkins))


def _facts(p: ResolvedProcedure) -> ProcedureFacts:
    source = p.source
    label = catalog.get_kind(source.kind).label if catalog.is_known(source.kind) else p.label.capitalize()
    return ProcedureFacts(
        source.id, source.kind, label, p.label, p.date, source.intensity, p.windows,
        dt.date.fromordinal(p.washout_start), dt.date.fromordinal(p.day + p.recovery_days), source.clinic,
        p.checkin.extended_days, dt.date.fromordinal(p.checkin.end - 1) if p.checkin.extended_days else None,
        source.area,
    )
