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
  line in a rinse-off cleanser or when the text speaks of a scrub or beads. Fillers (silica,
  cellulose, diatomaceous earth) need that wording or a definite scrub particle, and a place
  in the first half above the 1% line. Salt and sugar count only as one of the first two
  ingredients with no water before them (salt and sugar scrubs).
"""

from __future__ import annotations

import enum
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from planner.core import ingredient_names as names
from planner.core.model import (
    Classification,
    ExosomeSource,
    IngredientMatch,
    ProductClass,
    RetinoidStrength,
)

__all__ = ["classify", "guess_exosome_source", "split_inci"]


# --------------------------------------------------------------------------
# Splitting
# --------------------------------------------------------------------------

_INGREDIENT_HEADERS = r"(?:(?:active|inactive|other|full)\s+)?ingredients?(?:\s+list)?|inci"
_OTHER_HEADERS = (
    r"key\s+ingredients?|uses|warnings?|directions(?:\s+for\s+use)?|how\s+to\s+use|drug\s+facts"
    r"|other\s+information|questions(?:\s+or\s+comments)?|storage|caution|description"
)
_HEADER = re.compile(
    rf"(?im)(?P<line>^[ \t]*(?P<lh>{_OTHER_HEADERS}|{_INGREDIENT_HEADERS})\b(?:\s*\(s\))?[ \t]*:?)"
    rf"|(?P<colon>\b(?P<ch>{_OTHER_HEADERS}|{_INGREDIENT_HEADERS})(?:\s*\(s\))?[ \t]*:)"
)
_PURPOSE_AFTER_HEADER = re.compile(r"(?i)^[ \t]*purpose\b:?")
_MAY_CONTAIN_PAREN = re.compile(r"(?i)\([^()]*(?:may\s+contain|adjust\s+ph)[^()]*\)")
_TAIL = re.compile(r"(?i)\[\s*\+\s*/\s*-|\(\s*\+\s*/\s*-|\+\s*/\s*-|\bmay\s+contain\b")
_PERCENT = re.compile(r"[<>≤≥~]?\s*(\d+(?:[.,]\d+)?)\s*%(?:\s*w/w)?", re.IGNORECASE)
_SEPARATORS = ",;\n•·●▪◦|"
_AND = re.compile(r"(?i)\(\s*and\s*\)")
_LEADING_JUNK = re.compile(r"(?i)^(?:[\s\-–—*†‡:.]|\d{1,3}[.)]\s|and\s)+")
_TRAILING_JUNK = " .…·*†‡:,-–—"
#: No INCI name is this long; the cap also keeps every regex below linear on junk input.
_MAX_NAME = 200


@dataclass(frozen=True)
class _Item:
    name: str  # as the user wrote it, cleaned
    position: int  # 1-based, in the whole list
    index: int  # 0-based, within its section
    section_size: int
    in_active_section: bool  # a Drug Facts "Active ingredients" section
    percent: float | None  # printed next to the name
    keys: tuple[str, ...]  # squashed names to look up, most specific first
    tokens: tuple[str, ...]  # words of the name, for substring and source checks


def split_inci(text: str) -> list[str]:
    """Split pasted ingredient text into cleaned names, keeping the user's spelling."""
    return [item.name for item in _parse(text)]


