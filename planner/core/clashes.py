"""Which exfoliants never share a routine (morning or evening), and why, with sources.

Two rules, each with the evidence for it:

- **A retinoid and an acid** (AHA, BHA, PHA) never share a routine: together they irritate, and
  each makes the other harder to tolerate; the usual advice is that a retinoid simply skips acid
  nights.
- **Benzoyl peroxide and tretinoin** never share a routine: benzoyl peroxide oxidises tretinoin
  (with light, over half of it is gone within 2 hours, 95% within a day), so the advice is one in
  the morning and one at night. Adapalene is stable next to it (same study), so the rule names
  tretinoin only; the evidence for other retinoids is not there.

Products in different routines never clash, which is why a morning acid and a night retinoid
both keep their days. Pure data and two small functions; the engine (nights.py) decides who
keeps a night.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from planner.core.model import ACID_CLASSES, ProductClass, ProductInput


@dataclass(frozen=True)
class ClashRule:
    key: str
    #: Why, as it reads after "… skipped tonight: " — "a retinoid and an acid never share an evening".
    why: str
    sources: tuple[str, ...]
    left: Callable[[ProductInput], bool]
    right: Callable[[ProductInput], bool]


def _is_retinoid(p: ProductInput) -> bool:
    return ProductClass.RETINOID in p.classes


def _is_acid(p: ProductInput) -> bool:
    return bool(p.classes & ACID_CLASSES) and ProductClass.RETINOID not in p.classes


def _has_benzoyl_peroxide(p: ProductInput) -> bool:
    return "benzoyl_peroxide" in p.ingredients


def _has_tretinoin(p: ProductInput) -> bool:
    return "tretinoin" in p.ingredients


RULES: tuple[ClashRule, ...] = (
    ClashRule("retinoid_acid", "a retinoid and an acid never share a routine (together they irritate)", (),
              _is_retinoid, _is_acid),
    ClashRule("benzoyl_peroxide_tretinoin",
              "benzoyl peroxide breaks tretinoin down, so they never share a routine "
              "(MARTIN_1998_BJD, ACNE_TEXT_BPO_TRETINOIN)",
              ("MARTIN_1998_BJD", "ACNE_TEXT_BPO_TRETINOIN"), _has_benzoyl_peroxide, _has_tretinoin),
)


def clash_between(a: ProductInput, b: ProductInput) -> ClashRule | None:
    """The rule that keeps two products out of one routine, or None."""
    if a.id == b.id:
        return None
    for rule in RULES:
        if (rule.left(a) and rule.right(b)) or (rule.left(b) and rule.right(a)):
            return rule
    return None


def clash_table(products: Sequence[ProductInput]) -> dict[tuple[int, int], ClashRule]:
    """``clash_between`` for every ordered pair of products (by index) that clashes, with each
    rule's tests asked once per product rather than once per pair (a 50-product shelf has
    thousands of pairs)."""
    sides = [[(rule.left(p), rule.right(p)) for rule in RULES] for p in products]
    table: dict[tuple[int, int], ClashRule] = {}
    for i, a in enumerate(products):
        for j, b in enumerate(products):
            if a.id == b.id:
                continue
            for k, rule in enumerate(RULES):
                (a_left, a_right), (b_left, b_right) = sides[i][k], sides[j][k]
                if (a_left and b_right) or (b_left and a_right):
                    table[(i, j)] = rule
                    break
    return table
