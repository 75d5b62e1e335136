"""The procedure catalog: how long to pause products around each in-office procedure, and why.

The numbers live in ``procedures.toml`` rather than in code so that every window travels with
the range the sources give and the sources themselves (``sources.toml``): the plan can show a
user *why* a pause lasts N days, and a reviewer can check each number against its source.
Intensity moves a number inside its sourced range; a clinician's own numbers always win.
Pure (stdlib only) and loaded once per process.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from planner.core.model import Intensity, Overrides, Windows

#: Longest clinician override accepted, in days.
MAX_OVERRIDE_DAYS = 365
#: Catalog field (as in Windows/Overrides and procedures.toml) → ProcedureKind attribute.
FIELD_ATTRS: dict[str, str] = {
    "washout_days_before": "washout",
    "retinoid_days_after": "retinoid",
    "actives_days_after": "actives",
    "downtime_days": "downtime",
}
OVERRIDABLE_FIELDS = ("washout_days_before", "retinoid_days_after", "actives_days_after", "home_serum_from_day")
#: The optional catalog field for open-wound procedures: the day the skin has healed over.
HEALING_FIELD = "reepithelialization_days"
#: The catalog field for daily sunscreen and sun avoidance after the procedure (aftercare.py).
SUN_FIELD = "sun_protection_days"

#: The reference's quality tags as a user reads them ("textbook", "physician" read as they are).
_KIND_LABELS = {
    "peer_reviewed": "study", "manufacturer_template": "manufacturer sheet", "clinic": "clinic sheet",
    "association": "association page", "regulator": "regulator page", "educational": "educational page",
    "vendor": "vendor page", "secondary_news": "news report",
}


class UnknownProcedure(KeyError):
    """Raised for a procedure kind that is not in the catalog."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key

    def __str__(self) -> str:
        return f"unknown procedure kind {self.key!r}; known kinds: {', '.join(_catalog()[0])}"


class CatalogError(ValueError):
    """The packaged catalog data is inconsistent (a bug in procedures.toml / sources.toml)."""


@dataclass(frozen=True)
class Source:
    key: str
    url: str
    kind: str  # quality tag: clinic, physician, peer_reviewed, textbook, association…
    note: str = ""

    @property
    def kind_label(self) -> str:
        return _KIND_LABELS.get(self.kind, self.kind.replace("_", " "))


@dataclass(frozen=True)
class IntensityValues(Mapping[Intensity, int]):
    """Days for each intensity: a small frozen (hashable) mapping."""

    light: int
    standard: int
    aggressive: int

    def __getitem__(self, intensity: Intensity | str) -> int:
        try:
            return getattr(self, Intensity(intensity).value)
        except ValueError:
            raise KeyError(intensity) from None

    def __iter__(self) -> Iterator[Intensity]:
        return iter(Intensity)

    def __len__(self) -> int:
        return len(Intensity)


@dataclass(frozen=True)
class SourcedRange:
    """One window: its days per intensity, the range the sources give, and why."""

    values: IntensityValues
    range: tuple[int, int] | None  # None: no source-backed number; see basis
    sources: tuple[str, ...]
    basis: str = ""


@dataclass(frozen=True)
class ProcedureKind:
    key: str
    label: str
    description: str
    washout: SourcedRange
    retinoid: SourcedRange
    actives: SourcedRange  # acids, enzymes, scrubs, benzoyl peroxide, vitamin C…
    downtime: SourcedRange
    serum_on_procedure_day: bool
    serum_sources: tuple[str, ...]
    follow_clinician: bool
    notes: tuple[str, ...]
    group: str = ""  # picker heading: Needling, Facials, Peels, Light and laser, Injectables
    area_note: str = ""  # e.g. body treatments do not restrict facial products
    #: Open-wound procedures only: the day (after D) the skin has healed over, per intensity.
    healing: SourcedRange | None = None
    #: Days after the procedure (D+1 … D+n, and D) of daily sunscreen and no direct sun, per intensity.
    sun: SourcedRange | None = None
    #: The first day (D = 0) sunscreen may go on the treated skin (freshly needled skin waits a day).
    sunscreen_from_day: int = 0

    def window(self, field: str) -> SourcedRange:
        """The SourcedRange for a Windows field name such as ``retinoid_days_after``."""
        return getattr(self, FIELD_ATTRS[field])

    def source_keys(self) -> tuple[str, ...]:
        keys = [k for f in FIELD_ATTRS for k in self.window(f).sources] + list(self.serum_sources)
        if self.healing is not None:
            keys += self.healing.sources
        if self.sun is not None:
            keys += self.sun.sources
        return tuple(dict.fromkeys(keys))

    def home_serum_from_day(self, level: Intensity) -> int:
        """The first day (D = 0) home products go back on: the day after the skin healed over."""
        return 0 if self.healing is None else self.healing.values[level] + 1

    def sources(self) -> tuple[Source, ...]:
        """Every source this kind cites, in order of first citation."""
        return tuple(get_source(k) for k in self.source_keys())


