"""How a product is used, in words for its pages: its type, its parts of the day, its areas.

The engine decides where a product goes (layering.slots_for, exfoliant_slot, the one serum step);
this only says what it decided, so the product list and the product page can never disagree with
the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planner.core import layering
from planner.core.model import AREA_LABELS, PAUSED_CLASSES, PRODUCT_TYPE_LABELS, Area, ProductClass, Slot
from planner.planning.inputs import product_input

SLOT_WORDS = {(Slot.MORNING,): "Morning", (Slot.EVENING,): "Evening", (Slot.MORNING, Slot.EVENING): "Morning and evening"}


@dataclass(frozen=True)
class ProductUse:
    type_label: str  # "Moisturizer or cream"; "" when neither the user nor the name says
    type_guessed: bool  # guessed from the name (or the UV filters), not chosen
    slots_label: str  # "Morning and evening"
    slots_chosen: bool  # the user chose them (else the type's default or the engine's rule)
    areas_label: str  # "Face, Neck"
    note: str = ""  # why the plan uses another slot than the user chose, if it does


def product_use(row: Any, serum_slot: Slot) -> ProductUse:
    """What the plan makes of a stored product, for a user whose serum goes in ``serum_slot``."""
    p = product_input(row)
    kind = layering.product_type(p)
    chosen = layering.chosen_slots(p)
    note = ""
    if ProductClass.EXOSOME in p.classes:
        slots = (serum_slot,)
        note = "An exosome serum is one step a day, in the part of the day your profile gives the serum."
    elif p.classes & PAUSED_CLASSES:
        slots = (layering.exfoliant_slot(p),)
        if len(chosen) > 1 or (chosen and chosen != frozenset(slots)):
            note = ("An exfoliant goes on once a day, so its cadence, pauses and ramp count every dose; "
                    "retinoids always at night.")
    else:
        slots = layering.slots_for(p, serum_slot)
        if chosen and frozenset(slots) != chosen:
            note = "A sunscreen goes on in the morning, last."
    return ProductUse(
        PRODUCT_TYPE_LABELS[kind] if kind is not None else "",
        p.product_type is None,
        SLOT_WORDS[slots],
        bool(chosen),
        ", ".join(AREA_LABELS[a].split(" (")[0] for a in Area if a in p.areas),
        note,
    )
