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
window_days.py, which exfoliants go on each day by nights.py; this module composes each day's
steps and notes from them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from bisect import bisect_right
from operator import itemgetter

from planner.core import aftercare, catalog, frozen, nights, pregnancy, reasons, window_days
from planner.core.cadence import due_test, shared_period
from planner.core.layering import SERUM_RANK, Serum, choose_serum, layer_rank, slots_for
from planner.core.model import (
    PAUSED_CLASSES, Area, CheckIn, DayPlan, Marker, Plan, ProcedureFacts, ProcedureInput, ProductClass, ProductInput,
    Profile, Screening, Slot, Step, StepRole,
)
from planner.core.nights import EMPTY, Night
from planner.core.ramp import ramp_markers
from planner.core.safety import screen
from planner.core.window_days import Exfoliant, ResolvedProcedure, WindowsFn

_SLOT_ORDER = {Slot.MORNING: 0, Slot.EVENING: 1}
#: DayPlan(...) and Step(...) without the frozen __init__ (frozen.py): a year makes hundreds of each.
_day_plan, _new_step = frozen.maker(DayPlan), frozen.maker(Step)


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
    day = _DayBuilder(profile, procs, serum, layers, exfoliants, first, stop, ramp_days, awaiting)
    days = tuple(day.build(ordinal) for ordinal in range(first, stop))
    days = aftercare.with_advice(days, procs, by_id)  # rule 8: sun, makeup, sweat, heat, pools, picking
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


