"""A plain reference for the engine's step layout (step_layout.StepLayout).

The engine sorts every entry a range can have once, gives each a bit in that order, and lays a
day out by reading the bits set, keeping each step per number and each slot's steps per mask.
This reference is the straightforward rule: the bits in the order the entries are listed (not
sorted), and every day one sort of the entries present by slot, layering rank and id, numbered
1, 2, … within each slot, a layer with two entries that day marked "twice". The equivalence test
plans with both and compares every day.
"""

from __future__ import annotations

from planner.core import reasons
from planner.core.layering import SERUM_RANK
from planner.core.model import Slot, Step, StepRole

_SLOT_ORDER = {Slot.MORNING: 0, Slot.EVENING: 1}


class PlainLayout:
    """The StepLayout interface, each day sorted and numbered from scratch. Like the engine's, it
    keeps every step it made (the builder keys a step with a note by the plain step's identity)."""

    def __init__(self, serum_slot, serum, layers, exfoliants):
        self.made = []
        self.entries = []  # (slot order, rank, id, product id, name, slot, role, note)
        self.serum_bits, self.exfoliant_bits = {}, {}
        self.layer_bits, self.moved_bits = [0] * len(layers), [0] * len(layers)
        for variant in (serum, serum.fallback if serum is not None else None):
            if variant is None:
                continue
            for treated in (False, True):
                slot = Slot.EVENING if treated else serum_slot
                note = "; ".join(n for n in (reasons.AFTER_TREATMENT if treated else "", variant.note) if n)
                key = -1 if variant.product_id is None else variant.product_id
                self.serum_bits[id(variant), treated] = self._add(
                    (_SLOT_ORDER[slot], SERUM_RANK, key, variant.product_id, variant.name, slot, StepRole.SERUM, note))
        for index, (p, rank, slots, moved_slot) in enumerate(layers):
            for slot in slots:
                self.layer_bits[index] |= self._add(
                    (_SLOT_ORDER[slot], rank, p.id, p.id, p.name, slot, StepRole.LAYER, ""))
            self.moved_bits[index] = self._add(
                (_SLOT_ORDER[moved_slot], rank, p.id, p.id, p.name, moved_slot, StepRole.LAYER, ""))
        for exf in exfoliants:
            p = exf.product
            role, rank = (StepRole.SERUM, SERUM_RANK) if exf.is_serum else (StepRole.EXFOLIANT, exf.rank)
            self.exfoliant_bits[exf] = self._add((_SLOT_ORDER[exf.slot], rank, p.id, p.id, p.name, exf.slot, role, ""))
        self.morning = sum(1 << bit for bit, entry in enumerate(self.entries) if entry[0] == 0)

    def _add(self, entry):
        self.entries.append(entry)
        return 1 << (len(self.entries) - 1)

    def _day(self, present):
        """The bits of the day's entries in application order."""
        bits = [bit for bit in range(len(self.entries)) if present >> bit & 1]
        return sorted(bits, key=lambda bit: self.entries[bit][:3])

    def steps(self, present):
        order_bits = self._day(present)
        layer_ids = [self.entries[bit][3] for bit in order_bits if self.entries[bit][6] is StepRole.LAYER]
        steps, order, previous = [], 0, None
        for bit in order_bits:
            slot_order, _, _, product_id, name, slot, role, note = self.entries[bit]
            order = order + 1 if slot_order == previous else 1
            previous = slot_order
            twice = role is StepRole.LAYER and layer_ids.count(product_id) > 1
            steps.append(Step(product_id, name, slot, role, order, note, twice))
        self.made.append(steps)
        return tuple(steps)

    def positions(self, present, bits):
        day = [1 << b for b in self._day(present)]
        return [day.index(bit) for bit in bits]
