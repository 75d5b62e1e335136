"""Pasted ingredient text → what a product is, as far as planning around procedures cares.

Users paste whatever the box or the shop page says: INCI lists, Drug Facts panels, marketing
text. The plan pauses retinoids, acids, scrubs and strong actives around procedures, so the
classifier must find them without crying wolf: citric acid that only adjusts pH, jojoba *oil*,
sunscreen salicylates and vitamin C derivatives are recognised and reported as ``ignored``
with the reason, so a user can see both what was counted and what was deliberately not.

Matching compares whole names (case-, spacing- and punctuation-blind, parentheses dropped),
never substrings, so "Retinyl Palmitate" cannot pass for retinol nor "Lactobacillus" for lactic
acid. Only exosomes and peptides are found by a word inside the name. The names themselves
live in ``ingredient_names.py``. Pure: stdlib only.

Position rules, using the "1% line" (the first ingredient that is always used at or below 1%,
such as phenoxyethanol, xanthan gum, disodium EDTA or fragrance; everything after it is ≤1%):

* pH adjusters — citric, lactic, malic, tartaric acid, sodium/ammonium lactate, and
  gluconolactone — count only above the 1% line *and* in the first half of the list (an
  exfoliating dose sits among the first few ingredients), unless a percentage of at least 1%
  is printed next to them or they are in a Drug Facts "Active ingredients" section.
  Gluconolactone next to sodium benzoate is a preservative blend. Glycolic and mandelic acid
  count anywhere: nobody adjusts pH with them, and a low dose is still a deliberate exfoliant.
* Fruit enzymes (papaya, pineapple, pumpkin extracts) count only if the text names an enzyme
  (papain, bromelain, "enzyme"…) or the extract is among the first three ingredients.
* Scrubs: shell and kernel powders and pumice count anywhere. Beads that are also waxes or
  coatings (jojoba esters, hydrogenated jojoba oil, polyethylene, alumina) count above the 1%
  line in a rinse-off cleanser, beside a shell powder, or when the text speaks of a scrub or
  beads. Fillers (silica, cellulose, diatomaceous earth) need that wording or a shell powder,
  and a place in the first half above the 1% line. Salt and sugar count only as one of the
  first two ingredients with no water before them (salt and sugar scrubs).
* Mineral UV filters (titanium dioxide, zinc oxide) are white pigments too: they make a product
  a sunscreen only above the 1% line and in the first half of the list, with a printed
  percentage of at least 1%, or in a Drug Facts active section; far down a list (after the
  fragrance, or as "CI 77891" in a colour list) they colour it. Organic UV filters count anywhere.
* Everything else counts wherever it appears, even salicylic acid at preservative level or
  ascorbic acid as an antioxidant: after a procedure a needless pause costs less than a miss.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass
from functools import cache

from planner.core import ingredient_names as names
from planner.core.inci import Item, Section, parse, squash
from planner.core.model import Classification, ExosomeSource, IngredientMatch, ProductClass, RetinoidStrength

__all__ = ["classify"]

_SURFACTANTS = frozenset(map(squash, names.RINSE_OFF_SURFACTANTS))
_BLEND_PARTNERS = frozenset(map(squash, names.PRESERVATIVE_BLEND_PARTNERS))


class _Rule(enum.Enum):
    ANYWHERE = "anywhere"
    PH_ADJUSTER = "ph_adjuster"
    GLUCONOLACTONE = "gluconolactone"
    FRUIT_ENZYME = "fruit_enzyme"
    SCRUB_BEAD = "scrub_bead"
    SCRUB_FILLER = "scrub_filler"
    SCRUB_SALT_SUGAR = "scrub_salt_sugar"
    UV_MINERAL = "uv_mineral"


@dataclass(frozen=True)
class _NameRule:
    product_class: ProductClass | None  # None: recognised, never counted
    note: str  # the match note, or why it is not counted
    rule: _Rule = _Rule.ANYWHERE
    strength: RetinoidStrength | None = None


_STRENGTH_ORDER = list(RetinoidStrength)  # strongest first


@cache
def _table() -> dict[str, _NameRule]:
    """Every known name, squashed, → its entry. Built once; a name listed twice is a bug."""
    table: dict[str, _NameRule] = {}

    def add(entries: dict[str, str], product_class: ProductClass | None, rule: _Rule = _Rule.ANYWHERE,
            strength: RetinoidStrength | None = None) -> None:
        for name, note in entries.items():
            key = squash(name)
            if key in table:
                raise ValueError(f"{name!r} is listed twice in ingredient_names")
            table[key] = _NameRule(product_class, note, rule, strength)

    for strength, retinoids in names.RETINOIDS.items():
        note = names.RETINOID_NOTES[strength]
        add(dict.fromkeys(retinoids, note), ProductClass.RETINOID, strength=strength)
    add(names.AHA_ANYWHERE, ProductClass.AHA)
    add(names.AHA_PH_ADJUSTERS, ProductClass.AHA, _Rule.PH_ADJUSTER)
    add(names.BHA, ProductClass.BHA)
    add(names.PHA_ANYWHERE, ProductClass.PHA)
    add(names.PHA_POSITIONAL, ProductClass.PHA, _Rule.GLUCONOLACTONE)
    add(names.ENZYMES, ProductClass.ENZYME)
    add(names.FRUIT_ENZYMES, ProductClass.ENZYME, _Rule.FRUIT_ENZYME)
    add(names.SCRUB_ALWAYS, ProductClass.PHYSICAL_EXFOLIANT)
    add(names.SCRUB_BEADS, ProductClass.PHYSICAL_EXFOLIANT, _Rule.SCRUB_BEAD)
    add(names.SCRUB_FILLERS, ProductClass.PHYSICAL_EXFOLIANT, _Rule.SCRUB_FILLER)
    add(names.SCRUB_SALT_SUGAR, ProductClass.PHYSICAL_EXFOLIANT, _Rule.SCRUB_SALT_SUGAR)
    add(names.OTHER_ACTIVES, ProductClass.OTHER_ACTIVE)
    add(names.UV_FILTERS, ProductClass.SUNSCREEN)
    add(names.UV_MINERALS, ProductClass.SUNSCREEN, _Rule.UV_MINERAL)
    add(names.NOT_COUNTED, None)
    return table


def _lookup(item: Item) -> _NameRule | None:
    table = _table()
    for key in item.keys:
        if key in table:
            return table[key]
    for prefix, why in names.NOT_COUNTED_PREFIXES.items():
        if item.keys and item.keys[0].startswith(squash(prefix)):
            return _NameRule(None, why)
    return None


# --------------------------------------------------------------------------
# Classification
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Signals:
    """What the whole text says about the product, beyond any one ingredient."""

    scrub_words: bool  # "scrub", "beads", "polish"…
    enzyme_words: bool  # "enzyme", "papain"…
    definite_scrub: bool  # a shell or kernel powder, pumice…
    rinse_off: bool  # cleansing surfactants: a wash


def _has_word(text: str, words: tuple[str, ...]) -> bool:
    return re.search(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", text, re.IGNORECASE) is not None


def _signals(text: str, items: list[Item]) -> _Signals:
    entries = [_lookup(i) for i in items]
    return _Signals(
        scrub_words=_has_word(text, names.SCRUB_WORDS),
        enzyme_words=_has_word(text, names.ENZYME_WORDS),
        definite_scrub=any(e is not None and e.product_class is ProductClass.PHYSICAL_EXFOLIANT
                           and e.rule is _Rule.ANYWHERE for e in entries),
        rinse_off=any(k in _SURFACTANTS for i in items for k in i.keys),
    )


def _why_not_counted(entry: _NameRule, item: Item, section: Section, signals: _Signals) -> str | None:
    """None if the entry counts at this place in the list, else the reason it does not."""
    if entry.rule is _Rule.ANYWHERE or section.is_active:
        return None
    size = len(section.items)
    above_line = item.index < section.line
    first_half = item.index < max(2, math.ceil(size / 2))
    if entry.rule in (_Rule.PH_ADJUSTER, _Rule.GLUCONOLACTONE):
        if item.percent is not None and item.percent >= 1:
            return None
        if entry.rule is _Rule.GLUCONOLACTONE and _next_to_preservative(item, section):
            return "part of a preservative blend (with sodium benzoate), not an exfoliant"
        if above_line and first_half:
            return None
        where = f"after {section.marker}" if not above_line else f"position {item.index + 1} of {size}"
        return f"low in the list ({where}): likely a pH adjuster, not an exfoliant"
    if entry.rule is _Rule.UV_MINERAL:
        if (item.percent is not None and item.percent >= 1) or (above_line and first_half):
            return None
        where = f"after {section.marker}" if not above_line else f"position {item.index + 1} of {size}"
        return f"low in the list ({where}): a white pigment or colourant here, not a sunscreen"
    if entry.rule is _Rule.FRUIT_ENZYME:
        if signals.enzyme_words or item.index < 3:
            return None
        return "fruit extract, no enzyme named and not high in the list: not counted as an enzyme exfoliant"
    if entry.rule is _Rule.SCRUB_BEAD:
        if above_line and (signals.scrub_words or signals.definite_scrub or signals.rinse_off):
            return None
        return "a wax, film former or coating here: no sign this is a scrub"
    if entry.rule is _Rule.SCRUB_FILLER:
        if above_line and first_half and (signals.scrub_words or signals.definite_scrub):
            return None
        return "usually a thickener, mattifier or filler: no sign this is a scrub"
    before = section.items[: item.index]
    if item.index < 2 and not any(w in names.WATER_WORDS for i in before for w in i.tokens):
        return None
    return "a thickener or humectant here: a scrub only as the base of a salt or sugar scrub"


def _next_to_preservative(item: Item, section: Section) -> bool:
    neighbours = section.items[max(item.index - 1, 0): item.index + 2]
    return any(n is not item and n.keys and n.keys[0] in _BLEND_PARTNERS for n in neighbours)


def _found_by_word(item: Item) -> list[IngredientMatch]:
    """Exosomes and peptides, recognised by a word inside the name."""
    squashed = "".join(item.tokens)
    found = []
    if any(m in squashed for m in names.EXOSOME_MARKERS):
        note = f"Exosome ({_source_of(item).value} source)"
        found.append(IngredientMatch(ProductClass.EXOSOME, item.name, item.position, note))
    if any(m in squashed for m in names.PEPTIDE_MARKERS):
        found.append(IngredientMatch(ProductClass.PEPTIDE, item.name, item.position, "Peptide"))
    return found


def classify(text: str) -> Classification:
    """Classify a pasted ingredient list; GENTLE when nothing paused, no exosome, no peptide, no
    UV filter."""
    sections = parse(text)
    signals = _signals(text, [item for section in sections for item in section.items])
    matches: list[IngredientMatch] = []
    ignored: dict[tuple[str, str], None] = {}  # ordered and without repeats
    strengths: list[RetinoidStrength] = []
    for section in sections:
        for item in section.items:
            entry = _lookup(item)
            if entry is None or entry.product_class is None:
                found = _found_by_word(item)
                matches += found
                if entry is not None and not found:
                    ignored[(item.name, entry.note)] = None
                continue
            why_not = _why_not_counted(entry, item, section, signals)
            if why_not:
                ignored[(item.name, why_not)] = None
                continue
            matches.append(IngredientMatch(entry.product_class, item.name, item.position, entry.note))
            if entry.strength is not None:
                strengths.append(entry.strength)
    classes = frozenset(m.product_class for m in matches) or frozenset({ProductClass.GENTLE})
    strength = min(strengths, key=_STRENGTH_ORDER.index) if strengths else None
    return Classification(classes, tuple(matches), strength, tuple(ignored))


# --------------------------------------------------------------------------
# Exosome sources
# --------------------------------------------------------------------------

_BINOMIAL = re.compile(r"^[A-Z][a-z]+ [A-Za-z]+ \(")  # INCI botanical: "Rosa Damascena (Rose) …"


def _source_of(item: Item) -> ExosomeSource:
    """Where one exosome ingredient comes from, by its words: a named animal beats a tissue word
    (red deer umbilical cord is animal), a botanical name is a plant, nothing named is unknown."""
    words = set(item.tokens)
    if words.intersection(names.EXOSOME_HUMAN_WORDS):
        return ExosomeSource.HUMAN
    if words.intersection(names.EXOSOME_ANIMAL_WORDS):
        return ExosomeSource.ANIMAL
    if words.intersection(names.EXOSOME_PLANT_WORDS) or _BINOMIAL.match(item.name):
        return ExosomeSource.PLANT
    if words.intersection(names.EXOSOME_HUMAN_TISSUE_WORDS):
        return ExosomeSource.HUMAN
    return ExosomeSource.UNKNOWN


# --------------------------------------------------------------------------
# Ingredients some rules name
# --------------------------------------------------------------------------

#: Ingredient (as the classifier's tables spell it, compared blind to case and punctuation) →
#: the key the clash and pregnancy rules use. Only ingredients a rule names are listed.
_NAMED_KEYS = {
    "tretinoin": "tretinoin", "retinoicacid": "tretinoin", "alltransretinoicacid": "tretinoin",
    "tazarotene": "tazarotene", "adapalene": "adapalene", "trifarotene": "trifarotene",
    "benzoylperoxide": "benzoyl_peroxide", "hydroquinone": "hydroquinone", "salicylicacid": "salicylic_acid",
}


def ingredient_keys(classification: Classification) -> frozenset[str]:
    """The named ingredients (``_NAMED_KEYS``) among the ones that made a product's classes."""
    found = set()
    for match in classification.matches:
        key = _NAMED_KEYS.get(re.sub(r"[^a-z]", "", match.ingredient.lower()))
        if key is not None:
            found.add(key)
    return frozenset(found)