def _sections(text: str) -> list[tuple[str, bool]]:
    """The ingredient parts of the text, each with whether it lists Drug Facts actives."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    headers = []
    for m in _HEADER.finditer(text):
        word = (m.group("lh") or m.group("ch")).lower()
        is_ingredients = re.fullmatch(_INGREDIENT_HEADERS, word) is not None
        headers.append((m.start(), m.end(), is_ingredients, word.startswith("active")))
    if not any(is_ingredients for _, _, is_ingredients, _ in headers):
        end = headers[0][0] if headers else len(text)
        return [(text[:end], False)]
    sections = []
    for i, (_, end, is_ingredients, is_active) in enumerate(headers):
        if is_ingredients:
            stop = headers[i + 1][0] if i + 1 < len(headers) else len(text)
            body = _PURPOSE_AFTER_HEADER.sub("", text[end:stop], count=1)
            sections.append((body, is_active))
    return sections


def _split_section(body: str) -> list[str]:
    """Split at top-level separators; commas between digits ("1,2-Hexanediol") are not ones."""
    body = _MAY_CONTAIN_PAREN.sub("", body)
    tail = _TAIL.search(body)
    if tail:
        body = body[: tail.start()]
    body = _drop_unmatched_brackets(_AND.sub("\n", body))
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
        elif ch in _SEPARATORS and (depth == 0 or ch == "\n"):
            if ch == "," and 0 < i < len(body) - 1 and body[i - 1].isdigit() and body[i + 1].isdigit():
                continue
            pieces.append(body[start:i])
            start, depth = i + 1, 0
    pieces.append(body[start:])
    return pieces


def _drop_unmatched_brackets(text: str) -> str:
    """Blank out brackets that never close (or never opened), so one typo cannot swallow a list."""
    chars, stack = list(text), []
    for i, ch in enumerate(chars):
        if ch in "([":
            stack.append(i)
        elif ch in ")]":
            if stack:
                stack.pop()
            else:
                chars[i] = " "
        elif ch == "\n":  # a bracket never spans lines
            for j in stack:
                chars[j] = " "
            stack.clear()
    for j in stack:
        chars[j] = " "
    return "".join(chars)


def _clean(piece: str) -> tuple[str, float | None]:
    """One raw piece → (display name, printed percentage)."""
    piece = piece.strip()[:_MAX_NAME]
    percent = None
    m = _PERCENT.search(piece)
    if m:
        percent = float(m.group(1).replace(",", "."))
        before = piece[: m.start()]
        piece = before if re.search(r"[^\W\d_]", before) else _PERCENT.sub(" ", piece)
    piece = _LEADING_JUNK.sub("", piece)
    piece = _drop_unmatched_brackets(re.sub(r"\(\s*\)|\[\s*\]", " ", piece))
    piece = " ".join(piece.split()).rstrip(_TRAILING_JUNK)
    return piece, percent


def _parse(text: str) -> list[_Item]:
    items: list[_Item] = []
    for body, is_active in _sections(text):
        cleaned = [_clean(piece) for piece in _split_section(body)]
        cleaned = [(name, pct) for name, pct in cleaned if re.search(r"[^\W\d_]", name)
                   and name.lower() != "purpose"]
        for index, (name, pct) in enumerate(cleaned):
            keys, tokens = _keys(name)
            items.append(_Item(name, len(items) + 1, index, len(cleaned), is_active, pct, keys, tokens))
    return items


# --------------------------------------------------------------------------
# Names → keys
# --------------------------------------------------------------------------

_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def _words(text: str) -> tuple[str, ...]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = [names.SPELLING.get(w, w) for w in re.findall(r"[a-z0-9]+", ascii_text)]
    while len(words) > 1 and words[0] in names.LEADING_QUALIFIERS:
        words.pop(0)
    while len(words) > 1 and words[-1] in names.TRAILING_QUALIFIERS:
        words.pop()
    return tuple(words)


def _keys(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Lookup keys: without the bracketed parts, with them, then each bracketed part alone."""
    variants = [_BRACKETED.sub(" ", name), name, *(m.group()[1:-1] for m in _BRACKETED.finditer(name))]
    keys = dict.fromkeys("".join(_words(v)) for v in variants)
    keys.pop("", None)
    return tuple(keys), _words(name)


def _squash(name: str) -> str:
    return "".join(_words(_BRACKETED.sub(" ", name)))


class _Rule(enum.Enum):
    ANYWHERE = "anywhere"
    PH_ADJUSTER = "ph_adjuster"
    GLUCONOLACTONE = "gluconolactone"
    FRUIT_ENZYME = "fruit_enzyme"
    SCRUB_BEAD = "scrub_bead"
    SCRUB_FILLER = "scrub_filler"
    SCRUB_SALT_SUGAR = "scrub_salt_sugar"


@dataclass(frozen=True)
class _Entry:
    product_class: ProductClass | None  # None: recognised, never counted
    note: str  # the match note, or why it is not counted
    rule: _Rule = _Rule.ANYWHERE
    strength: RetinoidStrength | None = None


