"""Pasted ingredient text → clean INCI names, sections and the "1% line".

Users paste whatever the box or the shop page says: INCI lists, Drug Facts panels
(active and inactive sections), marketing text, percentages, "may contain" tails.
This module turns that into positioned names with lookup keys; ingredients.py
decides what they mean. Pure: stdlib only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from planner.core import ingredient_names as names

# --------------------------------------------------------------------------
# Splitting
# --------------------------------------------------------------------------

_INGREDIENT_HEADERS = r"(?:(?:active|inactive|other|full|key)\s+)?ingredients?(?:\s+list)?|inci|contains"
_OTHER_HEADERS = (
    r"uses|warnings?|directions(?:\s+for\s+use)?|how\s+to\s+use|drug\s+facts"
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
class Item:
    name: str  # as the user wrote it, cleaned
    position: int  # 1-based, in the whole list
    index: int  # 0-based, within its section
    percent: float | None  # printed next to the name
    keys: tuple[str, ...]  # squashed names to look up, most specific first
    tokens: tuple[str, ...]  # words of the name, for word and source checks


@dataclass(frozen=True)
class Section:
    """One run of ingredients under one header, with its 1% line."""

    items: tuple[Item, ...]
    is_active: bool  # a Drug Facts "Active ingredients" section
    line: int  # index of the first 1%-line marker; len(items) when there is none
    marker: str  # that marker's name, "" when there is none


def split_inci(text: str) -> list[str]:
    """Split pasted ingredient text into cleaned names, keeping the user's spelling."""
    return [item.name for section in parse(text) for item in section.items]


class _Header(NamedTuple):
    start: int
    end: int
    kind: str  # "full" (an ingredient list), "key" (marketing's key ingredients) or "" (anything else)
    is_active: bool  # "Active ingredient(s)"


def _sections(text: str) -> list[tuple[str, bool]]:
    """The ingredient parts of the text, each with whether it lists Drug Facts actives."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    headers = []
    for m in _HEADER.finditer(text):
        word = " ".join((m.group("lh") or m.group("ch")).lower().split())
        kind = ""
        if re.fullmatch(_INGREDIENT_HEADERS, word):
            kind = "key" if word.startswith("key") else "full"
        headers.append(_Header(m.start(), m.end(), kind, word.startswith("active")))
    kinds = {h.kind for h in headers}
    wanted = "full" if "full" in kinds else "key" if "key" in kinds else None
    if wanted is None:
        return [(text[: headers[0].start if headers else len(text)], False)]
    # Text before a warning or directions is the list itself; before "Ingredients:" it is a blurb.
    sections = [(text[: headers[0].start], False)] if headers[0].kind == "" else []
    for header, following in zip(headers, [*headers[1:], None]):
        if header.kind == wanted:
            body = text[header.end: following.start if following else len(text)]
            sections.append((_PURPOSE_AFTER_HEADER.sub("", body, count=1), header.is_active))
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
        elif ch in _SEPARATORS and depth == 0:
            if ch == "," and 0 < i < len(body) - 1 and body[i - 1].isdigit() and body[i + 1].isdigit():
                continue
            pieces.append(body[start:i])
            start = i + 1
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


def parse(text: str) -> list[Section]:
    sections: list[Section] = []
    position = 0
    for body, is_active in _sections(text):
        cleaned = [(name, pct) for name, pct in map(_clean, _split_section(body))
                   if re.search(r"[^\W\d_]", name) and name.lower() != "purpose"]
        items = []
        for index, (name, pct) in enumerate(cleaned):
            position += 1
            items.append(Item(name, position, index, pct, *_keys(name)))
        marker = next((i for i in items if is_marker(i)), None)
        line, marker_name = (marker.index, marker.name) if marker else (len(items), "")
        sections.append(Section(tuple(items), is_active, line, marker_name))
    return sections


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
    """Lookup keys: without the bracketed parts, with them, then each bracketed part alone.

    A bracketed part counts alone only behind a short label ("Vitamin C (Ascorbic Acid)"), never
    behind a botanical ("Saccharum Officinarum (Sugar) Extract" is not sugar).
    """
    outer = _BRACKETED.sub(" ", name)
    variants = [outer, name]
    if len(_words(outer)) <= 2:
        variants += [m.group()[1:-1] for m in _BRACKETED.finditer(name)]
    keys = dict.fromkeys("".join(_words(v)) for v in variants)
    keys.pop("", None)
    return tuple(keys), _words(name)


def squash(name: str) -> str:
    return "".join(_words(_BRACKETED.sub(" ", name)))


_MARKERS = frozenset(map(squash, names.ONE_PERCENT_MARKERS))


def is_marker(item: Item) -> bool:
    """At or below 1% by itself: a preservative, chelator, gum, fragrance or colorant (CI 12345)."""
    alternatives = item.name.split("/") if "/" in item.name else []  # "Parfum/Fragrance"
    keys = item.keys + tuple(map(squash, alternatives))
    return any(k in _MARKERS for k in keys) or bool(item.keys and re.fullmatch(r"ci\d{5}", item.keys[0]))
