"""Which slot a product goes in and in what order products are applied.

Skincare is layered thinnest to thickest so each layer can reach the skin: cleanser, rinse-off
exfoliants (scrubs, masks), toner, essence, serums and treatments, the exosome serum, peptide
products, moisturiser or cream, face oil, and sunscreen last in the morning. Products carry only
a name and classes, so the position is guessed from words in the name; a product whose name says
nothing sits where its class suggests (a retinoid after the serum, before moisturiser). Ties are
broken by product id so the order never changes between two runs.

Which products never share a routine is clashes.py's; who keeps a night when they meet is
nights.py's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from planner.core import reasons
from planner.core.model import PAUSED_CLASSES, ProductClass, ProductInput, Slot

CLEANSER, RINSE_OFF, TONER, ESSENCE, TREATMENT, EXOSOME_SERUM, PEPTIDE, CREAM, OIL, SUNSCREEN = (
    10, 15, 20, 30, 40, 50, 60, 70, 80, 90
)
#: Where the daily serum step sits (also for the peptide serum that replaces it).
SERUM_RANK = EXOSOME_SERUM
#: A retinoid whose name gives no hint goes after the serum, before moisturiser.
RETINOID_DEFAULT = 55

#: Checked in this order: the first rank whose words appear in the name wins, so
#: "cleansing oil" is a cleanser and "oil-free moisturiser SPF 30" a sunscreen.
NAME_RANKS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (SUNSCREEN, ("spf", "sunscreen", "sunblock", "sun cream", "sun fluid", "uv")),
    (CLEANSER, ("cleanser", "cleansing", "wash", "micellar", "cleanse")),
    (RINSE_OFF, ("scrub", "polish", "mask", "exfoliating powder", "peel pad", "peel pads")),
    (TONER, ("toner", "tonic", "mist", "pads", "pad")),
    (ESSENCE, ("essence",)),
    (CREAM, ("cream", "moisturiser", "moisturizer", "moisturising", "moisturizing", "lotion", "balm",
             "emulsion", "gel-cream", "sleeping")),
    (OIL, ("oil",)),
    (TREATMENT, ("serum", "ampoule", "booster", "drops", "treatment", "solution", "concentrate",
                 "exfoliant", "peel")),
)
_WORD_PATTERNS = tuple(
    (rank, re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b"))
    for rank, words in NAME_RANKS
)


GENERIC_SERUM = "Exosome serum"


@dataclass(frozen=True)
class Serum:
    """What fills the once-a-day serum step."""

    product_id: int | None
    name: str
    kind: str  # "exosome serum" or "peptide serum", as the day notes say it
    note: str  # standing note on every serum step
    clinic_approved: bool = False  # may go on healing skin (the user marked it)
    #: The serum product also holds an exfoliant (a retinoid, an acid…): it is the serum step only
    #: on the days the exfoliant rules let it on; ``fallback`` (a plain exosome serum of the
    #: user's, if any) fills the step on the other days.
    holds_exfoliant: bool = False
    fallback: Serum | None = None


def choose_serum(by_id: Sequence[ProductInput], blocked: bool, awaiting: bool = False) -> Serum | None:
    """The user's exosome product with the lowest id (or a generic serum when they have none);
    when safety blocks exosomes, their first peptide product instead, or None; None while a
    dermatologist's approval is awaited. One exosome step a day, always: an exosome product that
    also holds a paused class is that step, never an extra one."""
    if blocked:
        peptide = next((p for p in by_id if ProductClass.PEPTIDE in p.classes
                        and not p.classes & (PAUSED_CLASSES | {ProductClass.EXOSOME})), None)
        if peptide is None:
            return None
        return Serum(peptide.id, peptide.name, "peptide serum",
                     reasons.peptide_instead(reasons.BLOCKED_REASON))
    if awaiting:
        return None
    exosomes = [p for p in by_id if ProductClass.EXOSOME in p.classes]
    if not exosomes:
        return Serum(None, GENERIC_SERUM, "exosome serum", "")
    plain = next((p for p in exosomes if not p.classes & PAUSED_CLASSES), None)
    first = exosomes[0]
    if not first.classes & PAUSED_CLASSES:
        return Serum(first.id, first.name, "exosome serum", "", first.clinic_approved)
    fallback = None if plain is None else Serum(plain.id, plain.name, "exosome serum", "", plain.clinic_approved)
    return Serum(first.id, first.name, "exosome serum", "", first.clinic_approved, True, fallback)


def name_rank(name: str) -> int | None:
    """The layering rank a product's name suggests, or None when it says nothing."""
    lowered = name.lower()
    for rank, pattern in _WORD_PATTERNS:
        if pattern.search(lowered):
            return rank
    return None


def layer_rank(product: ProductInput) -> int:
    """Where a product sits in its slot (lower goes on first)."""
    rank = name_rank(product.name)
    if ProductClass.PEPTIDE in product.classes and rank in (None, TREATMENT):
        return PEPTIDE  # a peptide serum goes on after the exosome serum
    if rank is not None:
        return rank
    if ProductClass.RETINOID in product.classes:
        return RETINOID_DEFAULT
    if product.classes & PAUSED_CLASSES:
        return TREATMENT
    return PEPTIDE  # unnamed gentle product: after the serum, before moisturiser


def is_sunscreen(product: ProductInput) -> bool:
    return name_rank(product.name) == SUNSCREEN


def exfoliant_slot(product: ProductInput) -> Slot:
    """Retinoids always at night (light breaks them down); other exfoliants where the user put
    them, or the evening by default."""
    if ProductClass.RETINOID in product.classes:
        return Slot.EVENING
    return product.slot or Slot.EVENING


def layer_slot(product: ProductInput, serum_slot: Slot) -> Slot:
    """A gentle product goes with the serum, unless the user chose its slot; sunscreen is morning."""
    if product.slot is not None:
        return product.slot
    if is_sunscreen(product):
        return Slot.MORNING
    return serum_slot