_RETINOID_NOTES = {
    RetinoidStrength.PRESCRIPTION: "Retinoid: prescription strength",
    RetinoidStrength.RETINAL: "Retinoid: retinal",
    RetinoidStrength.RETINOL: "Retinoid: retinol class",
    RetinoidStrength.WEAK_ESTER: "Retinoid: weak ester",
}
_STRENGTH_ORDER = list(RetinoidStrength)  # strongest first


@cache
def _table() -> dict[str, _Entry]:
    """Every known name, squashed, → its entry. Built once; a name listed twice is a bug."""
    table: dict[str, _Entry] = {}

    def add(entries: dict[str, str], product_class: ProductClass | None, rule: _Rule = _Rule.ANYWHERE,
            strength: RetinoidStrength | None = None) -> None:
        for name, note in entries.items():
            key = _squash(name)
            if key in table:
                raise ValueError(f"{name!r} is listed twice in ingredient_names")
            table[key] = _Entry(product_class, note, rule, strength)

    for strength, retinoids in names.RETINOIDS.items():
        add(dict.fromkeys(retinoids, _RETINOID_NOTES[strength]), ProductClass.RETINOID, strength=strength)
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
    add(names.NOT_COUNTED, None)
    return table


def _lookup(item: _Item) -> _Entry | None:
    table = _table()
    for key in item.keys:
        if key in table:
            return table[key]
    for prefix, why in names.NOT_COUNTED_PREFIXES.items():
        if item.keys and item.keys[0].startswith(_squash(prefix)):
            return _Entry(None, why)
    return None


# --------------------------------------------------------------------------
# Classification
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    """Facts about the whole list that the position rules need."""

    one_percent_line: dict[int, tuple[int, str]]  # item position → (section index of line, marker)
    has_scrub_words: bool
    has_enzyme_words: bool
    has_definite_scrub: bool
    is_rinse_off: bool


