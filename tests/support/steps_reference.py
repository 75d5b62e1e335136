"""A plain reference for the engine's day steps (schedule._DayBuilder._steps).

The engine lays the serum's and the layers' entries out in order once per set and slots the
day's exfoliants in, keeping each step per number. This reference is the straightforward rule:
every entry of the day (serum, layers in their slots, exfoliants), one sort by slot, layering
rank and id, numbered 1, 2, … within each slot, a layer in both slots marked "twice". The
equivalence test plans with both and compares every day.
"""

from __future__ import annotations

from planner.core import reasons
from planner.core.layering import SERUM_RANK
from planner.core.model import Slot, Step, StepRole

_SLOT_ORDER = {Slot.MORNING: 0, Slot.EVENING: 1}


def reference_steps(builder, treated, serum, layers, night, held_serum=False, moved=frozenset()):
    """(steps, where each exfoliant's step went, -1 when it has none) for one day."""
    entries = []
    if serum is not None:
        slot = Slot.EVENING if treated else builder.serum_slot
        note = "; ".join(n for n in (reasons.AFTER_TREATMENT if treated else "", serum.note) if n)
        key = -1 if serum.product_id is None else serum.product_id
        entries.append((_SLOT_ORDER[slot], SERUM_RANK, key, serum.product_id, serum.name, slot, StepRole.SERUM,
                        note, None))
    for i in layers:
        p, rank, _, morning_slots, evening_slots = builder.layers[i]
        if i in moved:
            slots = evening_slots[-1:]
        else:
            slots = evening_slots if builder.serum_slot is Slot.EVENING else morning_slots
        for slot in slots:
            entries.append((_SLOT_ORDER[slot], rank, p.id, p.id, p.name, slot, StepRole.LAYER, "", None))
    for index, exf in enumerate(night.used):
        p = exf.product
        if exf.is_serum and held_serum:
            continue
        role, rank = (StepRole.SERUM, SERUM_RANK) if exf.is_serum else (StepRole.EXFOLIANT, exf.rank)
        entries.append((_SLOT_ORDER[exf.slot], rank, p.id, p.id, p.name, exf.slot, role, "", index))
    entries.sort(key=lambda e: (e[0], e[1], e[2]))
    layer_ids = [e[3] for e in entries if e[6] is StepRole.LAYER]
    steps, positions, order, previous = [], [-1] * len(night.used), 0, None
    for position, (slot_order, _, _, product_id, name, slot, role, note, exfoliant) in enumerate(entries):
        order = order + 1 if slot_order == previous else 1
        previous = slot_order
        twice = role is StepRole.LAYER and layer_ids.count(product_id) > 1
        steps.append(Step(product_id, name, slot, role, order, note, twice))
        if exfoliant is not None:
            positions[exfoliant] = position
    return tuple(steps), tuple(positions)
