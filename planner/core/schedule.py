"""The engine: a day-by-day routine from a profile, procedures and products.

Every face of Afterglow (calendar, iCal feed, e-mails, API) asks this one function for days, so
they can never disagree. It is pure (no Flask, no database), deterministic, and every day is a
function of that date and the inputs alone: the plan for [a, c) equals [a, b) + [b, c).

The rules, in the order the engine applies them:

1. One exosome serum a day in the profile's slot (the user's exosome product with the lowest
   id, or a generic "Exosome serum"). On a procedure day whose catalog entry says the serum can
   go on that day it moves to the evening, "after your treatment"; otherwise there is none that
   day and the day says it starts tomorrow. If the safety screening blocks exosomes, the user's
   first peptide product takes the serum's place (the studied alternative), or the day explains
   why there is no serum.
2. Gentle products (no paused class) are layered with the serum, in the order of layering.py.
   They follow their own cadence. On a procedure day they follow the serum to the evening.
3. Exfoliants follow the user's cadence (cadence.py): retinoids at night, others in their slot
   or the evening. An exosome product that also holds a paused class is treated as an exfoliant.
4. Around each procedure on day D: D-washout … D-1 and D pause every paused class; D+1 … D+r
   pauses retinoids and D+1 … D+a the other actives. Windows of several procedures merge; the
   reason names the window that ends last and mentions the others. A Pause is recorded only
   when the product's cadence asked for it that day (a day it was never due is not a loss); a
   paused class never has a step inside a window, due or not.
5. After a window closes exfoliants ramp back (ramp.py) and each ramp day is explained.
6. A retinoid and an acid never share an evening (layering.find_clash): the side used less
   often keeps the night, on a tie they take turns; the loser is skipped with a note.
7. Missed or paused doses are never made up later.

Markers show the washout, the procedure, the recovery band (D+1 … D+max(r, a), "day k of n")
and the ramp. Dates are the user's local dates; the profile's time zone matters only to the
adapters that decide which date is "today".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from planner.core import catalog, reasons
from planner.core.cadence import due_test
from planner.core.layering import (
    SERUM_RANK, Clash, Serum, choose_serum, exfoliant_slot, find_clash, layer_rank, layer_slot,
)
from planner.core.model import (
    PAUSED_CLASSES, DayPlan, Intensity, Marker, MarkerKind, Overrides, Pause, Plan,
    ProcedureInput, ProductClass, ProductInput, Profile, Screening, Slot, Step, StepRole, Windows,
)
from planner.core.ramp import RampDay, merge, ramp_markers, ramps
from planner.core.safety import screen

WindowsFn = Callable[[str, Intensity, Overrides], Windows]

RETINOID_GROUP, ACTIVES_GROUP = 0, 1
#: Order in which a multi-class product's class is named in a pause ("no AHA: …").
_CLASS_ORDER = (ProductClass.RETINOID, ProductClass.AHA, ProductClass.BHA, ProductClass.PHA,
                ProductClass.ENZYME, ProductClass.PHYSICAL_EXFOLIANT, ProductClass.OTHER_ACTIVE)
_SLOT_ORDER = {Slot.MORNING: 0, Slot.EVENING: 1}
_MARKER_ORDER = {MarkerKind.WASHOUT: 0, MarkerKind.PROCEDURE: 1, MarkerKind.RECOVERY: 2, MarkerKind.RAMP: 3}


@dataclass(frozen=True)
class _Procedure:
    """A procedure with its windows resolved once: the per-day work only compares ordinals."""

    index: int
    source: ProcedureInput
    windows: Windows
    date: dt.date
    day: int  # ordinal of the procedure day
    label: str  # "microneedling", as it reads mid-sentence
    washout_start: int
    ends: tuple[int, int]  # last paused day, per group
    recovery_days: int

    def priority(self, group: int) -> tuple[int, int, int]:
        """Rank for "the window that ends last" (ties: the later procedure, then the higher id)."""
        return (self.ends[group], self.day, self.source.id)


@dataclass
class _Exfoliant:
    product: ProductInput
    groups: tuple[int, ...]
    slot: Slot
    rank: int
    class_label: str
    is_due: Callable[[int], bool]
    ramp_days: dict[int, RampDay] = field(default_factory=dict)


def _resolve(procedures: Sequence[ProcedureInput], windows: WindowsFn) -> list[_Procedure]:
    resolved: dict[tuple[str, Intensity, Overrides], Windows] = {}
    out = []
    for index, p in enumerate(sorted(procedures, key=lambda p: (p.date, p.id))):
        key = (p.kind, p.intensity, p.overrides)
        if key not in resolved:
            resolved[key] = windows(p.kind, p.intensity, p.overrides)
        w = resolved[key]
        day = p.date.toordinal()
        out.append(_Procedure(
            index, p, w, p.date, day, reasons.kind_label(p.kind), day - w.washout_days_before,
            (day + w.retinoid_days_after, day + w.actives_days_after),
            max(w.retinoid_days_after, w.actives_days_after),
        ))
    return out


def _groups(classes: frozenset[ProductClass]) -> tuple[int, ...]:
    groups = ()
    if ProductClass.RETINOID in classes:
        groups += (RETINOID_GROUP,)
    if classes & (PAUSED_CLASSES - {ProductClass.RETINOID}):
        groups += (ACTIVES_GROUP,)
    return groups


def _exfoliant(product: ProductInput, procs: list[_Procedure], spans: dict[int, list[int]],
               first: int, stop: int) -> _Exfoliant:
    """Precompute an exfoliant's ramp days; add its ramp spans to ``spans`` (procedure → ordinals)."""
    groups = _groups(product.classes)
    first_class = next(c for c in _CLASS_ORDER if c in product.classes)
    exf = _Exfoliant(product, groups, exfoliant_slot(product), layer_rank(product), first_class.label,
                     due_test(product.cadence))
    intervals = [(p.washout_start, max(p.ends[g] for g in groups), max(p.priority(g) for g in groups), p.index)
                 for p in procs]
    for ramp in ramps(merge(intervals), product.classes, exf.is_due, first, stop):
        exf.ramp_days.update(ramp.days)
        spans.setdefault(ramp.cause, []).extend(range(ramp.first, ramp.last + 1))
    return exf


