"""Where each step of a day goes: every step a range can have, in one order, and a day's steps
as the ones present that day, numbered 1, 2, … within each slot.

A day's routine is a sort: by slot (morning first), by layering rank (layering.py), by product
id, numbered again from 1 in each slot; a layer in both slots that day is marked ``twice``.
Sorting every day's entries costs a sort and a Step per entry, every day, and an enthusiast's
shelf has thirty or forty of them. But the entries a range can have are few and known up front:
the serum in its slot (or in the evening after a treatment, or its fallback), each layer in its
slots (or once in the evening, moved by a treatment), each exfoliant in its slot. Their keys
never tie except between variants of one product, which never meet on one day. So they are
sorted once here and each gets a bit, in that order; a day is the bitmask of the entries it has,
its steps the set bits read from the lowest, and the Step for an entry at a number is made once.
Morning and evening are numbered apart, so each slot's steps are kept per that slot's bits: the
morning rarely changes when the night's exfoliants do.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.core import frozen, reasons
from planner.core.layering import SERUM_RANK, Serum
from planner.core.model import Slot, Step, StepRole
from planner.core.window_days import Exfoliant

_SLOT_ORDER = {Slot.MORNING: 0, Slot.EVENING: 1}
#: Step(...) without the frozen __init__ (frozen.py): a year makes hundreds.
_new_step = frozen.maker(Step)


class StepLayout:
    """Every entry of a range, sorted and given a bit; ``steps`` lays a day's set of entries out.

    ``layers`` are (product, layering rank, its slots, the slot it moves to on a treated day)
    per gentle layer; ``exfoliants`` have ``is_serum`` set.
    """

    def __init__(self, serum_slot: Slot, serum: Serum | None, layers: Sequence[tuple],
                 exfoliants: Sequence[Exfoliant]) -> None:
        drafts: list[tuple[tuple[int, int, int], tuple[str, object], tuple]] = []  # (sort key, what it is, Step fields)
        for variant in (serum, serum.fallback if serum is not None else None):
            if variant is None:
                continue
            key = -1 if variant.product_id is None else variant.product_id
            for treated in (False, True):  # after a treatment on its area it goes on in the evening
                slot = Slot.EVENING if treated else serum_slot
                note = "; ".join(n for n in (reasons.AFTER_TREATMENT if treated else "", variant.note) if n)
                drafts.append(((_SLOT_ORDER[slot], SERUM_RANK, key), ("serum", (id(variant), treated)),
                               (variant.product_id, variant.name, slot, StepRole.SERUM, note, False)))
        for index, (p, rank, slots, moved_slot) in enumerate(layers):
            for slot in slots:
                drafts.append(((_SLOT_ORDER[slot], rank, p.id), ("layer", index),
                               (p.id, p.name, slot, StepRole.LAYER, "", len(slots) > 1)))
            drafts.append(((_SLOT_ORDER[moved_slot], rank, p.id), ("moved", index),  # once, after the treatment
                           (p.id, p.name, moved_slot, StepRole.LAYER, "", False)))
        for exf in exfoliants:
            p = exf.product
            role, rank = (StepRole.SERUM, SERUM_RANK) if exf.is_serum else (StepRole.EXFOLIANT, exf.rank)
            drafts.append(((_SLOT_ORDER[exf.slot], rank, p.id), ("exfoliant", exf),
                           (p.id, p.name, exf.slot, role, "", False)))
        drafts.sort(key=lambda d: d[0])
        #: Each entry's Step fields but its number, by bit.
        self.fields = [fields for _, _, fields in drafts]
        #: The bit of each serum (by id and whether it follows a treatment), of each exfoliant (compared
        #: by identity).
        self.serum_bits: dict[tuple[int, bool], int] = {}
        self.exfoliant_bits: dict[Exfoliant, int] = {}
        #: Per layer, the bits of its entries in its own slots, and the bit of its moved entry.
        self.layer_bits = [0] * len(layers)
        self.moved_bits = [0] * len(layers)
        self.morning = 0  # the bits of every morning entry (they sort first)
        for bit, (key, (kind, which), _) in enumerate(drafts):
            if key[0] == 0:
                self.morning |= 1 << bit
            if kind == "serum":
                self.serum_bits[which] = 1 << bit
            elif kind == "exfoliant":
                self.exfoliant_bits[which] = 1 << bit
            elif kind == "layer":
                self.layer_bits[which] |= 1 << bit
            else:
                self.moved_bits[which] = 1 << bit
        #: The Step made for each entry at each number it has had (by bit, then number).
        self.made: list[dict[int, Step]] = [{} for _ in drafts]
        self.slots: dict[int, tuple[Step, ...]] = {}
        self.days: dict[int, tuple[Step, ...]] = {}

    def steps(self, present: int) -> tuple[Step, ...]:
        """A day's steps in application order for the entries whose bits are set."""
        day = self.days.get(present)
        if day is None:
            day = self.days[present] = self._slot(present & self.morning) + self._slot(present & ~self.morning)
        return day

    @staticmethod
    def positions(present: int, bits: list[int]) -> list[int]:
        """Where the entries with these bits are in the day's steps: after the entries before each."""
        return [(present & (bit - 1)).bit_count() for bit in bits]

    def _slot(self, present: int) -> tuple[Step, ...]:
        """One slot's steps, numbered from 1."""
        laid = self.slots.get(present)
        if laid is None:
            made = self.made
            bits = self._bits(present)
            steps = [made[bit].get(order) for order, bit in enumerate(bits, 1)]
            if not all(steps):  # an entry at a number it has not had yet
                for order, bit in enumerate(bits, 1):
                    step = made[bit].get(order)
                    if step is None:
                        product_id, name, slot, role, note, twice = self.fields[bit]
                        step = made[bit][order] = _new_step(product_id, name, slot, role, order, note, twice)
                    steps[order - 1] = step
            laid = self.slots[present] = tuple(steps)
        return laid

    @staticmethod
    def _bits(present: int) -> list[int]:
        """The set bits, lowest first, read a byte at a time."""
        found: list[int] = []
        offset = 0
        while present:
            byte = present & 0xFF
            if byte:
                key = offset << 8 | byte
                bits = _BYTE_BITS.get(key)
                if bits is None:
                    bits = _BYTE_BITS[key] = tuple(offset + i for i in range(8) if byte >> i & 1)
                found += bits
            present >>= 8
            offset += 8
        return found


#: The set bits of each byte of a mask, by its offset and value: a table filled as it is read,
#: at most 256 entries per 8 entries of the largest shelf's range, whoever plans.
_BYTE_BITS: dict[int, tuple[int, ...]] = {}