def _read(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files("planner.core").joinpath(name).read_text(encoding="utf-8"))


def _parse_range(where: str, raw: dict[str, Any], known: Mapping[str, Source]) -> SourcedRange:
    values = IntensityValues(raw["light"], raw["standard"], raw["aggressive"])
    bounds = tuple(raw["range"])
    if len(bounds) not in (0, 2):
        raise CatalogError(f"{where}: range must be [] or [min, max]")
    if not all(type(v) is int and v >= 0 for v in (*values.values(), *bounds)):
        raise CatalogError(f"{where}: days must be whole numbers >= 0")
    if not values.light <= values.standard <= values.aggressive:
        raise CatalogError(f"{where}: need light <= standard <= aggressive")
    if bounds and not bounds[0] <= values.light <= values.aggressive <= bounds[1]:
        raise CatalogError(f"{where}: values must lie inside range {list(bounds)}")
    if not bounds and not raw.get("basis"):
        raise CatalogError(f"{where}: a window without a sourced range needs a basis")
    sources = tuple(raw["sources"])
    if missing := [k for k in sources if k not in known]:
        raise CatalogError(f"{where}: sources not in sources.toml: {missing}")
    span = (bounds[0], bounds[1]) if bounds else None
    return SourcedRange(values, span, sources, raw.get("basis", ""))


def sourced_range(where: str, raw: dict[str, Any]) -> SourcedRange:
    """A table of days or hours with its range and sources, checked like the windows (for
    aftercare.toml, which shares the windows' rules)."""
    return _parse_range(where, raw, _catalog()[1])


def _parse_kind(key: str, raw: dict[str, Any], known: Mapping[str, Source]) -> ProcedureKind:
    windows = {attr: _parse_range(f"{key}.{f}", raw[f], known) for f, attr in FIELD_ATTRS.items()}
    serum_sources = tuple(raw["serum_sources"])
    if missing := [k for k in serum_sources if k not in known]:
        raise CatalogError(f"{key}.serum_sources not in sources.toml: {missing}")
    return ProcedureKind(
        key=key,
        label=raw["label"],
        description=raw["description"],
        serum_on_procedure_day=raw["serum_on_procedure_day"],
        serum_sources=serum_sources,
        follow_clinician=raw["follow_clinician"],
        notes=tuple(raw["notes"]),
        group=raw.get("group", ""),
        area_note=raw.get("area_note", ""),
        healing=_parse_range(f"{key}.{HEALING_FIELD}", raw[HEALING_FIELD], known) if HEALING_FIELD in raw else None,
        sun=_parse_range(f"{key}.{SUN_FIELD}", raw[SUN_FIELD], known) if SUN_FIELD in raw else None,
        sunscreen_from_day=raw.get(SUN_FIELD, {}).get("sunscreen_from_day", 0),
        **windows,
    )


@cache
def _catalog() -> tuple[dict[str, ProcedureKind], dict[str, Source]]:
    sources = {
        key: Source(key, raw["url"], raw["type"], raw.get("note", ""))
        for key, raw in _read("sources.toml").items()
    }
    # tomllib keeps table order, so the file's order is the picker order.
    tables = _read("procedures.toml")["procedure"]
    kinds = {key: _parse_kind(key, raw, sources) for key, raw in tables.items()}
    return kinds, sources


def procedure_kinds() -> tuple[ProcedureKind, ...]:
    """All kinds in picker order: grouped (needling, facials, peels, light and laser, injectables),
    gentlest first within a group."""
    return tuple(_catalog()[0].values())


def is_known(key: str) -> bool:
    return key in _catalog()[0]


def get_kind(key: str) -> ProcedureKind:
    try:
        return _catalog()[0][key]
    except KeyError:
        raise UnknownProcedure(key) from None


def get_source(key: str) -> Source:
    try:
        return _catalog()[1][key]
    except KeyError:
        raise KeyError(f"unknown source {key!r}") from None


def check_overrides(overrides: Overrides) -> dict[str, int]:
    """The overrides that are set, by field; ValueError unless each is a whole number 0..365."""
    chosen: dict[str, int] = {}
    for field in OVERRIDABLE_FIELDS:
        value = getattr(overrides, field)
        if value is None:
            continue
        if type(value) is not int or not 0 <= value <= MAX_OVERRIDE_DAYS:
            raise ValueError(
                f"{field.replace('_', ' ')} must be a whole number of days from 0 to "
                f"{MAX_OVERRIDE_DAYS}, got {value!r}"
            )
        chosen[field] = value
    return chosen


def windows_for(
    kind: str, intensity: Intensity | str = Intensity.STANDARD, overrides: Overrides = Overrides()
) -> Windows:
    """Resolve a kind's windows for an intensity; a clinician's overrides win, even outside the range."""
    procedure = get_kind(kind)
    level = Intensity(intensity)
    chosen = check_overrides(overrides)
    days = {f: chosen.get(f, procedure.window(f).values[level]) for f in FIELD_ATTRS}
    return Windows(
        **days,
        serum_on_procedure_day=procedure.serum_on_procedure_day,
        follow_clinician=procedure.follow_clinician,
        overridden=frozenset(chosen),
        home_serum_from_day=chosen.get("home_serum_from_day", procedure.home_serum_from_day(level)),
    )


