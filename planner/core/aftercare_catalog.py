"""Aftercare beyond products, per procedure kind: how long to keep off makeup, sweat, heat, pools
and picking, and why.

Clinic sheets give these as hours ("no makeup for 24 hours") or, for peeling and open skin, as
days; the numbers live in ``aftercare.toml`` with the range the sources give and the sources
themselves, under the same rules as the windows (catalog.py): inside the range, the standard
value on the cautious side, a ``basis`` where no source gives a number. Sun protection is the
catalog's own field (``sun_protection_days`` in procedures.toml). Pure, loaded once per process.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from planner.core import catalog
from planner.core.catalog import CatalogError, SourcedRange
from planner.core.model import AftercareTopic, Intensity

HOURS, DAYS = "hours", "days"
#: The topics aftercare.toml may list, in the order a day shows them (sun comes first, from the catalog).
TOPICS = (AftercareTopic.MAKEUP, AftercareTopic.SWEAT, AftercareTopic.HEAT, AftercareTopic.SWIMMING,
          AftercareTopic.PICKING)
#: What each topic keeps off, as it reads after "No" / "Don't".
WHAT = {
    AftercareTopic.MAKEUP: "No makeup",
    AftercareTopic.SWEAT: "No workouts or heavy sweating",
    AftercareTopic.HEAT: "No sauna, steam room, hot tub, hot yoga or hot showers",
    AftercareTopic.SWIMMING: "No swimming pools (chlorine)",
    AftercareTopic.PICKING: "Don't pick, scratch or peel flaking skin",
}


@dataclass(frozen=True)
class AftercareRule:
    """One topic of one kind: its hours or days per intensity, the sources' range and why."""

    topic: AftercareTopic
    unit: str  # HOURS (from the end of the treatment) or DAYS (D … D+n)
    span: SourcedRange

    def amount(self, level: Intensity) -> int:
        return self.span.values[level]


@cache
def _rules() -> dict[str, tuple[AftercareRule, ...]]:
    raw = tomllib.loads(resources.files("planner.core").joinpath("aftercare.toml").read_text(encoding="utf-8"))
    rules: dict[str, tuple[AftercareRule, ...]] = {}
    for kind, topics in raw.items():
        if not catalog.is_known(kind):
            raise CatalogError(f"aftercare.toml: {kind!r} is not a procedure kind of the catalog")
        parsed = []
        for name, table in topics.items():
            try:
                topic = AftercareTopic(name)
            except ValueError:
                raise CatalogError(f"aftercare.toml: {kind}.{name} is not an aftercare topic") from None
            if topic not in TOPICS:
                raise CatalogError(f"aftercare.toml: {kind}.{name}: sun is procedures.toml's sun_protection_days")
            unit = table.get("unit", HOURS)
            if unit not in (HOURS, DAYS):
                raise CatalogError(f"aftercare.toml: {kind}.{name}: unit must be {HOURS!r} or {DAYS!r}")
            parsed.append(AftercareRule(topic, unit, catalog.sourced_range(f"aftercare.{kind}.{name}", table)))
        rules[kind] = tuple(sorted(parsed, key=lambda r: TOPICS.index(r.topic)))
    return rules


def rules_for(kind: str) -> tuple[AftercareRule, ...]:
    """The kind's aftercare topics in display order; () for a kind with none (or unknown)."""
    return _rules().get(kind, ())


def source_keys(kind: str) -> tuple[str, ...]:
    """Every source the kind's aftercare cites, in order of first citation."""
    return tuple(dict.fromkeys(k for rule in rules_for(kind) for k in rule.span.sources))


def _amount(n: int, unit: str) -> str:
    word = unit[:-1] if n == 1 else unit
    return f"{n} {word}"


def explain(kind: str, intensity: Intensity | str = Intensity.STANDARD) -> list[str]:
    """Sentences for /about: each topic with its number, its place in the sources' range and the sources."""
    level = Intensity(intensity)
    lines = []
    for rule in rules_for(kind):
        n = rule.amount(level)
        keys = ", ".join(rule.span.sources)
        if rule.span.range is None:
            evidence = f"no source-backed range; sources: {keys}"
        else:
            lo, hi = rule.span.range
            span = _amount(lo, rule.unit) if lo == hi else f"{lo}–{hi} {rule.unit}"
            evidence = f"{level.value} value; sources give {span} — {keys}"
        after = "after the treatment" if rule.unit == HOURS else "from the treatment day on"
        what = f"{WHAT[rule.topic]} for {_amount(n, rule.unit)} {after}" if n else f"{WHAT[rule.topic][3:].capitalize()}: no wait needed"
        line = f"{what} ({evidence})."
        lines.append(f"{line} {rule.span.basis}" if rule.span.basis else line)
    return lines
