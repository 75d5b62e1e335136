"""Which slot a product goes in and in what order products are applied.

Skincare is layered thinnest to thickest so each layer can reach the skin: cleanser, rinse-off
exfoliants (scrubs, masks), toner, essence, serums and treatments, the exosome serum, peptide
products, moisturiser or cream, face oil, and sunscreen last in the morning. The position follows
the product's type, which the user chooses (ProductType); a product whose type nobody chose is
placed by words in its name, exactly as before types existed, and a product whose name says
nothing sits where its class suggests (a retinoid after the serum, before moisturiser). A
sunscreen (by type, name or UV filters) is always last. Ties are broken by product id so the
order never changes between two runs.

Which parts of the day a product goes in is ``slots_for``'s: the user's choice, else its type's.

Which products never share a routine is clashes.py's; who keeps a night when they meet is
nights.py's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from planner.core import reasons
from planner.core.model import DEFAULT_AREAS, PAUSED_CLASSES, Area, ProductClass, ProductInput, ProductType, Slot

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

#: The rank a chosen type gives (serum and treatment share the named serums' place).
TYPE_RANKS: dict[ProductType, int] = {
    ProductType.CLEANSER: CLEANSER, ProductType.MASK: RINSE_OFF, ProductType.TONER: TONER,
    ProductType.ESSENCE: ESSENCE, ProductType.SERUM: TREATMENT, ProductType.TREATMENT: TREATMENT,
    ProductType.MOISTURIZER: CREAM, ProductType.OIL: OIL, ProductType.SUNSCREEN: SUNSCREEN,
}
_RANK_TYPES = {CLEANSER: ProductType.CLEANSER, RINSE_OFF: ProductType.MASK, TONER: ProductType.TONER,
               ESSENCE: ProductType.ESSENCE, TREATMENT: ProductType.SERUM, CREAM: ProductType.MOISTURIZER,
               OIL: ProductType.OIL, SUNSCREEN: ProductType.SUNSCREEN}
_BOTH = frozenset({Slot.MORNING, Slot.EVENING})
#: Where a type goes when the user did not say: what is used twice a day (cleanser, toner, essence,
#: moisturizer) morning and evening; sunscreen in the morning; masks and oils (oils thin out a
#: sunscreen over them) in the evening. Serums and treatments are missing: they go with the serum.
TYPE_SLOTS: dict[ProductType, frozenset[Slot]] = {
    ProductType.CLEANSER: _BOTH, ProductType.TONER: _BOTH, ProductType.ESSENCE: _BOTH,
    ProductType.MOISTURIZER: _BOTH, ProductType.SUNSCREEN: frozenset({Slot.MORNING}),
    ProductType.MASK: frozenset({Slot.EVENING}), ProductType.OIL: frozenset({Slot.EVENING}),
}


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
    #: Where it goes on: only procedures on these areas move or hold it (the generic one: the face).
    areas: frozenset[Area] = DEFAULT_AREAS


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
                     reasons.peptide_instead(reasons.BLOCKED_REASON), areas=peptide.areas)
    if awaiting:
        return None
    exosomes = [p for p in by_id if ProductClass.EXOSOME in p.classes]
    if not exosomes:
        return Serum(None, GENERIC_SERUM, "exosome serum", "")
    plain = next((p for p in exosomes if not p.classes & PAUSED_CLASSES), None)
    first = exosomes[0]
    if not first.classes & PAUSED_CLASSES:
        return Serum(first.id, first.name, "exosome serum", "", first.clinic_approved, areas=first.areas)
    fallback = None if plain is None else Serum(plain.id, plain.name, "exosome serum", "", plain.clinic_approved,
                                                areas=plain.areas)
    return Serum(first.id, first.name, "exosome serum", "", first.clinic_approved, True, fallback, first.areas)


def name_rank(name: str) -> int | None:
    """The layering rank a product's name suggests, or None when it says nothing."""
    lowered = name.lower()
    for rank, pattern in _WORD_PATTERNS:
        if pattern.search(lowered):
            return rank
    return None


def guess_type(name: str, classes: frozenset[ProductClass] = frozenset()) -> ProductType | None:
    """The type a product's name (or its UV filters) suggests: the form's default, or None."""
    rank = name_rank(name)
    if rank is None and ProductClass.SUNSCREEN in classes:
        return ProductType.SUNSCREEN
    return None if rank is None else _RANK_TYPES[rank]


def product_type(product: ProductInput) -> ProductType | None:
    """The user's type, else the guess."""
    return product.product_type or guess_type(product.name, product.classes)


def layer_rank(product: ProductInput) -> int:
    """Where a product sits in its slot (lower goes on first)."""
    if is_sunscreen(product):
        return SUNSCREEN
    rank = TYPE_RANKS[product.product_type] if product.product_type else name_rank(product.name)
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
    """A sunscreen by the user's type, by its UV filters, or (no type chosen) by its name."""
    if product.product_type is not None:
        return product.product_type is ProductType.SUNSCREEN
    return ProductClass.SUNSCREEN in product.classes or name_rank(product.name) == SUNSCREEN


def chosen_slots(product: ProductInput) -> frozenset[Slot]:
    """The parts of the day the user chose; empty when they left it to the engine."""
    if product.slots:
        return product.slots
    return frozenset() if product.slot is None else frozenset({product.slot})


def exfoliant_slot(product: ProductInput) -> Slot:
    """The one slot of a product holding a paused class.

    An exfoliant keeps one slot even when the user ticked both: its cadence, the windows, the ramp
    back and the clashes all count uses, and two a day would double every dose they allow.
    Retinoids always go at night (light breaks them down); other exfoliants in the morning only
    when the user chose the morning alone, else the evening."""
    if ProductClass.RETINOID in product.classes:
        return Slot.EVENING
    return Slot.MORNING if chosen_slots(product) == {Slot.MORNING} else Slot.EVENING


def slots_for(product: ProductInput, serum_slot: Slot) -> tuple[Slot, ...]:
    """The slots a gentle product goes in, morning first: the user's choice; a sunscreen always
    and only in the morning (light is what it is for); else its type's (TYPE_SLOTS); a serum,
    a treatment or a product of no known type with the serum."""
    if is_sunscreen(product):
        return (Slot.MORNING,)
    slots = chosen_slots(product)
    if not slots:
        kind = product_type(product)
        slots = TYPE_SLOTS.get(kind, frozenset({serum_slot})) if kind is not None else frozenset({serum_slot})
    return tuple(s for s in (Slot.MORNING, Slot.EVENING) if s in slots)


def layer_slot(product: ProductInput, serum_slot: Slot) -> Slot:
    """The first slot a gentle product goes in (slots_for)."""
    return slots_for(product, serum_slot)[0]