def _word_in(text: str, words: tuple[str, ...]) -> bool:
    return re.search(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", text, re.IGNORECASE) is not None


def _context(text: str, items: list[_Item]) -> _Context:
    markers = {_squash(n) for n in names.ONE_PERCENT_MARKERS}
    surfactants = {_squash(n) for n in names.RINSE_OFF_SURFACTANTS}
    line: dict[int, tuple[int, str]] = {}
    current: tuple[int, str] | None = None
    for item in items:
        if item.index == 0:  # a new section
            current = next(((i.index, i.name) for i in items[item.position - 1: item.position - 1 + item.section_size]
                            if _is_marker(i, markers)), None)
        line[item.position] = current or (item.section_size, "")
    return _Context(
        one_percent_line=line,
        has_scrub_words=_word_in(text, names.SCRUB_WORDS),
        has_enzyme_words=_word_in(text, names.ENZYME_WORDS),
        has_definite_scrub=any((e := _lookup(i)) is not None and e.product_class is ProductClass.PHYSICAL_EXFOLIANT
                               and e.rule is _Rule.ANYWHERE for i in items),
        is_rinse_off=any(k in surfactants for i in items for k in i.keys),
    )


def _is_marker(item: _Item, markers: set[str]) -> bool:
    return any(k in markers for k in item.keys) or re.fullmatch(r"ci\d{5}", item.keys[0] if item.keys else "") is not None


def _why_not_counted(entry: _Entry, item: _Item, items: list[_Item], ctx: _Context) -> str | None:
    """None if the entry counts at this place in the list, else the reason it does not."""
    if entry.rule is _Rule.ANYWHERE or item.in_active_section:
        return None
    line, marker = ctx.one_percent_line[item.position]
    above_line = item.index < line
    first_half = item.index < max(2, math.ceil(item.section_size / 2))
    where = f"after {marker}" if marker and not above_line else f"position {item.index + 1} of {item.section_size}"
    if entry.rule in (_Rule.PH_ADJUSTER, _Rule.GLUCONOLACTONE):
        if item.percent is not None and item.percent >= 1:
            return None
        if entry.rule is _Rule.GLUCONOLACTONE and _next_to_preservative(item, items):
            return "part of a preservative blend (with sodium benzoate), not an exfoliant"
        return None if above_line and first_half else f"low in the list ({where}): likely a pH adjuster, not an exfoliant"
    if entry.rule is _Rule.FRUIT_ENZYME:
        if ctx.has_enzyme_words or item.index < 3:
            return None
        return "fruit extract with no enzyme named and not high in the list: not counted as an enzyme exfoliant"
    if entry.rule is _Rule.SCRUB_BEAD:
        if above_line and (ctx.has_scrub_words or ctx.has_definite_scrub or ctx.is_rinse_off):
            return None
        return "a wax, film former or coating here: no sign this is a scrub"
    if entry.rule is _Rule.SCRUB_FILLER:
        if above_line and first_half and (ctx.has_scrub_words or ctx.has_definite_scrub):
            return None
        return "usually a thickener, mattifier or filler: no sign this is a scrub"
    before = items[item.position - 1 - item.index: item.position - 1]
    if item.index < 2 and not any(w in names.WATER_WORDS for i in before for w in i.tokens):
        return None
    return "a thickener or humectant here: a scrub only as the base of a salt or sugar scrub"


def _next_to_preservative(item: _Item, items: list[_Item]) -> bool:
    partners = {_squash(n) for n in names.PRESERVATIVE_BLEND_PARTNERS}
    first = item.position - 1 - item.index
    neighbours = items[max(first, item.position - 2): min(first + item.section_size, item.position + 1)]
    return any(k in partners for n in neighbours if n is not item for k in n.keys[:1])


def _contains(item: _Item, markers: tuple[str, ...]) -> bool:
    squashed = "".join(item.tokens)
    return any(m in squashed for m in markers)


def classify(text: str) -> Classification:
    """Classify a pasted ingredient list; GENTLE when nothing paused, no exosome, no peptide."""
    items = _parse(text)
    ctx = _context(text, items)
    matches: list[IngredientMatch] = []
    ignored: dict[tuple[str, str], None] = {}
    strengths: list[RetinoidStrength] = []
    for item in items:
        entry = _lookup(item)
        if entry is None or entry.product_class is None:
            if _contains(item, names.EXOSOME_MARKERS):
                source = _source_of(item)
                matches.append(IngredientMatch(ProductClass.EXOSOME, item.name, item.position,
                                               f"Exosome ({source.value} source)"))
            if _contains(item, names.PEPTIDE_MARKERS):
                matches.append(IngredientMatch(ProductClass.PEPTIDE, item.name, item.position, "Peptide"))
            if entry is not None and not _contains(item, names.EXOSOME_MARKERS + names.PEPTIDE_MARKERS):
                ignored[(item.name, entry.note)] = None
            continue
        why_not = _why_not_counted(entry, item, items, ctx)
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

#: When a product mixes sources, the most cautious one wins.
_SOURCE_CAUTION = [ExosomeSource.HUMAN, ExosomeSource.UNKNOWN, ExosomeSource.ANIMAL, ExosomeSource.PLANT]
_BINOMIAL = re.compile(r"^[A-Z][a-z]+ [A-Za-z]+ \(")  # INCI botanical: "Rosa Damascena (Rose) …"


def _source_of(item: _Item) -> ExosomeSource:
    words = set(item.tokens)
    if words & set(names.EXOSOME_HUMAN_WORDS):
        return ExosomeSource.HUMAN
    if words & set(names.EXOSOME_ANIMAL_WORDS):
        return ExosomeSource.ANIMAL
    if words & set(names.EXOSOME_PLANT_WORDS) or _BINOMIAL.match(item.name):
        return ExosomeSource.PLANT
    if words & set(names.EXOSOME_HUMAN_TISSUE_WORDS):
        return ExosomeSource.HUMAN
    return ExosomeSource.UNKNOWN


def guess_exosome_source(text: str) -> ExosomeSource:
    """Where a product's exosomes come from, judged from the exosome ingredients' names.

    Human words (human, adipose, umbilical, placenta…) → HUMAN unless an animal is named
    (bovine, milk, colostrum, deer, salmon…) → ANIMAL; plant words, callus or an INCI botanical
    name → PLANT. Microbial vesicles and unnamed sources are UNKNOWN. With several exosome
    ingredients the most cautious source wins (human, unknown, animal, plant); none → UNKNOWN.
    """
    sources = {_source_of(item) for item in _parse(text) if _contains(item, names.EXOSOME_MARKERS)}
    return min(sources, key=_SOURCE_CAUTION.index) if sources else ExosomeSource.UNKNOWN
