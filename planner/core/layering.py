"""Which slot a product goes in and in what order products are applied.

Skincare is layered thinnest to thickest so each layer can reach the skin: cleanser, rinse-off
exfoliants (scrubs, masks), toner, essence, serums and treatments, the exosome serum, peptide
products, moisturiser or cream, face oil, and sunscreen last in the morning. Products carry only
a name and classes, so the position is guessed from words in the name; a product whose name says
nothing sits where its class suggests (a retinoid after the serum, before moisturiser). Ties are
broken by product id so the order never changes between two runs.

A retinoid and an acid never share an evening (together they irritate, and each makes the other
harder to tolerate). When both are due the same evening the side the user uses *less often*
keeps the night: it has fewer nights to lose, and this matches the usual advice that a nightly
retinoid simply skips acid nights. On a tie they take turns, switching each time their shared
cycle repeats (retinoid when ``ordinal // period`` is even), which alternates two nightly
products night by night and two Mon/Wed/Fri products week by week. It depends only on the date
and the cadences, never on earlier days.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from planner.core import reasons
from planner.core.cadence import shared_period, uses_per_day
from planner.core.model import ACID_CLASSES, PAUSED_CLASSES, ProductClass, ProductInput, Slot

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


def choose_serum(by_id: Sequence[ProductInput], blocked: bool) -> Serum | None:
    """The user's exosome serum with the lowest id (or a generic one); when safety blocks
    exosomes, their first peptide product instead, or None. Products holding a paused class are
    exfoliants, never the serum."""
    if blocked:
        peptide = next((p for p in by_id if ProductClass.PEPTIDE in p.classes
                        and not p.classes & (PAUSED_CLASSES | {ProductClass.EXOSOME})), None)
        if peptide is None:
            return None
        return Serum(peptide.id, peptide.name, "peptide serum",
                     reasons.peptide_instead(reasons.BLOCKED_REASON))
    exosome = next((p for p in by_id
                    if ProductClass.EXOSOME in p.classes and not p.classes & PAUSED_CLASSES), None)
    if exosome is None:
        return Serum(None, GENERIC_SERUM, "exosome serum", "")
    return Serum(exosome.id, exosome.name, "exosome serum", "")


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


_ACID_ORDER = (ProductClass.AHA, ProductClass.BHA, ProductClass.PHA)


@dataclass(frozen=True)
class Clash:
    """Retinoids and acids due the same evening, and how the night is settled between them."""

    retinoids: tuple[ProductInput, ...]
    acids: tuple[ProductInput, ...]
    retinoid_keeps: bool | None  # None: a tie, settled by the date
    period: int  # their shared cycle, for ties
    acids_label: str  # "AHA and BHA", for the nights the acids keep

    def losers(self, ordinal: int) -> tuple[tuple[ProductInput, ...], str]:
        """Products that skip tonight, and the label of the side that keeps the night."""
        keeps = self.retinoid_keeps
        if keeps is None:
            keeps = (ordinal // self.period) % 2 == 0
        if keeps:
            return self.acids, "retinoid"
        return self.retinoids, self.acids_label


def find_clash(evening: Sequence[ProductInput]) -> Clash | None:
    """The clash among products due the same evening, or None when no retinoid meets an acid.
    The side used less often keeps the night; on a tie they take turns."""
    retinoids = tuple(p for p in evening if ProductClass.RETINOID in p.classes)
    acids = tuple(p for p in evening if p.classes & ACID_CLASSES and ProductClass.RETINOID not in p.classes)
    if not retinoids or not acids:
        return None
    retinoid_rate = max(uses_per_day(p.cadence) for p in retinoids)
    acid_rate = max(uses_per_day(p.cadence) for p in acids)
    period = shared_period([p.cadence for p in (*retinoids, *acids)])
    labels = dict.fromkeys(c.label for p in acids for c in _ACID_ORDER if c in p.classes)
    return Clash(retinoids, acids, None if retinoid_rate == acid_rate else retinoid_rate < acid_rate, period,
                 " and ".join(labels))

