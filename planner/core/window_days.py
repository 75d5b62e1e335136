"""What the procedure windows put on each day of a planned range, laid out once per range.

Rules 4 and 5 of the engine (schedule.py) give every day a window or a ramp touches its markers
("Recovery after microneedling (day 3 of 7)": procedure_marks.py), its pauses with their
reasons, and its ramp notes. Asking every window about every day made that the bulk of planning a year, so here each
procedure and each exfoliant walks only the days it touches, once, and the engine looks the
results up by ordinal. Everything stays a function of the inputs and the day alone: a range only
decides which days are written down.

A window pauses only the products used on its procedure's area (ProcedureInput.area,
ProductInput.areas): laser hair removal on the legs leaves a facial retinol on its nights. Each
exfoliant is therefore blocked only by the procedures on its areas, and its pauses are looked
up in the covers of those procedures alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import repeat

from planner.core import checkins, frozen, reasons
from planner.core.cadence import due_test
from planner.core.layering import exfoliant_slot, layer_rank
from planner.core.model import (
    ACTIVE_CLASSES, Area, CheckIn, Intensity, Overrides, Pause, ProcedureInput, ProductClass, ProductInput, Slot,
    Windows,
)
from planner.core.ramp import Block, Ramp, merge, ramp_stages, ramps

WindowsFn = Callable[[str, Intensity, Overrides], Windows]

RETINOID_GROUP, ACTIVES_GROUP = 0, 1
#: Order in which a multi-class product's class is named in a pause ("no AHA: …").
_CLASS_ORDER = (ProductClass.RETINOID, ProductClass.AHA, ProductClass.BHA, ProductClass.PHA,
                ProductClass.ENZYME, ProductClass.PHYSICAL_EXFOLIANT, ProductClass.OTHER_ACTIVE)


@dataclass(frozen=True, slots=True)
class ResolvedProcedure:
    """A procedure with its windows resolved once: the day-by-day work only compares ordinals."""

    index: int
    source: ProcedureInput
    windows: Windows
    date: dt.date
    day: int  # ordinal of the procedure day
    label: str  # "microneedling", as it reads mid-sentence
    washout_start: int
    ends: tuple[int, int]  # last paused day, per group
    recovery_days: int  # with the days the skin check-ins added (checkin.extended_days)
    checkin: checkins.Walk = checkins.NOT_ASKED

    @property
    def area(self) -> Area:
        return self.source.area

    @property
    def where(self) -> str:
        """The label with the area when it is not the face ("laser hair removal on your body")."""
        return reasons.on_area(self.label, self.source.area)

    def priority(self, group: int) -> tuple[int, int, int]:
        """Rank for "the window that ends last" (ties: the later procedure, then the higher id)."""
        return (self.ends[group], self.day, self.source.id)


@dataclass(eq=False)  # compared by identity, so it can be part of a cache key
class Exfoliant:
    """A product holding a paused class, with what the engine asks about it every day."""

    product: ProductInput
    groups: tuple[int, ...]
    slot: Slot
    rank: int
    class_label: str
    pause_classes: dict[int, ProductClass]  # the class a pause names, per group
    is_due: Callable[[int], bool]
    #: Its merged pause blocks and the ramps after them, over all time (nights.py walks them).
    blocks: list[Block] = field(default_factory=list)
    ramps: list[Ramp] = field(default_factory=list)
    #: True for the exosome product that is the day's serum step when it is used (schedule.py).
    is_serum: bool = False


def resolve(procedures: Sequence[ProcedureInput], windows: WindowsFn,
            checkin_answers: Sequence[CheckIn] = ()) -> list[ResolvedProcedure]:
    """The procedures by date (then id), each with its windows, extended by the skin check-ins
    (checkins.py): every paused class stays off through the extended recovery end."""
    resolved: dict[tuple[str, Intensity, Overrides], tuple[Windows, str]] = {}  # with the kind's label
    answers = checkins.by_procedure(checkin_answers) if checkin_answers else {}
    out = []
    for index, p in enumerate(sorted(procedures, key=lambda p: (p.date, p.id))):
        key = (p.kind, p.intensity, p.overrides)
        found = resolved.get(key)
        if found is None:
            found = resolved[key] = (windows(p.kind, p.intensity, p.overrides), reasons.kind_label(p.kind))
        w, label = found
        day = p.date.toordinal()
        ends = (day + w.retinoid_days_after, day + w.actives_days_after)
        recovery_days = max(w.retinoid_days_after, w.actives_days_after)
        walk = checkins.walk(day, recovery_days, answers.get(p.id))
        if walk.extended_days:
            ends, recovery_days = (max(ends[0], walk.end), max(ends[1], walk.end)), walk.end - day
        out.append(_resolved(index, p, w, p.date, day, label, day - w.washout_days_before, ends, recovery_days, walk))
    return out


#: ResolvedProcedure(...) without the frozen __init__ (frozen.py): a long history resolves hundreds.
_resolved = frozen.maker(ResolvedProcedure)


def _groups(classes: frozenset[ProductClass]) -> tuple[int, ...]:
    groups = ()
    if ProductClass.RETINOID in classes:
        groups += (RETINOID_GROUP,)
    if classes & ACTIVE_CLASSES:
        groups += (ACTIVES_GROUP,)
    return groups


def on_areas(procs: list[ResolvedProcedure], areas: frozenset[Area]) -> list[ResolvedProcedure]:
    """The procedures done on one of ``areas`` (all of them, in the usual case of the face alone)."""
    if all(p.source.area in areas for p in procs):
        return procs
    return [p for p in procs if p.source.area in areas]


def exfoliant(product: ProductInput, procs: list[ResolvedProcedure], spans: dict[int, list[range]],
              shared: dict[tuple, tuple[list[Block], list[Ramp]] | list[Block] | frozenset[Area]] | None = None,
              ) -> Exfoliant:
    """An exfoliant with its pause blocks and ramps from the procedures on its areas; adds its
    ramps' days to ``spans`` (procedure index → ranges of ordinals) for the ramp markers.

    Products paused by the same groups of the same procedures have the same blocks, and those
    whose classes also ramp alike (ramp.ramp_stages) the same ramps: pass one ``shared`` dict for
    all of a plan's exfoliants (with one ``spans``) and each set of blocks is merged once and
    each set of ramps worked out and added to ``spans`` once (a long history has hundreds of
    blocks; the ramp markers need each ramp's days, not how many products share it). The
    procedures a product's areas pick are named by the areas they were done on, never listed."""
    groups = _groups(product.classes)
    first_class = next(c for c in _CLASS_ORDER if c in product.classes)
    pause_classes = {g: ProductClass.RETINOID if g == RETINOID_GROUP else
                     next(c for c in _CLASS_ORDER[1:] if c in product.classes) for g in groups}
    exf = Exfoliant(product, groups, exfoliant_slot(product), layer_rank(product), first_class.label,
                    pause_classes, due_test(product.cadence))
    if shared is None:
        shared = {}
    treated = shared.get(_TREATED)  # the areas any procedure was done on
    if treated is None:
        treated = shared[_TREATED] = frozenset(p.area for p in procs)
    same_blocks = (product.areas & treated, groups)
    same_ramps = (same_blocks, ramp_stages(product.classes))
    known = shared.get(same_ramps)
    if known is None:
        blocks = shared.get(same_blocks)
        if blocks is None:
            blocks = shared[same_blocks] = merge(_intervals(on_areas(procs, product.areas), groups))
        known = shared[same_ramps] = (blocks, ramps(blocks, product.classes))
        for ramp in known[1]:
            spans.setdefault(ramp.cause, []).append(range(ramp.first, ramp.last + 1))
    exf.blocks, exf.ramps = list(known[0]), list(known[1])
    return exf


#: The key under which exfoliant() keeps, in its ``shared`` dict, the areas procedures were done on.
_TREATED = ("treated areas",)


def _intervals(procs: list[ResolvedProcedure], groups: tuple[int, ...]) -> list[tuple[int, int, tuple, int]]:
    """Each procedure's paused days for a product of ``groups``, for ramp.merge."""
    if len(groups) == 1:
        g = groups[0]
        return [(p.washout_start, p.ends[g], p.priority(g), p.index) for p in procs]
    # paused by both windows: the one ending last counts
    return [(p.washout_start, max(p.ends), max(p.priority(0), p.priority(1)), p.index) for p in procs]


def cover(procs: list[ResolvedProcedure], first: int, stop: int) -> tuple[dict[int, list[ResolvedProcedure]], ...]:
    """Per group: the procedures whose windows pause it on each day, the one ending last first."""
    covers: tuple[dict[int, list[ResolvedProcedure]], ...] = ({}, {})
    for group, days in enumerate(covers):
        for p in procs:
            for o in range(max(p.washout_start, first), min(p.ends[group], stop - 1) + 1):
                days.setdefault(o, []).append(p)
        for covering in days.values():
            if len(covering) > 1:
                covering.sort(key=lambda p, g=group: p.priority(g), reverse=True)
    return covers


def covers_on_areas(procs: list[ResolvedProcedure], first: int, stop: int,
                    ) -> Callable[[frozenset[Area]], tuple[dict[int, list[ResolvedProcedure]], ...]]:
    """``cover`` of the procedures on some areas, computed once per set of areas."""
    found: dict[frozenset[Area], tuple[dict[int, list[ResolvedProcedure]], ...]] = {}

    def covers(areas: frozenset[Area]) -> tuple[dict[int, list[ResolvedProcedure]], ...]:
        got = found.get(areas)
        if got is None:
            got = found[areas] = cover(on_areas(procs, areas), first, stop)
        return got
    return covers


#: Pause(...) without the frozen dataclass's __init__: a year makes thousands (frozen.py).
_pause = frozen.maker(Pause)


def pauses(exfoliants: list[Exfoliant],
           covers_for: Callable[[frozenset[Area]], tuple[dict[int, list[ResolvedProcedure]], ...]],
           ) -> dict[int, tuple[Pause, ...]]:
    """Each day's pauses, in product order: every day a window on one of a product's areas
    (``covers_for``: covers_on_areas) covers one of its groups and its cadence asks for it (a day
    it was never due is not a loss). A pause is named after the window that ends last, and names
    the area when it is not the face.

    A year of 50 products makes thousands of pauses, and products share their areas, groups,
    classes and cadences: the days a product is paused are listed with each day's class, reason
    and procedure as columns (``_PauseDays``), each worked out once for all the products alike,
    and each product only makes its Pauses from them."""
    paused = _PauseDays(covers_for)
    by_day: dict[int, list[Pause]] = {}
    for exf in exfoliants:
        product = exf.product
        days, classes, whys, procedure_ids = paused.columns(exf)
        made = map(_pause, repeat(product.id), repeat(product.name), classes, whys, procedure_ids)
        for o, pause in zip(days, made):
            day = by_day.get(o)
            if day is None:
                by_day[o] = [pause]
            else:
                day.append(pause)
    return {o: tuple(day) for o, day in by_day.items()}


#: Per paused day, a value: a list, or one value repeated (a product one group pauses names one class).
_Column = list | repeat


class _PauseDays:
    """The days one plan's exfoliants are paused, and why, each part worked out once: per areas
    and group, each paused day's grounds (where the day sits in the window that ends last, and
    the other windows covering it: the same words for every class) and that window's
    procedure; per class, the whole reason; per cadence, the days it asks for."""

    def __init__(self, covers_for: Callable[[frozenset[Area]], tuple[dict[int, list[ResolvedProcedure]], ...]],
                 ) -> None:
        self.covers_for = covers_for
        self.grounds: dict[tuple, str] = {}  # by what decides the words: groups and areas often agree
        self.days: dict[tuple[frozenset[Area], int], dict[int, tuple[str, int]]] = {}
        self.reasons: dict[tuple[ProductClass, frozenset[Area], int], dict[int, str]] = {}
        self.due: dict[tuple, tuple[list[int], list[int]]] = {}
        self.found: dict[tuple, tuple[list[int], _Column, list[str], list[int]]] = {}

    def columns(self, exf: Exfoliant) -> tuple[list[int], _Column, list[str], list[int]]:
        """The days ``exf`` is paused and due, and per day the class, the reason and the
        procedure its pause names."""
        product = exf.product
        key = (product.areas, exf.groups, product.classes, product.cadence)
        found = self.found.get(key)
        if found is None:
            found = self.found[key] = self._columns(exf)
        return found

    def _columns(self, exf: Exfoliant) -> tuple[list[int], _Column, list[str], list[int]]:
        areas, groups, is_due = exf.product.areas, exf.groups, exf.is_due
        if len(groups) == 1:  # most products pause with one group
            group = groups[0]
            product_class = exf.pause_classes[group]
            days, procedure_ids = self._due_days(areas, group, exf)
            whys = self._reasons(product_class, areas, group)
            return days, repeat(product_class), [whys[o] for o in days], procedure_ids
        covers = self.covers_for(areas)
        days, classes, whys, procedure_ids = [], [], [], []
        for o in covers[0].keys() | covers[1].keys():  # paused by both windows: the one ending last names it
            if is_due(o):
                # of the groups paused on o, the one whose window ends last (a tie: the retinoid's)
                group = max((covering[0].ends[g], g == RETINOID_GROUP, g) for g in groups
                            if (covering := covers[g].get(o)))[2]
                product_class = exf.pause_classes[group]
                days.append(o)
                classes.append(product_class)
                whys.append(self._reasons(product_class, areas, group)[o])
                procedure_ids.append(self._days(areas, group)[o][1])
        return days, classes, whys, procedure_ids

    def _due_days(self, areas: frozenset[Area], group: int, exf: Exfoliant) -> tuple[list[int], list[int]]:
        """The days a group is paused on some areas that a cadence asks for, and the procedure
        each day's pause names: the same for every product with that cadence."""
        key = (areas, group, exf.product.cadence)
        found = self.due.get(key)
        if found is None:
            by_day = self._days(areas, group)
            days = list(filter(exf.is_due, by_day))
            found = self.due[key] = (days, [by_day[o][1] for o in days])
        return found

    def _reasons(self, product_class: ProductClass, areas: frozenset[Area], group: int) -> dict[int, str]:
        key = (product_class, areas, group)
        found = self.reasons.get(key)
        if found is None:
            start = reasons.pause_class(product_class)
            found = self.reasons[key] = {o: start + grounds for o, (grounds, _) in self._days(areas, group).items()}
        return found

    def _days(self, areas: frozenset[Area], group: int) -> dict[int, tuple[str, int]]:
        found = self.days.get((areas, group))
        if found is None:
            found = self.days[(areas, group)] = {
                o: (self._grounds(group, o, covering), covering[0].source.id)
                for o, covering in self.covers_for(areas)[group].items()}
        return found

    def _grounds(self, group: int, o: int, covering: list[ResolvedProcedure]) -> str:
        """Where ``o`` sits in the lead window, and the other windows covering it."""
        lead = covering[0]
        window_days = lead.ends[group] - lead.day
        field = ("washout_days_before" if o < lead.day else None if o == lead.day else
                 "retinoid_days_after" if group == RETINOID_GROUP else "actives_days_after")
        clinician = field in lead.windows.overridden
        key = (o, window_days, clinician, lead.index) if len(covering) == 1 else (
            o, window_days, clinician, *(p.index for p in covering))
        found = self.grounds.get(key)
        if found is None:
            date = dt.date.fromordinal(o)
            also = []
            if len(covering) > 1:
                also = list(dict.fromkeys(reasons.also_phrase(p.label, p.date, date) for p in covering[1:]))
            phrase = reasons.window_phrase(lead.label, lead.date, date, window_days)
            found = self.grounds[key] = reasons.pause_grounds(reasons.clinician_number(phrase, clinician), also,
                                                              lead.source.area)
        return found
