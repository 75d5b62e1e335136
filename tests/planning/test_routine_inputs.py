"""Stored slots, types and areas become the engine's inputs the same way for one user and a batch."""

from __future__ import annotations

import datetime as dt

from planner.core.model import Area, ProductType, Slot
from planner.planning import inputs as planning_inputs


def test_slots_types_and_areas_reach_the_engine(app, factory):
    user = factory.user()
    factory.product(user, name="Barrier", slot="both", product_type="moisturizer", areas="face,neck")
    factory.product(user, name="Night cream")  # stored before areas and types: the face, chosen by the engine
    factory.procedure(user, kind="laser_hair_removal", performed_on=dt.date(2026, 3, 12), area="body")
    factory.procedure(user, performed_on=dt.date(2026, 4, 2))
    one = planning_inputs.load_one(user)
    many = planning_inputs.load_many([user.id])[user.id]
    assert (one.products, one.procedures) == (many.products, many.procedures)
    barrier, night = sorted(one.products, key=lambda p: p.name)
    assert (barrier.slots, barrier.product_type, barrier.areas) == (
        frozenset({Slot.MORNING, Slot.EVENING}), ProductType.MOISTURIZER, frozenset({Area.FACE, Area.NECK}))
    assert (night.slots, night.product_type, night.areas) == (frozenset(), None, frozenset({Area.FACE}))
    assert [p.area for p in one.procedures] == [Area.BODY, Area.FACE]
