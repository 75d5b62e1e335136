"""The engine's fast paths agree with plain references on random inputs (Hypothesis).

nights.py copies repeating stretches, moves the state on quietly before the range and checks
clashes by bitmask; clashes.clash_table asks each rule once per product; ramp.merge joins in
plain lists and ramp.ramps looks shapes up. Each is compared here with the straightforward
version of the same rule, so a faster engine can never decide a different day.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core import nights, window_days
from planner.core.clashes import clash_between, clash_table
from planner.core.model import (
    PAUSED_CLASSES, Cadence, CadenceKind, Intensity, ProcedureInput, ProductClass, ProductInput, Slot, Windows,
)
from planner.core.ramp import Block, Ramp, merge, ramps, stages_for
from tests.support.nights_reference import reference_nights

D = dt.date
EXFOLIANT_CLASSES = sorted(PAUSED_CLASSES)
NAMES = ["Retinol serum", "Glycolic toner", "BHA liquid", "PHA pads", "Scrub", "Vitamin C", "Peel"]
cadences = st.one_of(
    st.just(Cadence()),
    st.builds(Cadence, st.just(CadenceKind.EVERY_OTHER_DAY), anchor=st.dates(D(2024, 1, 1), D(2026, 12, 31))),
    st.builds(Cadence, st.just(CadenceKind.WEEKDAYS),
              weekdays=st.frozensets(st.integers(min_value=0, max_value=6), min_size=1)),
    st.builds(Cadence, st.just(CadenceKind.EVERY_N_DAYS), st.integers(min_value=1, max_value=7),
              anchor=st.dates(D(2024, 1, 1), D(2026, 12, 31))),
)
products = st.lists(
    st.builds(
        ProductInput,
        id=st.just(0),
        name=st.sampled_from(NAMES),
        classes=st.frozensets(st.sampled_from(EXFOLIANT_CLASSES), min_size=1, max_size=2),
        cadence=cadences,
        slot=st.sampled_from([None, Slot.MORNING, Slot.EVENING]),
        ingredients=st.frozensets(st.sampled_from(["tretinoin", "benzoyl_peroxide"]), max_size=1),
    ),
    max_size=7,
).map(lambda ps: [ProductInput(i + 1, p.name, p.classes, cadence=p.cadence, slot=p.slot, ingredients=p.ingredients)
                  for i, p in enumerate(ps)])
#: Injected windows: washout, retinoid after, actives after (the catalog's own are tested elsewhere).
windows = st.builds(lambda w, r, a: Windows(w, r, a, 2, True, False),
                    st.integers(min_value=0, max_value=5), st.integers(min_value=0, max_value=14),
                    st.integers(min_value=0, max_value=10))


@st.composite
def runs(draw):
    """Exfoliants with their blocks and ramps, the procedure days and labels, and a range."""
    centre = draw(st.dates(D(2025, 1, 1), D(2026, 12, 31)))
    near = st.integers(min_value=-90, max_value=90).map(lambda n: centre + dt.timedelta(days=n))
    kinds = {}
    procedures = []
    for i in range(draw(st.integers(min_value=0, max_value=6))):
        kind = f"kind{i}"
        kinds[kind] = draw(windows)
        procedures.append(ProcedureInput(i + 1, kind, draw(near), Intensity.STANDARD))
    procs = window_days.resolve(procedures, lambda kind, intensity, overrides: kinds[kind])
    spans: dict[int, list[range]] = {}
    shared: dict[tuple, tuple] = {}
    exfoliants = [window_days.exfoliant(p, procs, spans, shared) for p in draw(products)]
    a, b = sorted((draw(near), draw(near)))
    return exfoliants, [p.day for p in procs], [p.label for p in procs], a.toordinal(), b.toordinal()


@settings(max_examples=60, deadline=None)
@given(runs())
def test_nights_agree_with_the_day_by_day_reference(run):
    exfoliants, procedure_days, labels, first, stop = run
    fast = nights.plan_nights(exfoliants, procedure_days, labels, first, stop)
    found = {t: (tuple(e.product.id for e in night.used), night.step_notes, night.notes) for t, night in fast.items()}
    expected = reference_nights(exfoliants, procedure_days, labels, first, stop)
    assert found == expected
    free_daily = any(
        e.product.cadence.kind is CadenceKind.DAILY
        and any(not any(b.start <= t <= b.end for b in e.blocks) and t not in procedure_days for t in range(first, stop))
        for e in exfoliants)
    if free_daily:  # a daily exfoliant with a day outside every pause in range
        assert found  # something is decided: the comparison is not between two empty plans


@settings(max_examples=100, deadline=None)
@given(products)
def test_the_clash_table_is_clash_between_for_every_pair(shelf):
    table = clash_table(shelf)
    for i, a in enumerate(shelf):
        for j, b in enumerate(shelf):
            assert table.get((i, j)) is clash_between(a, b)


def test_the_clash_table_names_a_retinoid_and_an_acid():
    retinol = ProductInput(1, "Retinol", frozenset({ProductClass.RETINOID}))
    acid = ProductInput(2, "Glycolic", frozenset({ProductClass.AHA}))
    table = clash_table([retinol, acid])
    assert set(table) == {(0, 1), (1, 0)} and table[(0, 1)].key == "retinoid_acid"


def merge_reference(intervals) -> list[Block]:
    """Sorted intervals that touch or overlap joined; the cause is the first highest priority."""
    groups: list[list[tuple]] = []
    for interval in sorted(intervals):
        if groups and interval[0] <= max(i[1] for i in groups[-1]) + 1:
            groups[-1].append(interval)
        else:
            groups.append([interval])
    return [Block(g[0][0], max(i[1] for i in g), max(g, key=lambda i: i[2])[3]) for g in groups]


def ramps_reference(blocks: list[Block], classes) -> list[Ramp]:
    """One ramp after each block, its stages laid out day by day, cut short by the next block."""
    found = []
    for i, block in enumerate(blocks):
        gaps = [s.min_gap for s in stages_for(classes, block.end - block.start + 1) for _ in range(s.days)]
        if i + 1 < len(blocks):
            gaps = gaps[: max(0, blocks[i + 1].start - 1 - block.end)]
        if gaps:
            found.append(Ramp(block.end + 1, block.end + len(gaps), block.cause, tuple(gaps)))
    return found


intervals = st.lists(
    st.tuples(st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=20),
              st.tuples(st.integers(min_value=0, max_value=5), st.integers(min_value=0, max_value=5)),
              st.integers(min_value=0, max_value=30)).map(lambda t: (t[0], t[0] + t[1], t[2], t[3])),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(intervals, st.frozensets(st.sampled_from(EXFOLIANT_CLASSES), min_size=1, max_size=2))
def test_merge_and_ramps_agree_with_the_plain_references(found, classes):
    blocks = merge(found)
    assert blocks == merge_reference(found)
    assert ramps(blocks, classes) == ramps_reference(blocks, classes)
    if found:
        assert blocks and blocks[0].start == min(i[0] for i in found)