def _cover(procs: list[_Procedure], first: int, stop: int) -> tuple[dict[int, list[_Procedure]], ...]:
    """Per group: the procedures whose windows pause it on each day, the one ending last first."""
    cover: tuple[dict[int, list[_Procedure]], ...] = ({}, {})
    for group, days in enumerate(cover):
        for p in procs:
            for o in range(max(p.washout_start, first), min(p.ends[group], stop - 1) + 1):
                days.setdefault(o, []).append(p)
        for covering in days.values():
            if len(covering) > 1:
                covering.sort(key=lambda p, g=group: p.priority(g), reverse=True)
    return cover


def _touching(procs: list[_Procedure], first: int, stop: int) -> dict[int, list[_Procedure]]:
    """Procedures whose washout, day or recovery band falls on each day."""
    touching: dict[int, list[_Procedure]] = {}
    for p in procs:
        for o in range(max(p.washout_start, first), min(p.day + p.recovery_days, stop - 1) + 1):
            touching.setdefault(o, []).append(p)
    return touching


def plan(
    profile: Profile,
    procedures: Sequence[ProcedureInput],
    products: Sequence[ProductInput],
    start: dt.date,
    end: dt.date,
    *,
    windows: WindowsFn = catalog.windows_for,
    screening: Screening | None = None,
) -> Plan:
    """One DayPlan per local date in [start, end).

    ``windows`` resolves a procedure's pause windows (tests inject exact ones). Without a
    ``screening`` the profile's answers are screened here. A plan that needs a dermatologist's
    approval the user has not confirmed is withheld with no days; a plan where exosomes are
    blocked is also ``withheld`` (no exosome serum) but still has days, because the windows
    keep protecting the skin. A kind the catalog does not know raises catalog.UnknownProcedure
    (through the default ``windows``): without windows the plan cannot protect the skin.
    """
    if screening is None:
        screening = screen(profile.safety, procedures, products)
    if screening.needs_approval and not profile.safety.dermatologist_approved:
        return Plan(days=(), screening=screening, withheld=True, notes=(reasons.WITHHELD,))
    blocked = screening.blocks_exosomes
    by_id = sorted(products, key=lambda p: p.id)
    procs = _resolve(procedures, windows)
    serum = choose_serum(by_id, blocked)
    layers = [p for p in by_id if not p.classes & PAUSED_CLASSES and ProductClass.EXOSOME not in p.classes
              and (serum is None or p.id != serum.product_id)]
    first, stop = start.toordinal(), end.toordinal()
    spans: dict[int, list[int]] = {}
    exfoliants = [_exfoliant(p, procs, spans, first, stop) for p in by_id if p.classes & PAUSED_CLASSES
                  and not (blocked and ProductClass.EXOSOME in p.classes)]
    ramp_days = ramp_markers(spans, [(p.source.id, p.label) for p in procs], first, stop)
    day = _DayBuilder(profile, procs, serum, layers, exfoliants, _cover(procs, first, stop),
                      _touching(procs, first, stop), ramp_days)
    days = tuple(day.build(o) for o in range(first, stop))
    notes = reasons.plan_notes(by_id, None if serum is None else serum.name,
                               serum is not None and serum.product_id is None, blocked,
                               [e.product for e in exfoliants])
    return Plan(days, screening, withheld=blocked, notes=notes)


