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

What the windows put on each day (rules 4 and 5: markers, pauses, ramp notes) is laid out once
per range by window_days.py; this module composes each day's steps and notes from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from planner.core import catalog, reasons, window_days
from planner.core.cadence import due_test, shared_period
from planner.core.layering import SERUM_RANK, Clash, Serum, choose_serum, find_clash, layer_rank, layer_slot
from planner.core.model import (
    PAUSED_CLASSES, DayPlan, Marker, Plan, ProcedureFacts, ProcedureInput, ProductClass, ProductInput, Profile, Screening,
    Slot, Step, StepRole,
)
from planner.core.ramp import ramp_markers
from planner.core.safety import screen
from planner.core.window_days import Exfoliant, ExfoliantStates, ResolvedProcedure, WindowsFn

_SLOT_ORDER = {Slot.MORNING: 0, Slot.EVENING: 1}


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
) -> Plan:
    """One DayPlan per local date in [start, end), and the facts of every procedure.

    ``today`` is the user's local date: the screening asks which procedures are still ahead.
    ``windows`` resolves a procedure's pause windows (tests inject exact ones). Without a
    ``screening`` the profile's answers are screened here. A plan that needs a dermatologist's
    approval the user has not confirmed is withheld with no days; a plan where exosomes are
    blocked is also ``withheld`` (no exosome serum) but still has days, because the windows
    keep protecting the skin. A kind the catalog does not know raises catalog.UnknownProcedure
    (through the default ``windows``): without windows the plan cannot protect the skin.
    """
    if screening is None:
        screening = screen(profile.safety, procedures, products, today=today)
    procs = window_days.resolve(procedures, windows)
    facts = tuple(_facts(p) for p in procs)
    if screening.needs_approval and not profile.safety.dermatologist_approved:
        return Plan(days=(), screening=screening, withheld=True, notes=(reasons.WITHHELD,), procedures=facts,
                    today=today)
    blocked = screening.blocks_exosomes
    by_id = sorted(products, key=lambda p: p.id)
    serum = choose_serum(by_id, blocked)
    layers = [p for p in by_id if not p.classes & PAUSED_CLASSES and ProductClass.EXOSOME not in p.classes
              and (serum is None or p.id != serum.product_id)]
    first, stop = start.toordinal(), end.toordinal()
    spans: dict[int, list[int]] = {}
    exfoliants = [window_days.exfoliant(p, procs, spans, first, stop) for p in by_id if p.classes & PAUSED_CLASSES
                  and not (blocked and ProductClass.EXOSOME in p.classes)]
    ramp_days = ramp_markers(spans, [(p.source.id, p.label) for p in procs], first, stop)
    day = _DayBuilder(profile, procs, serum, layers, exfoliants, first, stop, ramp_days)
    days = tuple(day.build(ordinal) for ordinal in range(first, stop))
    notes = reasons.plan_notes(by_id, None if serum is None else serum.name,
                               serum is not None and serum.product_id is None, blocked,
                               [e.product for e in exfoliants])
    return Plan(days, screening, withheld=blocked, notes=notes, procedures=facts, today=today)


def procedure_facts(procedures: Sequence[ProcedureInput], windows: WindowsFn = catalog.windows_for,
                    ) -> tuple[ProcedureFacts, ...]:
    """The facts of each procedure (by date, then id) without planning any day."""
    return tuple(_facts(p) for p in window_days.resolve(procedures, windows))


def _facts(p: ResolvedProcedure) -> ProcedureFacts:
    source = p.source
    label = catalog.get_kind(source.kind).label if catalog.is_known(source.kind) else p.label.capitalize()
    return ProcedureFacts(
        source.id, source.kind, label, p.label, p.date, source.intensity, p.windows,
        dt.date.fromordinal(p.washout_start), dt.date.fromordinal(p.day + p.recovery_days), source.clinic,
    )


#: A step before it has its order: slot order, layering rank and id (the sort key), then the
#: product id, name, slot, role and note, and for an exfoliant its place among the day's.
_StepDraft = tuple[int, int, int, int | None, str, Slot, StepRole, str, int | None]