def _unique(notes: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Notes in order, each once (two procedures can ask for the same sentence)."""
    return tuple(dict.fromkeys(notes)) if len(notes) > 1 else tuple(notes)


#: One day's open-wound holds: each hold's note and the area it holds, the one ending last first.
_Hold = tuple[tuple[str, Area], ...]


def _holds(procs: list[ResolvedProcedure], first: int, stop: int) -> dict[int, _Hold]:
    """Per day in range, every open-wound hold covering it (the one ending last first):
    D … D+home_serum_from_day-1 of each procedure with a hold."""
    found: dict[int, list[tuple[int, str, Area]]] = {}
    for p in procs:
        days = p.windows.home_serum_from_day
        if days <= 0:
            continue
        last = p.day + days - 1
        note = reasons.healing_hold(p.where, p.date, dt.date.fromordinal(last),
                                    "home_serum_from_day" in p.windows.overridden)
        for o in range(max(p.day, first), min(last, stop - 1) + 1):
            found.setdefault(o, []).append((-last, note, p.area))
    return {o: tuple((note, area) for _, note, area in sorted(notes)) for o, notes in found.items()}


class _DayBuilder:
    """Everything precomputed for the range; ``build`` does the per-day work.

    What the windows put on each day (markers, pauses) is laid out up front by window_days, and
    which exfoliants go on each day by nights (equal days share one Night object). What is left
    repeats: the layers' cadences come round every ``cycle`` days, so a day that is not a
    procedure day has the same steps and notes as any earlier day with the same layers due, the
    same Night and the same hold, and takes them from ``day_cache``.
    """

    def __init__(self, profile: Profile, procs: list[ResolvedProcedure], serum: Serum | None,
                 layers: list[ProductInput], exfoliants: list[Exfoliant], first: int, stop: int,
                 ramp_markers: dict[int, list[Marker]], awaiting: bool) -> None:
        self.serum_slot = profile.serum_slot
        self.serum = serum
        self.awaiting = awaiting
        self.layers = [(p, layer_rank(p), due_test(p.cadence), slots_for(p, Slot.MORNING),
                        slots_for(p, Slot.EVENING)) for p in layers]
        self.cycle = shared_period([p.cadence for p in layers])
        touched = window_days.procedure_days(procs, ramp_markers, first, stop)
        self.markers, self.clinician_notes, self.performed = touched.markers, touched.clinician_notes, touched.performed
        self.checkin_asks = touched.asks
        self.pauses = window_days.pauses(exfoliants, window_days.covers_on_areas(procs, first, stop))
        # a procedure day restarts the nights only if it pauses every exfoliant (nights.py)
        everywhere = frozenset.intersection(*(e.product.areas for e in exfoliants)) if exfoliants else None
        restarts = [p.day for p in procs if everywhere is None or p.area in everywhere]
        self.nights = nights.plan_nights(exfoliants, restarts, [p.where for p in procs], first, stop)
        self.holds = _holds(procs, first, stop)
        flagged = pregnancy.applies_to(profile.safety)
        self.pregnancy_notes = {p.id: pregnancy.notes_for(p) for p in (*layers, *(e.product for e in exfoliants))
                                if flagged and pregnancy.flags_for(p)}
        self.layer_cache: dict[int, tuple[int, ...]] = {}
        self.day_cache: dict[tuple, tuple[tuple[Step, ...], tuple[int, ...], tuple[str, ...], tuple[str, ...]]] = {}
        #: Equal steps are one object (a year repeats a few hundred steps thousands of times).
        self.steps_seen: dict[tuple, Step] = {}
        #: Steps with a night's step notes, and a day's notes with a night's, by what they join.
        self.noted_steps: dict[tuple, tuple[tuple[Step, ...], tuple[Step, ...]]] = {}
        self.joined_notes: dict[tuple, tuple[str, ...]] = {}
        #: The serum's and layers' entries in order per set, each exfoliant's entry, and each
        #: step's place (its fields but the number) with the Steps made for it (see _steps).
        self.base_cache: dict[tuple, tuple] = {}
        self.exfoliant_entries: dict[int, tuple[tuple[int, int, int], tuple]] = {}
        self.places: dict[tuple, tuple[tuple, dict[int, Step]]] = {}

    # -- Per day -------------------------------------------------------------------------------

    def build(self, ordinal: int) -> DayPlan:
        phase = ordinal % self.cycle
        night = self.nights.get(ordinal, EMPTY)
        hold = self.holds.get(ordinal)
        treated = self.performed.get(ordinal)
        if treated is not None:  # the serum and the layers move to the evening, or the serum waits
            steps, positions, before, after = self._compose(ordinal, phase, night, hold, treated)
        else:  # the same as any earlier day with the same layers due, night and hold
            key = (self._layers_due(ordinal, phase), night.used, hold)  # the night's own notes are put in below
            repeated = self.day_cache.get(key)
            if repeated is None:
                repeated = self.day_cache[key] = self._compose(ordinal, phase, night, hold, ())
            steps, positions, before, after = repeated
        if night.notes:
            key = (before, night.notes, after)
            notes = self.joined_notes.get(key)
            if notes is None:
                notes = self.joined_notes[key] = _unique(before + night.notes + after)
        else:
            notes = before + after if after else before
        if night.step_notes:
            key = (id(steps), positions, night.step_notes)
            noted = self.noted_steps.get(key)
            if noted is None:  # the steps themselves are kept with it, so their id is not reused
                noted = self.noted_steps[key] = (steps, _with_notes(steps, positions, night.step_notes,
                                                                    self.steps_seen))
            steps = noted[1]
        clinician = self.clinician_notes.get(ordinal)
        if clinician is not None:
            notes = _unique(clinician + notes)
        return _day_plan(dt.date.fromordinal(ordinal), steps, self.pauses.get(ordinal, ()),
                         self.markers.get(ordinal, ()), notes, self.checkin_asks.get(ordinal, ()), ())

    def _layers_due(self, ordinal: int, phase: int) -> tuple[int, ...]:
        """The layers (by index) the cadences ask for at this point of the cycle."""
        due = self.layer_cache.get(phase)
        if due is None:
            due = self.layer_cache[phase] = tuple(i for i, layer in enumerate(self.layers) if layer[2](ordinal))
        return due

    def _compose(self, ordinal: int, phase: int, night: Night, hold: _Hold | None,
                 treated: Sequence[ResolvedProcedure],
                 ) -> tuple[tuple[Step, ...], tuple[int, ...], tuple[str, ...], tuple[str, ...]]:
        """The day's steps (without the exfoliants' notes), where each exfoliant's step went, and
        the day's notes (all but the clinician's and the night's) before and after the night's."""
        layers = self._layers_due(ordinal, phase)
        notes: list[str] = []
        held_areas: frozenset[Area] = frozenset()
        if hold:
            firsts = {}  # the hold ending last on each area
            for note, area in hold:
                firsts.setdefault(area, note)
            notes.extend(dict.fromkeys(firsts.values()))
            held_areas = frozenset(firsts)
            held = [i for i in layers if not self.layers[i][0].clinic_approved and self.layers[i][0].areas & held_areas]
            if held:
                notes.append(reasons.held_products([self.layers[i][0].name for i in held]))
                layers = tuple(i for i in layers if i not in held)
        serum_areas = self.serum.areas if self.serum is not None else frozenset()
        serum_treated = [p for p in treated if p.area in serum_areas]
        serum = self._serum_today(notes, serum_treated, night, bool(serum_areas & held_areas))
        treated_areas = frozenset(p.area for p in treated)
        moved = [i for i in layers if self.layers[i][0].areas & treated_areas]
        if (serum is not None and serum_treated) or moved:
            notes.append(reasons.procedure_day_layers())
        after: list[str] = []  # the night's notes go between ``notes`` and these
        if self.pregnancy_notes:
            for product_id in [self.layers[i][0].id for i in layers] + [e.product.id for e in night.used]:
                after.extend(self.pregnancy_notes.get(product_id, ()))
        held_serum = any(e.is_serum and not e.product.clinic_approved and e.product.areas & held_areas
                         for e in night.used)
        steps, positions = self._steps(bool(serum_treated), serum, layers, night, held_serum, frozenset(moved))
        return steps, positions, _unique(notes), _unique(after)

    def _serum_today(self, notes: list[str], treated: Sequence[ResolvedProcedure], night: Night,
                     hold: bool) -> Serum | None:
        """The serum that fills today's serum step, if any; notes why there is none. ``treated``:
        the day's procedures on the serum's areas; ``hold``: an open-wound hold on one of them."""
        serum = self.serum
        if serum is None:
            notes.append(reasons.AWAITING_APPROVAL_DAY if self.awaiting else reasons.NO_SERUM_BLOCKED)
            return None
        if serum.holds_exfoliant:
            if any(e.is_serum for e in night.used):
                return None  # the exfoliant step is today's serum step
            if serum.fallback is None:
                notes.append(reasons.serum_product_resting(serum.name))
                return None
            serum = serum.fallback
        if hold and not serum.clinic_approved:
            return None  # the hold's note says why
        for p in treated:
            if not p.windows.serum_on_procedure_day:
                notes.append(reasons.serum_starts_tomorrow(serum.kind, p.label))
                return None
        return serum

    def _steps(self, treated: bool, serum: Serum | None, layers: tuple[int, ...], night: Night,
               held_serum: bool = False, moved: frozenset[int] = frozenset(),
               ) -> tuple[tuple[Step, ...], tuple[int, ...]]:
        """Steps in application order, numbered 1, 2, … within each slot: the serum (after the
        treatment on the day of a procedure on its area), the layers in their slots (``moved``:
        the layers on a treated area, once, in the evening, unless they are morning-only) and the
        exfoliants (their notes come later: ``_with_notes``); and where each exfoliant's step went.

        The serum and the layers are laid out in order once per set (``_base``: a year has a few
        dozen), and the day's few exfoliants slotted in: only the steps from the first exfoliant
        to the end of the last exfoliant's slot are numbered again, each place keeping the Step it
        made for each number, so a day costs a merge and a short walk, not a sort and a Step per entry."""
        base, keys, base_steps = self._base(treated, serum, layers, moved)
        positions = [-1] * len(night.used)  # -1: the exfoliant has no step today (held)
        inserts = []
        exfoliant_entries = self.exfoliant_entries
        for index, exf in enumerate(night.used):
            if exf.is_serum and held_serum:  # a home serum on healing skin, whatever its windows
                continue
            entry = exfoliant_entries.get(id(exf))
            if entry is None:
                p = exf.product
                role, rank = (StepRole.SERUM, SERUM_RANK) if exf.is_serum else (StepRole.EXFOLIANT, exf.rank)
                entry = exfoliant_entries[id(exf)] = (
                    (_SLOT_ORDER[exf.slot], rank, p.id), self._place(p.id, p.name, exf.slot, role, "", False))
            inserts.append((bisect_right(keys, entry[0]), entry[0], index, entry[1]))  # after equals: a stable sort
        if not inserts:
            return base_steps, tuple(positions)
        inserts.sort(key=_FIRST_TWO)
        at = inserts[0][0]  # the steps before the first exfoliant keep their numbers
        numbered = list(base_steps[:at])
        previous, order = (base[at - 1][0][0], base_steps[at - 1].order) if at else (None, 0)
        seen, pending, count = self.steps_seen, 0, len(base)
        for i in range(at, count + 1):
            while pending < len(inserts) and inserts[pending][0] == i:
                _, key, index, place = inserts[pending]
                pending += 1
                order = order + 1 if key[0] == previous else 1
                previous = key[0]
                step = place[1].get(order)
                if step is None:
                    step = place[1][order] = _step(seen, *place[0][:4], order, *place[0][4:])
                positions[index] = len(numbered)
                numbered.append(step)
            if i == count:
                break
            key, place, _ = base[i]
            if pending == len(inserts) and key[0] != previous:  # a slot no exfoliant went in: as laid out
                numbered.extend(base_steps[i:])
                break
            order = order + 1 if key[0] == previous else 1
            previous = key[0]
            step = place[1].get(order)
            if step is None:
                step = place[1][order] = _step(seen, *place[0][:4], order, *place[0][4:])
            numbered.append(step)
        return tuple(numbered), tuple(positions)

    def _base(self, treated: bool, serum: Serum | None, layers: tuple[int, ...], moved: frozenset[int],
              ) -> tuple[list[tuple[tuple[int, int, int], tuple, None]], list[tuple[int, int, int]], tuple[Step, ...]]:
        """The serum's and the layers' entries in order (sort key, place, None), their sort keys,
        and their steps numbered as on a day with no exfoliant; once per set."""
        cache_key = (treated, id(serum), layers, moved)
        base = self.base_cache.get(cache_key)
        if base is not None:
            return base
        drafts: list[tuple[tuple[int, int, int], int | None, str, Slot, StepRole, str]] = []
        if serum is not None:
            slot = Slot.EVENING if treated else self.serum_slot
            note = "; ".join(n for n in (reasons.AFTER_TREATMENT if treated else "", serum.note) if n)
            key = -1 if serum.product_id is None else serum.product_id
            drafts.append(((_SLOT_ORDER[slot], SERUM_RANK, key), serum.product_id, serum.name, slot, StepRole.SERUM,
                           note))
        for i in layers:
            p, rank, _, morning_slots, evening_slots = self.layers[i]
            if i in moved:  # after the treatment: with the serum in the evening, once
                slots = evening_slots[-1:]
            else:
                slots = evening_slots if self.serum_slot is Slot.EVENING else morning_slots
            for slot in slots:
                drafts.append(((_SLOT_ORDER[slot], rank, p.id), p.id, p.name, slot, StepRole.LAYER, ""))
        drafts.sort(key=_FIRST)
        layer_ids = [d[1] for d in drafts if d[4] is StepRole.LAYER]
        twice = {i for i in layer_ids if layer_ids.count(i) > 1} if len(layer_ids) > len(set(layer_ids)) else set()
        entries = [(key, self._place(pid, name, slot, role, note, role is StepRole.LAYER and pid in twice), None)
                   for key, pid, name, slot, role, note in drafts]
        steps, order, previous = [], 0, None  # numbered as on a day with no exfoliant
        for key, place, _ in entries:
            order = order + 1 if key[0] == previous else 1
            previous = key[0]
            step = place[1].get(order)
            if step is None:
                step = place[1][order] = _step(self.steps_seen, *place[0][:4], order, *place[0][4:])
            steps.append(step)
        base = self.base_cache[cache_key] = (entries, [key for key, _, _ in entries], tuple(steps))
        return base

    def _place(self, product_id: int | None, name: str, slot: Slot, role: StepRole, note: str,
               twice: bool) -> tuple[tuple, dict[int, Step]]:
        """A step's fields but its number, shared by every day that has it, with the Step made
        for each number it has had."""
        fields = (product_id, name, slot, role, note, twice)
        place = self.places.get(fields)
        if place is None:
            place = self.places[fields] = (fields, {})
        return place


_FIRST, _FIRST_TWO = itemgetter(0), itemgetter(0, 1)


def _step(seen: dict[tuple, Step] | None, product_id: int | None, name: str, slot: Slot, role: StepRole,
          order: int, note: str, twice: bool = False) -> Step:
    """A Step, or the equal one already in ``seen``: a step is a frozen value, and a plan's days
    repeat the same few hundred steps, so sharing them saves building thousands of objects."""
    if seen is None:
        return Step(product_id, name, slot, role, order, note, twice)
    key = (product_id, name, slot, role, order, note, twice)
    step = seen.get(key)
    if step is None:
        step = seen[key] = _new_step(product_id, name, slot, role, order, note, twice)
    return step


def _with_notes(steps: tuple[Step, ...], positions: tuple[int, ...], notes: tuple[str, ...],
                seen: dict[tuple, Step] | None = None) -> tuple[Step, ...]:
    """The steps with each exfoliant's note of the day (a ramp night, a moved dose)."""
    with_notes = list(steps)
    for i, note in zip(positions, notes, strict=True):
        if note and i >= 0:
            s = steps[i]
            with_notes[i] = _step(seen, s.product_id, s.product_name, s.slot, s.role, s.order,
                                  "; ".join(n for n in (s.note, note) if n), s.twice)
    return tuple(with_notes)