#: A step before it has its order: slot order, layering rank and id (the sort key), then the
#: product id, name, slot, role and note.
_Entry = tuple[int, int, int, int | None, str, Slot, StepRole, str]


class _DayBuilder:
    """Everything precomputed for the range; ``build`` does the per-day work."""

    def __init__(self, profile: Profile, procs: list[_Procedure], serum: Serum | None,
                 layers: list[ProductInput], exfoliants: list[_Exfoliant],
                 cover: tuple[dict[int, list[_Procedure]], ...], touching: dict[int, list[_Procedure]],
                 ramp_markers: dict[int, list[Marker]]) -> None:
        self.serum_slot = profile.serum_slot
        self.procs = procs
        self.procs_by_id = {p.source.id: p for p in procs}
        self.serum = serum
        self.layers = [(p, layer_rank(p), due_test(p.cadence), layer_slot(p, Slot.MORNING),
                        layer_slot(p, Slot.EVENING)) for p in layers]
        self.exfoliants = exfoliants
        self.cover = cover
        self.covered_days = cover[RETINOID_GROUP].keys() | cover[ACTIVES_GROUP].keys()
        self.touching = touching
        self.ramp_markers = ramp_markers
        self.steps_cache: dict[tuple[_Entry, ...], tuple[Step, ...]] = {}  # most days repeat a pattern
        self.why_cache: dict[tuple[int, int], tuple[str, list[str]]] = {}
        self.clash_cache: dict[tuple[int, ...], Clash | None] = {}

    def build(self, o: int) -> DayPlan:
        date = dt.date.fromordinal(o)
        markers, notes, today = self._markers(o)
        entries: list[_Entry] = []
        evening_layers = today or self.serum_slot is Slot.EVENING
        self._add_serum(entries, notes, today)
        for p, rank, is_due, morning_slot, evening_slot in self.layers:
            if is_due(o):
                slot = evening_slot if evening_layers else morning_slot
                entries.append((_SLOT_ORDER[slot], rank, p.id, p.id, p.name, slot, StepRole.LAYER, ""))
        if today and entries:
            notes.append(reasons.procedure_day_layers())
        pauses = self._add_exfoliants(entries, notes, o, date)
        return DayPlan(date, self._steps(entries), tuple(pauses), markers,
                       tuple(dict.fromkeys(notes)) if len(notes) > 1 else tuple(notes))

    def _steps(self, entries: list[_Entry]) -> tuple[Step, ...]:
        """Steps in application order, numbered 1, 2, … within each slot."""
        entries.sort(key=lambda e: e[:3])
        key = tuple(entries)
        steps = self.steps_cache.get(key)
        if steps is None:
            numbered, order, previous = [], 0, None
            for slot_order, _, _, product_id, name, slot, role, note in entries:
                order = order + 1 if slot_order == previous else 1
                previous = slot_order
                numbered.append(Step(product_id, name, slot, role, order, note))
            steps = self.steps_cache[key] = tuple(numbered)
        return steps

    def _markers(self, o: int) -> tuple[tuple[Marker, ...], list[str], list[_Procedure]]:
        """Markers and procedure notes for the day, and the procedures done that day."""
        if o not in self.touching and o not in self.ramp_markers:
            return (), [], []
        found: list[tuple[int, int, int, Marker]] = []
        notes: list[str] = []
        today: list[_Procedure] = []
        for p in self.touching.get(o, ()):
            pid = p.source.id
            if o < p.day:
                n = p.windows.washout_days_before
                k = n - (p.day - o) + 1
                marker = Marker(MarkerKind.WASHOUT, pid, reasons.washout_marker(p.label, k, n), k, n)
            elif o == p.day:
                today.append(p)
                marker = Marker(MarkerKind.PROCEDURE, pid, reasons.procedure_marker(p.label), 1, 1)
            else:
                k, n = o - p.day, p.recovery_days
                marker = Marker(MarkerKind.RECOVERY, pid, reasons.recovery_marker(p.label, k, n), k, n)
            if o >= p.day and p.windows.follow_clinician:
                notes.append(reasons.follow_clinician(p.label))
            found.append((p.day, pid, _MARKER_ORDER[marker.kind], marker))
        for marker in self.ramp_markers.get(o, ()):
            p = self.procs_by_id[marker.procedure_id]
            found.append((p.day, p.source.id, _MARKER_ORDER[marker.kind], marker))
        found.sort(key=lambda m: m[:3])
        return tuple(m[3] for m in found), notes, today

    def _add_serum(self, entries: list[_Entry], notes: list[str], today: list[_Procedure]) -> None:
        serum = self.serum
        if serum is None:
            notes.append(reasons.NO_SERUM_BLOCKED)
            return
        not_today = next((p for p in today if not p.windows.serum_on_procedure_day), None)
        if not_today is not None:
            notes.append(reasons.serum_starts_tomorrow(serum.kind, not_today.label))
            return
        slot = Slot.EVENING if today else self.serum_slot
        note = "; ".join(n for n in (reasons.AFTER_TREATMENT if today else "", serum.note) if n)
        key = -1 if serum.product_id is None else serum.product_id
        entries.append((_SLOT_ORDER[slot], SERUM_RANK, key, serum.product_id, serum.name, slot, StepRole.SERUM,
                        note))

    def _add_exfoliants(self, entries: list[_Entry], notes: list[str], o: int, date: dt.date) -> list[Pause]:
        """Due exfoliants: paused (returned), resting in a ramp, skipped in a clash, or used."""
        pauses: list[Pause] = []
        chosen: list[tuple[_Exfoliant, str]] = []
        in_a_window = o in self.covered_days
        for exf in self.exfoliants:
            product = exf.product
            if not exf.is_due(o):
                continue
            pause = self._pause(exf, o, date) if in_a_window else None
            if pause is not None:
                pauses.append(pause)
                continue
            note = ""
            ramp_day = exf.ramp_days.get(o)
            if ramp_day is not None:
                label = self.procs[ramp_day.cause].label
                unit = "night" if exf.slot is Slot.EVENING else "day"
                if not ramp_day.use:
                    notes.append(reasons.ramp_rest_note(product.name, exf.class_label, unit, label,
                                                        ramp_day.min_gap))
                    continue
                note = reasons.ramp_step_note(exf.class_label, unit, ramp_day.day_number, label,
                                              ramp_day.min_gap)
            chosen.append((exf, note))
        lost: set[int] = set()
        if len(chosen) > 1:
            evening = tuple(exf.product for exf, _ in chosen if exf.slot is Slot.EVENING)
            key = tuple(p.id for p in evening)
            if key not in self.clash_cache:
                self.clash_cache[key] = find_clash(evening)
            if clash := self.clash_cache[key]:
                losers, winner = clash.losers(o)
                notes.extend(reasons.clash_note(loser.name, winner) for loser in losers)
                lost = {p.id for p in losers}
        for exf, note in chosen:
            if exf.product.id in lost:
                continue
            p = exf.product
            entries.append((_SLOT_ORDER[exf.slot], exf.rank, p.id, p.id, p.name, exf.slot, StepRole.EXFOLIANT,
                            note))
        return pauses

    def _pause(self, exf: _Exfoliant, o: int, date: dt.date) -> Pause | None:
        """The pause for a due exfoliant, named after the window that ends last, or None."""
        paused = [(covering[0].ends[group], group == RETINOID_GROUP, group)
                  for group in exf.groups if (covering := self.cover[group].get(o))]
        if not paused:
            return None
        group = max(paused)[2]  # the window ending last; on a tie the retinoid's
        covering = self.cover[group][o]
        if group == RETINOID_GROUP:
            product_class = ProductClass.RETINOID
        else:
            product_class = next(c for c in _CLASS_ORDER[1:] if c in exf.product.classes)
        why = self.why_cache.get((group, o))
        if why is None:  # shared by every product paused by this group today
            lead, *others = covering
            also = [reasons.also_phrase(p.label, p.date, date) for p in others]
            if len(also) > 1:
                also = list(dict.fromkeys(also))
            phrase = reasons.window_phrase(lead.label, lead.date, date, lead.ends[group] - lead.day)
            why = self.why_cache[group, o] = (phrase, also)
        reason = reasons.pause_reason(product_class, *why)
        return Pause(exf.product.id, exf.product.name, product_class, reason, covering[0].source.id)