def source_minimum(kind: str, field: str) -> int | None:
    """The smallest number the sources give for a field (its range's lower end, or the light
    value where the catalog has no sourced range); None for a field the kind does not have."""
    procedure = get_kind(kind)
    if field == "home_serum_from_day":
        healing = procedure.healing
        if healing is None:
            return None
        return (healing.range[0] if healing.range else healing.values.light) + 1
    window = procedure.window(field)
    return window.range[0] if window.range else window.values.light


def far_below_sources(kind: str, field: str, value: int) -> int | None:
    """The sources' minimum when ``value`` is far below it (under half of it), else None: a
    clinician's number that low is asked to be confirmed once, never refused."""
    minimum = source_minimum(kind, field)
    if minimum is None or minimum == 0:
        return None
    return minimum if value * 2 < minimum else None


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _plural(label: str, n: int) -> str:
    if n == 1:
        return label
    return label[:-1] + "ies" if label.endswith("y") else label + "s"


def _evidence(window: SourcedRange, level: Intensity) -> str:
    """The bracketed part of a sentence: the value's place in the sourced range, and the sources."""
    keys = ", ".join(window.sources)
    if window.range is None:
        return f"no source-backed range; sources: {keys}" if keys else "no source-backed range"
    counts: dict[str, int] = {}
    for key in window.sources:
        label = get_source(key).kind_label
        counts[label] = counts.get(label, 0) + 1
    kinds = ", ".join(f"{n} {_plural(label, n)}" for label, n in counts.items())
    lo, hi = window.range
    span = _days(lo) if lo == hi else f"{lo}–{hi} days"
    return f"{level.value} value; sources give {span}: {kinds} — {keys}"


_SENTENCES = {  # field → (when days > 0, when 0)
    "washout_days_before": ("Pause retinoids and exfoliating actives for {d} before the treatment",
                            "No pause needed before the treatment"),
    "retinoid_days_after": ("No retinoid for {d} after the treatment",
                            "Retinoids can go back on the day after the treatment"),
    "actives_days_after": ("No acids, enzymes, scrubs or other strong actives "
                           "(vitamin C, benzoyl peroxide…) for {d} after the treatment",
                           "Acids, scrubs and other strong actives can go back "
                           "on the day after the treatment"),
    "downtime_days": ("Expect about {d} of visible recovery", "Little or no visible recovery time expected"),
}


def explain(
    kind: str, intensity: Intensity | str = Intensity.STANDARD, overrides: Overrides = Overrides()
) -> list[str]:
    """Sentences for a "why these numbers" panel: each window with its range and sources."""
    procedure = get_kind(kind)
    level = Intensity(intensity)
    resolved = windows_for(kind, level, overrides)
    lines = []
    for field, (some, none) in _SENTENCES.items():
        n = getattr(resolved, field)
        window = procedure.window(field)
        if field in resolved.overridden:
            catalog_days = _days(window.values[level])
            why = f"your clinician's number; the catalog's {level.value} value is {catalog_days}"
        else:
            why = _evidence(window, level)
        line = f"{(some if n else none).format(d=_days(n))} ({why})."
        lines.append(f"{line} {window.basis}" if window.basis and field not in resolved.overridden else line)
    if resolved.home_serum_from_day:
        last = resolved.home_serum_from_day - 1
        if "home_serum_from_day" in resolved.overridden:
            why = "your clinician's number"
        else:
            why = _evidence(procedure.healing, level) if procedure.healing is not None else "your clinician's number"
        hold = (f"The skin is open until it heals over: no home serum and nothing your clinic did not provide "
                f"or approve for healing skin through day {last} after the treatment ({why}).")
        basis = procedure.healing.basis if procedure.healing is not None and "home_serum_from_day" not in resolved.overridden else ""
        lines.append(f"{hold} {basis}".strip())
    if procedure.serum_on_procedure_day:
        lines.append("The exosome serum can go on after the treatment on the day itself, as it did in "
                     f"a published trial (sources: {', '.join(procedure.serum_sources)}).")
    else:
        lines.append("The exosome serum starts the day after the treatment: no trial has applied one "
                     "on the day of this procedure.")
    if procedure.sun is not None:
        n = procedure.sun.values[level]
        basis = f" {procedure.sun.basis}" if procedure.sun.basis else ""
        lines.append(f"Daily broad-spectrum SPF 30+ sunscreen, reapplied, and no direct sun for {_days(n)} after "
                     f"the treatment ({_evidence(procedure.sun, level)}).{basis}")
    if procedure.area_note:
        lines.append(procedure.area_note)
    if procedure.follow_clinician:
        lines.append("Evidence for this procedure is thin: follow your clinician's instructions "
                     "wherever they differ from this plan.")
    return lines
