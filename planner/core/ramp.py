"""Bringing exfoliants back gradually after a pause window closes.

Why a ramp at all: skin that has just healed from a procedure is easily irritated, and skin that
has been off a retinoid for a week or more loses some of its tolerance ("retinization") and
reacts to full strength with redness and peeling. The clinical rule the catalog follows is to
resume only after re-epithelialisation and "after all evidence of peeling and irritation
subsides" (peel textbook); a ramp is the cautious way to do that at home.

The design, per product, after each merged pause block (all windows of all procedures that
pause one of its classes, joined when they touch or overlap):

- Retinoids: week 1 at most every 3rd night, week 2 at most every other night, then the user's
  cadence. After a short pause (under 7 days, e.g. a HydraFacial) tolerance is barely lost, so
  the retinoid starts at week 2's pace.
- AHA, BHA, scrubs and other strong actives: one week at most every other day.
- PHA and enzyme exfoliants, the gentlest: four days at most every other day.
- A product with several classes ramps like its slowest class.

Inside a ramp a product is used only on days its own cadence asks for it, and only when enough
days have passed since its last use; a day it rests for the spacing is lost, never made up. A
ramp night it loses to a clash (clashes.py) is not lost: like any night lost to a clash it moves
to the next free night (nights.py decides, for the ramp and the cadence alike). A new pause
that starts during a ramp cuts it short; the next ramp starts after that pause.

Everything is derived from the procedure dates and the products, never from the first day of
the planned range, so planning a month or a year gives the same days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from planner.core import frozen, reasons
from planner.core.model import Marker, MarkerKind, ProductClass


@dataclass(frozen=True)
class Stage:
    days: int
    min_gap: int  # days from one use to the next: 3 = at most every 3rd day


RETINOID_RAMP = (Stage(7, 3), Stage(7, 2))
ACTIVE_RAMP = (Stage(7, 2),)
GENTLE_RAMP = (Stage(4, 2),)
#: A pause shorter than this does not cost retinoid tolerance: skip the slowest stage.
SHORT_PAUSE_DAYS = 7

_ACTIVE_RAMP_CLASSES = frozenset(
    {ProductClass.AHA, ProductClass.BHA, ProductClass.PHYSICAL_EXFOLIANT, ProductClass.OTHER_ACTIVE}
)


def ramp_stages(classes: frozenset[ProductClass]) -> tuple[Stage, ...]:
    """The full ramp of a product's slowest class: products whose classes differ but ramp alike
    share their ramps (window_days.exfoliant)."""
    if ProductClass.RETINOID in classes:
        return RETINOID_RAMP
    if classes & _ACTIVE_RAMP_CLASSES:
        return ACTIVE_RAMP
    return GENTLE_RAMP


def stages_for(classes: frozenset[ProductClass], pause_days: int) -> tuple[Stage, ...]:
    """The ramp for a product after a pause of ``pause_days``: its slowest class decides."""
    stages = ramp_stages(classes)
    if pause_days < SHORT_PAUSE_DAYS and len(stages) > 1:
        stages = stages[1:]
    return stages


@dataclass(frozen=True, slots=True)
class Block:
    """Consecutive paused days (proleptic ordinals, inclusive) and the window that ends last."""

    start: int
    end: int
    cause: int  # index of the procedure whose window ends last


def merge(intervals: Iterable[tuple[int, int, tuple[int, ...], int]]) -> list[Block]:
    """Join (start, end, priority, cause) intervals that touch or overlap into blocks; each
    block's cause is its highest-priority interval (the caller ranks the one ending last first)."""
    joined: list[list[int]] = []  # [start, end, cause]: made Blocks once joined
    best: tuple[int, ...] = ()
    for start, end, priority, cause in sorted(intervals):
        if joined and start <= joined[-1][1] + 1:
            last = joined[-1]
            if priority > best:
                best, last[2] = priority, cause
            if end > last[1]:
                last[1] = end
        else:
            best = priority
            joined.append([start, end, cause])
    return [_block(start, end, cause) for start, end, cause in joined]


@dataclass(frozen=True, slots=True)
class Ramp:
    """The days after one pause block when a product comes back gradually."""

    first: int  # ordinals, inclusive
    last: int
    cause: int
    gaps: tuple[int, ...]  # per ramp day (first = day 1): at most every gaps[k-1]-th day


def ramps(blocks: list[Block], classes: frozenset[ProductClass]) -> list[Ramp]:
    """The ramps of one product, one after each pause block, cut short by the next block.
    Which days it is used on is decided with the other exfoliants (nights.py): a ramp only says
    how far apart uses must be. Each ramp depends only on its own block and the next."""
    found: list[Ramp] = []
    shapes: dict[int, tuple[int, tuple[int, ...]]] = {}  # by the pause's length (classes are fixed here)
    cuts = [b.start - 1 for b in blocks[1:]]  # the day before the next block: a ramp ends there at the latest
    cuts.append(_NEVER)
    for block, cut in zip(blocks, cuts):
        end = block.end
        paused = end - block.start + 1
        shape = shapes.get(paused)
        if shape is None:
            shape = shapes[paused] = _shape(stages_for(classes, paused))
        days, all_gaps = shape
        if cut >= end + days:
            found.append(_ramp(end + 1, end + days, block.cause, all_gaps))
        elif cut > end:
            found.append(_ramp(end + 1, cut, block.cause, all_gaps[:cut - end]))
    return found


#: Later than any day: the last block's ramp is never cut short.
_NEVER = dt.date.max.toordinal() + 1


#: Block(...), Ramp(...) and Marker(...) without the frozen __init__ (frozen.py): a long history
#: makes hundreds of blocks and ramps, a year of ramps a hundred markers.
_block, _ramp, _marker = frozen.maker(Block), frozen.maker(Ramp), frozen.maker(Marker)


@lru_cache(maxsize=None)
def _shape(stages: tuple[Stage, ...]) -> tuple[int, tuple[int, ...]]:
    """A whole ramp's length and its per-day gaps (a history of years has hundreds of ramps, and
    only a handful of shapes)."""
    return sum(s.days for s in stages), tuple(s.min_gap for s in stages for _ in range(s.days))


def ramp_markers(spans: dict[int, list[range]], procedures: list[tuple[int, str]], first: int,
                 stop: int) -> dict[int, list[Marker]]:
    """RAMP markers for days in [first, stop): one per procedure whose ramps (over all the
    user's exfoliants, ``spans``: procedure index → the ramps' days as ranges of ordinals) cover
    the day, counted from the first ramp day to the last. ``procedures`` gives each index's
    (id, label). A procedure whose ramps all miss the range costs two comparisons, however long
    the history."""
    markers: dict[int, list[Marker]] = {}
    for cause, ranges in spans.items():
        lo, hi = min([r.start for r in ranges]), max([r.stop for r in ranges]) - 1
        if hi < first or lo >= stop:
            continue
        (procedure_id, label), covered = procedures[cause], set().union(*ranges)
        n = hi - lo + 1
        for o in sorted(covered):
            if first <= o < stop:
                k = o - lo + 1
                markers.setdefault(o, []).append(
                    _marker(MarkerKind.RAMP, procedure_id, reasons.ramp_marker(label, k, n), k, n))
    return markers