def _unique(notes: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Notes in order, each once (two procedures can ask for the same sentence)."""
    return tuple(dict.fromkeys(notes)) if len(notes) > 1 else tuple(notes)


class _DayBuilder:
    """Everything precomputed for the range; ``build`` does the per-day work.

    What the windows put on each day (markers, pauses, ramp notes) is laid out up front by
    window_days. What is left repeats: the cadences come round every ``cycle`` days, so a day
    that is not a procedure day has the same steps and notes as any earlier day at the same
    point of the cycle with the same exfoliants paused or ramping, and takes them from
    ``day_cache``. The cycle is twice the cadences' shared period because a tied clash takes
    turns every period (layering.Clash.losers).
    """

    def __init__(self, profile: Profile, procs: list[ResolvedProcedure], serum: Serum | None,
                 layers: list[ProductInput], exfoliants: list[Exfoliant], first: int, stop: int,
                 ramp_markers: dict[int, list[Marker]]) -> None:
        self.serum_slot = profile.serum_slot
        self.serum = serum
        self.layers = [(p, layer_rank(p), due_test(p.cadence), layer_slot(p, Slot.MORNING),
                        layer_slot(p, Slot.EVENING)) for p in layers]
        self.exfoliants = exfoliants
        self.cycle = 2 * shared_period([p.cadence for p in layers] + [e.product.cadence for e in exfoliants])
        touched = window_days.procedure_days(procs, ramp_markers, first, stop)
        self.markers, self.clinician_notes, self.performed = touched.markers, touched.clinician_notes, touched.performed
        self.pauses = window_days.pauses(exfoliants, window_days.cover(procs, first, stop))
        self.exfoliant_states = window_days.ramp_notes(exfoliants, procs, first, stop)  # after the pauses
        self.due_cache: dict[int, tuple[tuple[int, ...], tuple[Exfoliant, ...]]] = {}
        self.day_cache: dict[tuple[int, ExfoliantStates], tuple[tuple[Step, ...], tuple[str, ...]]] = {}
        self.steps_cache: dict[tuple, tuple[tuple[Step, ...], tuple[int, ...]]] = {}
        self.clash_cache: dict[tuple[Exfoliant, ...], Clash | None] = {}
        self.settle_cache: dict[tuple[tuple[Exfoliant, ...], str], tuple[tuple[Exfoliant, ...], tuple[str, ...]]] = {}

    # -- Per day -------------------------------------------------------------------------------

    def build(self, ordinal: int) -> DayPlan:
        phase = ordinal % self.cycle
        treated = self.performed.get(ordinal)
        if treated is not None:  # the serum and the layers move to the evening, or the serum waits
            steps, notes = self._compose(ordinal, phase, treated)
        else:  # the same as any earlier day at this point of the cycle with the same exfoliant states
            key = (phase, self.exfoliant_states.get(ordinal, ()))
            repeated = self.day_cache.get(key)
            if repeated is None:
                repeated = self.day_cache[key] = self._compose(ordinal, phase, ())
            steps, notes = repeated
        clinician = self.clinician_notes.get(ordinal)
        if clinician is not None:
            notes = _unique(clinician + notes)
        return DayPlan(dt.date.fromordinal(ordinal), steps, self.pauses.get(ordinal, ()),
                       self.markers.get(ordinal, ()), notes)

    def _due(self, ordinal: int, phase: int) -> tuple[tuple[int, ...], tuple[Exfoliant, ...]]:
        """The layers (by index) and exfoliants the cadences ask for at this point of the cycle."""
        due = self.due_cache.get(phase)
        if due is None:
            due = self.due_cache[phase] = (
                tuple(i for i, layer in enumerate(self.layers) if layer[2](ordinal)),
                tuple(exf for exf in self.exfoliants if exf.is_due(ordinal)),
            )
        return due

    def _compose(self, ordinal: int, phase: int,
                 treated: Sequence[ResolvedProcedure]) -> tuple[tuple[Step, ...], tuple[str, ...]]:
        """The day's steps and its notes (all but the clinician's)."""
        layers, exfoliants = self._due(ordinal, phase)
        notes: list[str] = []
        has_serum = self._serum_today(notes, treated)
        if treated and (has_serum or layers):
            notes.append(reasons.procedure_day_layers())
        used = self._exfoliants(ordinal, exfoliants, notes)
        return self._steps(ordinal, bool(treated), has_serum, layers, used), _unique(notes)

    def _serum_today(self, notes: list[str], treated: Sequence[ResolvedProcedure]) -> bool:
        """Whether the day has its serum step; notes why not."""
        serum = self.serum
        if serum is None:
            notes.append(reasons.NO_SERUM_BLOCKED)
            return False
        for p in treated:
            if not p.windows.serum_on_procedure_day:
                notes.append(reasons.serum_starts_tomorrow(serum.kind, p.label))
                return False
        return True

    def _exfoliants(self, ordinal: int, due: tuple[Exfoliant, ...], notes: list[str]) -> tuple[Exfoliant, ...]:
        """Due exfoliants used today: not paused, not resting in a ramp, not skipped in a clash."""
        used: list[Exfoliant] = []
        for exf in due:
            if ordinal in exf.paused:
                continue
            ramp = exf.ramp_notes.get(ordinal)
            if ramp is not None and not ramp[0]:
                notes.append(ramp[1])
                continue
            used.append(exf)
        if len(used) < 2:
            return tuple(used)
        kept, clash_notes = self._settle(ordinal, tuple(used))
        notes.extend(clash_notes)
        return kept

    def _settle(self, ordinal: int, used: tuple[Exfoliant, ...]) -> tuple[tuple[Exfoliant, ...], tuple[str, ...]]:
        """The exfoliants that keep tonight when a retinoid meets an acid, and the notes for the
        ones skipped (layering.find_clash decides)."""
        if used not in self.clash_cache:
            self.clash_cache[used] = find_clash([exf.product for exf in used if exf.slot is Slot.EVENING])
        clash = self.clash_cache[used]
        if clash is None:
            return used, ()
        losers, winner = clash.losers(ordinal)
        settled = self.settle_cache.get((used, winner))
        if settled is None:
            lost = {p.id for p in losers}
            settled = self.settle_cache[used, winner] = (
                tuple(exf for exf in used if exf.product.id not in lost),
                tuple(reasons.clash_note(loser.name, winner) for loser in losers),
            )
        return settled

    def _steps(self, ordinal: int, treated: bool, has_serum: bool, layers: tuple[int, ...],
               exfoliants: tuple[Exfoliant, ...]) -> tuple[Step, ...]:
        """Steps in application order, numbered 1, 2, … within each slot. Notes never change the
        order, so a ramp day shares the steps of its pattern and only its ramped steps are new."""
        key = (treated, has_serum, layers, exfoliants)
        cached = self.steps_cache.get(key)
        if cached is None:
            cached = self.steps_cache[key] = _number(self._entries(treated, has_serum, layers, exfoliants))
        steps, positions = cached
        with_notes = None
        for exf, i in zip(exfoliants, positions, strict=True):
            ramp = exf.ramp_notes.get(ordinal)
            if ramp is not None:
                with_notes = with_notes or list(steps)
                s = steps[i]
                with_notes[i] = Step(s.product_id, s.product_name, s.slot, s.role, s.order, ramp[1])
        return steps if with_notes is None else tuple(with_notes)

    def _entries(self, treated: bool, has_serum: bool, layers: tuple[int, ...],
                 exfoliants: tuple[Exfoliant, ...]) -> list[_StepDraft]:
        """The serum (after the treatment on a procedure day), the layers (with the serum in the
        evening on a procedure day) and the exfoliants, before they have their order."""
        entries: list[_StepDraft] = []
        serum = self.serum
        if has_serum:
            slot = Slot.EVENING if treated else self.serum_slot
            note = "; ".join(n for n in (reasons.AFTER_TREATMENT if treated else "", serum.note) if n)
            key = -1 if serum.product_id is None else serum.product_id
            entries.append((_SLOT_ORDER[slot], SERUM_RANK, key, serum.product_id, serum.name, slot, StepRole.SERUM,
                            note, None))
        evening_layers = treated or self.serum_slot is Slot.EVENING
        for i in layers:
            p, rank, _, morning_slot, evening_slot = self.layers[i]
            slot = evening_slot if evening_layers else morning_slot
            entries.append((_SLOT_ORDER[slot], rank, p.id, p.id, p.name, slot, StepRole.LAYER, "", None))
        for i, exf in enumerate(exfoliants):
            p = exf.product
            entries.append((_SLOT_ORDER[exf.slot], exf.rank, p.id, p.id, p.name, exf.slot, StepRole.EXFOLIANT,
                            "", i))
        return entries


def _number(entries: list[_StepDraft]) -> tuple[tuple[Step, ...], tuple[int, ...]]:
    """The entries as steps in order, and where each exfoliant's step went."""
    entries.sort(key=lambda e: e[:3])
    numbered, order, previous = [], 0, None
    positions = [0] * sum(e[8] is not None for e in entries)
    for position, (slot_order, _, _, product_id, name, slot, role, note, exfoliant) in enumerate(entries):
        order = order + 1 if slot_order == previous else 1
        previous = slot_order
        numbered.append(Step(product_id, name, slot, role, order, note))
        if exfoliant is not None:
            positions[exfoliant] = position
    return tuple(numbered), tuple(positions)
