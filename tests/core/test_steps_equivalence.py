"""The engine's day steps agree with a plain sort-and-number reference on random shelves.

step_layout.StepLayout sorts every entry a range can have once and lays each day out from the
bits of the entries it has (a year repeats a few hundred masks); tests/support/steps_reference.py
sorts every entry of every day. Planning with each must give the same days, whatever the shelf,
the slots and areas chosen, the procedures (on which areas) and the serum's slot.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core import day_builder, schedule
from planner.core.model import Area, ProcedureInput, Profile, Slot
from tests.support.steps_reference import PlainLayout

D = dt.date
KINDS = ("microneedling", "superficial_chemical_peel", "hydrafacial", "laser_hair_removal", "dermaplaning")
AREAS = (Area.FACE, Area.NECK, Area.CHEST)


@st.composite
def inputs(draw):
    from bench import fixtures  # an enthusiast's shelf: every class, cadence and exfoliant

    shelf = fixtures.shelf(50)
    picked = draw(st.lists(st.sampled_from(shelf), min_size=1, max_size=25, unique_by=lambda p: p.id))
    products = []
    for p in picked:
        slots = draw(st.sampled_from([frozenset(), frozenset({Slot.MORNING}), frozenset({Slot.EVENING}),
                                      frozenset({Slot.MORNING, Slot.EVENING})]))
        areas = draw(st.sampled_from([frozenset({Area.FACE}), frozenset({Area.FACE, Area.NECK}),
                                      frozenset({Area.CHEST})]))
        products.append(dataclasses.replace(p, slots=slots, areas=areas, clinic_approved=draw(st.booleans())))
    procedures = [
        ProcedureInput(id=k + 1, kind=draw(st.sampled_from(KINDS)),
                       date=D(2026, 1, 1) + dt.timedelta(days=draw(st.integers(-60, 120))), area=draw(st.sampled_from(AREAS)))
        for k in range(draw(st.integers(0, 4)))
    ]
    serum_slot = draw(st.sampled_from([Slot.MORNING, Slot.EVENING]))
    return products, procedures, Profile(serum_slot=serum_slot)


@settings(max_examples=40, deadline=None)
@given(inputs())
def test_day_steps_agree_with_the_sort_and_number_reference(drawn):
    products, procedures, profile = drawn
    start, end = D(2026, 1, 1), D(2026, 4, 1)
    fast = schedule.plan(profile, procedures, products, start, end, today=start)
    engine_layout = day_builder.StepLayout
    try:
        day_builder.StepLayout = PlainLayout  # the same builder, the plain rule for its steps
        plain = schedule.plan(profile, procedures, products, start, end, today=start)
    finally:
        day_builder.StepLayout = engine_layout
    assert len(fast.days) == 90
    assert any(day.steps for day in fast.days)  # something is compared
    assert fast.days == plain.days
