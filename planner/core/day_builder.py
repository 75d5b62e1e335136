"""Each day of a plan from what the range laid out up front (schedule.py's rules 1 to 7).

schedule.plan resolves the procedures and sorts the shelf; window_days lays out what the windows
put on each day (markers, pauses), nights.py which exfoliants go on each day, aftercare.py the
advice. What is left per day is which serum and layers go on, which are held or moved by a
treatment, the day's notes, and the steps in order (step_layout.py). A year is mostly repeats:
the same layers due, the same exfoliants and no procedure make the same steps and notes, so a
day costs a few look-ups and a DayPlan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import repeat
from operator import or_

from planner.core import frozen, nights, pregnancy, procedure_marks, reasons, window_days
from planner.core.cadence import due_test, period_days
from planner.core.layering import Serum, layer_rank, slots_for
from planner.core.model import Advice, Area, DayPlan, Marker, Profile, ProductInput, Slot, Step
from planner.core.nights import EMPTY, Night
from planner.core.step_layout import StepLayout
from planner.core.window_days import Exfoliant, ResolvedProcedure

#: DayPlan(...) and Step(...) without the frozen __init__ (frozen.py): a year makes hundreds of each.
_day_plan, _new_step = frozen.maker(DayPlan), frozen.maker(Step)

#: One day's open-wound holds: each hold's note and the area it holds, the one ending last first.
_Hold = tuple[tuple[str, Area], ...]
#: What a day without a procedure shares with every other such day: its steps, the bits of their
#: entries (step_layout), and its notes (all but the clinician's and the night's) before and after the night's.
_Composed = tuple[tuple[Step, ...], int, tuple[str, ...], tuple[str, ...]]


class DayBuilder:
    """Everything precomputed for the range; ``days`` does the per-day work.

    The layers' cadences are read as bitmasks: per cadence period, the layers due at each point
    of it, so a day's layers are a few ORs however long the cycle they share. A day without a
    procedure, a hold or a clinician's note takes its steps and notes from any such day with the
    same layers due and the same Night (``plain_days``). Beneath that, days with the same layers
    due, exfoliants and hold share their steps and notes but the night's (``day_cache``), the
    night's notes are joined in after, each join kept by what it joins, and the steps of each set
    of entries are kept by step_layout.
    """

    def __init__(self, profile: Profile, procs: list[ResolvedProcedure], serum: Serum | None,
                 layers: list[ProductInput], exfoliants: list[Exfoliant], first: int, stop: int,
                 ramp_markers: dict[int, list[Marker]], awaiting: bool,
                 advice: dict[int, tuple[Advice, ...]]) -> None:
        self.serum = serum
        self.awaiting = awaiting
        self.layers = layers
        serum_slot = profile.serum_slot
        placed = []
        for p in layers:
            evening_slots = slots_for(p, Slot.EVENING)
            # moved by a treatment: once, in the evening after it, unless it is morning-only
            placed.append((p, layer_rank(p), evening_slots if serum_slot is Slot.EVENING
                           else slots_for(p, Slot.MORNING), evening_slots[-1]))
        self.layout = StepLayout(serum_slot, serum, placed, exfoliants)
        self.always_due, self.due_by_phase = _due_masks(layers, self.layout.layer_bits)
        touched = procedure_marks.procedure_days(procs, ramp_markers, first, stop)
        self.markers, self.clinician_notes, self.performed = touched.markers, touched.clinician_notes, touched.performed
        self.checkin_asks = touched.asks
        self.pauses = window_days.pauses(exfoliants, window_days.covers_on_areas(procs, first, stop))
        # a procedure day restarts the nights only if it pauses every exfoliant (nights.py)
        everywhere = frozenset.intersection(*(e.product.areas for e in exfoliants)) if exfoliants else None
        restarts = [p.day for p in procs if everywhere is None or p.area in everywhere]
        self.nights = nights.plan_nights(exfoliants, restarts, [p.where for p in procs], first, stop)
        self.holds = _holds(procs, first, stop)
        self.advice = advice
        flagged = pregnancy.applies_to(profile.safety)
        self.pregnancy_notes = {p.id: pregnancy.notes_for(p) for p in (*layers, *(e.product for e in exfoliants))
                                if flagged and pregnancy.flags_for(p)}
        self.first, self.stop = first, stop
        #: The days whose steps and notes are their own: a procedure, a hold or a clinician's note.
        self.special = self.performed.keys() | self.holds.keys() | self.clinician_notes.keys()
        self.plain_days: dict[tuple[int, int], tuple[tuple[Step, ...], tuple[str, ...]]] = {}
        self.day_cache: dict[tuple, _Composed] = {}
        #: A step with an exfoliant's note (by note, then the plain step's id), and a day's notes
        #: with a night's, by what they join.
        self.noted_steps: dict[str, dict[int, Step]] = {}
        self.joined_notes: dict[tuple, tuple[str, ...]] = {}

    # -- Per day -------------------------------------------------------------------------------

    def days(self) -> tuple[DayPlan, ...]:
        """One DayPlan per day of the range. A day without a procedure, a hold or a clinician's
        note is the same, but for its date, pauses, markers, check-ins and advice, as any earlier
        such day with the same layers due and the same Night, and takes its steps and notes from
        ``plain_days``; the parts laid out per day are read straight into the DayPlans."""
        ordinals = range(self.first, self.stop)
        special, plain_days, day = self.special, self.plain_days, self._day
        steps, notes = [], []
        for ordinal, due, night in zip(ordinals, self._dues(), map(self.nights.get, ordinals, repeat(EMPTY))):
            if ordinal in special:
                day_steps, day_notes = day(due, night, self.holds.get(ordinal), self.performed.get(ordinal),
                                           self.clinician_notes.get(ordinal))
            else:
                key = (due, id(night))  # the nights keep every Night alive: its id is not reused
                repeated = plain_days.get(key)
                if repeated is None:
                    repeated = plain_days[key] = day(due, night)
                day_steps, day_notes = repeated
            steps.append(day_steps)
            notes.append(day_notes)
        none = repeat(())
        return tuple(map(_day_plan, map(dt.date.fromordinal, ordinals), steps, map(self.pauses.get, ordinals, none),
                         map(self.markers.get, ordinals, none), notes, map(self.checkin_asks.get, ordinals, none),
                         map(self.advice.get, ordinals, none)))

    def _dues(self) -> list[int]:
        """The bits of the layers due on each day of the range: per cadence period its phases'
        masks turned to start on the first day and repeated, ORed together."""
        count = self.stop - self.first
        dues = [self.always_due] * count
        for period, masks in self.due_by_phase:
            start = self.first % period
            dues = list(map(or_, dues, (masks[start:] + masks[:start]) * (count // period + 1)))
        return dues

    def _day(self, due: int, night: Night, hold: _Hold | None = None,
             treated: Sequence[ResolvedProcedure] | None = None,
             clinician: tuple[str, ...] | None = None) -> tuple[tuple[Step, ...], tuple[str, ...]]:
        """A day's steps and notes: the night's exfoliants and their notes put into what the
        serum, the layers, a hold and a procedure make of the day (``_compose``), after the
        clinician's notes."""
        if treated is not None:  # the serum and the layers move to the evening, or the serum waits
            steps, present, before, after = self._compose(due, night, hold, treated)
        else:  # the same as any other day with the same layers due, exfoliants and hold
            key = (due, night.used, hold)  # the night's own notes are put in below
            repeated = self.day_cache.get(key)
            if repeated is None:
                repeated = self.day_cache[key] = self._compose(due, night, hold, ())
            steps, present, before, after = repeated
        if night.notes:
            key = (before, night.notes, after)
            notes = self.joined_notes.get(key)
            if notes is None:
                notes = self.joined_notes[key] = _unique(before + night.notes + after)
        else:
            notes = before + after if after else before
        if night.step_notes:
            steps = self._with_notes(steps, present, night)
        if clinician is not None:
            notes = _unique(clinician + notes)
        return steps, notes

    def _compose(self, due: int, night: Night, hold: _Hold | None, treated: Sequence[ResolvedProcedure]) -> _Composed:
        """The day's steps (without the exfoliants' notes), the bits of their entries, and the day's
        notes (all but the clinician's and the night's) before and after the night's. ``due``:
        the bits of the layers the cadences ask for."""
        layers, layout = self.layers, self.layout
        layer_bits = layout.layer_bits
        present = due
        notes: list[str] = []
        held_areas: frozenset[Area] = frozenset()
        if hold:
            firsts = {}  # the hold ending last on each area
            for note, area in hold:
                firsts.setdefault(area, note)
            notes.extend(dict.fromkeys(firsts.values()))
            held_areas = frozenset(firsts)
            held = [i for i, p in enumerate(layers)
                    if due & layer_bits[i] and not p.clinic_approved and p.areas & held_areas]
            if held:
                notes.append(reasons.held_products([layers[i].name for i in held]))
                for i in held:
                    present &= ~layer_bits[i]
        serum_areas = self.serum.areas if self.serum is not None else frozenset()
        serum_treated = [p for p in treated if p.area in serum_areas]
        serum = self._serum_today(notes, serum_treated, night, bool(serum_areas & held_areas))
        if serum is not None:
            present |= layout.serum_bits[id(serum), bool(serum_treated)]
        moved = False
        if treated:  # the layers on a treated area go on once, after the treatment
            treated_areas = frozenset(p.area for p in treated)
            for i, p in enumerate(layers):
                if present & layer_bits[i] and p.areas & treated_areas:
                    present = present & ~layer_bits[i] | layout.moved_bits[i]
                    moved = True
        if (serum is not None and serum_treated) or moved:
            notes.append(reasons.procedure_day_layers())
        after: list[str] = []  # the night's notes go between ``notes`` and these
        if self.pregnancy_notes:
            for i, p in enumerate(layers):
                if present & (layer_bits[i] | layout.moved_bits[i]):
                    after.extend(self.pregnancy_notes.get(p.id, ()))
            for e in night.used:
                after.extend(self.pregnancy_notes.get(e.product.id, ()))
        held_serum = bool(held_areas) and any(
            e.is_serum and not e.product.clinic_approved and e.product.areas & held_areas for e in night.used)
        exfoliant_bits = layout.exfoliant_bits
        for e in night.used:
            if not (e.is_serum and held_serum):  # a home serum on healing skin, whatever its windows
                present |= exfoliant_bits[e]
        return layout.steps(present), present, _unique(notes), _unique(after)

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

    def _with_notes(self, steps: tuple[Step, ...], present: int, night: Night) -> tuple[Step, ...]:
        """The steps with each exfoliant's note of the night (a ramp night, a moved dose); an
        exfoliant held on healing skin has no step to note."""
        noted = [(bit, note) for bit, note in zip(map(self.layout.exfoliant_bits.__getitem__, night.used),
                                                  night.step_notes, strict=True) if note and present & bit]
        if not noted:
            return steps
        with_notes = list(steps)
        noted_steps = self.noted_steps
        for i, (_, note) in zip(self.layout.positions(present, [bit for bit, _ in noted]), noted):
            s = steps[i]
            by_step = noted_steps.get(note)
            if by_step is None:
                by_step = noted_steps[note] = {}
            made = by_step.get(id(s))  # the layout keeps every plain step: its id is not reused
            if made is None:
                made = by_step[id(s)] = _new_step(s.product_id, s.product_name, s.slot, s.role, s.order,
                                                  f"{s.note}; {note}" if s.note else note, s.twice)
            with_notes[i] = made
        return tuple(with_notes)


def _due_masks(layers: list[ProductInput], layer_bits: list[int]) -> tuple[int, list[tuple[int, list[int]]]]:
    """The bits of the layers due every day, and per cadence period the bits of the layers due at
    each phase of it (day ordinal modulo the period): a cadence's test gives the same answer for
    a phase as for every day of that phase."""
    by_period: dict[int, list[int]] = {}
    for p, bits in zip(layers, layer_bits, strict=True):
        period, is_due = period_days(p.cadence), due_test(p.cadence)
        masks = by_period.setdefault(period, [0] * period)
        for phase in range(period):
            if is_due(phase):
                masks[phase] |= bits
    always = by_period.pop(1, [0])[0]
    return always, sorted(by_period.items())


def _unique(notes: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Notes in order, each once (two procedures can ask for the same sentence)."""
    return tuple(dict.fromkeys(notes)) if len(notes) > 1 else tuple(notes)


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
