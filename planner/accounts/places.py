"""Finding a time zone by place: what people type ("London", "new york", "Japan") → an IANA zone.

People know where they live, not what the IANA calls it: "London", "new york", "São Paulo",
"Bombay" or "Japan" should all find their zone. The lookup uses only what tzdata ships
(the zone names, zone.tab's country of each zone, iso3166.tab's country names) plus a short
table of common aliases. It is built once per process (tens of milliseconds, on the first
lookup); `available_timezones()` reads the disk (about 3.6 ms a call), too slow for every check.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass

from planner.accounts import rules
from planner.clock import utc_now

#: Names people use that are in no zone name: old city names, nicknames, big cities that
#: share a zone with another city, and countries whose tzdata name differs from everyday use.
ALIASES: dict[str, str] = {
    "bombay": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "calcutta": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "bengaluru": "Asia/Kolkata",
    "chennai": "Asia/Kolkata",
    "madras": "Asia/Kolkata",
    "hyderabad": "Asia/Kolkata",
    "nyc": "America/New_York",
    "new york city": "America/New_York",
    "washington": "America/New_York",
    "washington dc": "America/New_York",
    "boston": "America/New_York",
    "miami": "America/New_York",
    "atlanta": "America/New_York",
    "philadelphia": "America/New_York",
    "houston": "America/Chicago",
    "dallas": "America/Chicago",
    "austin": "America/Chicago",
    "san francisco": "America/Los_Angeles",
    "sf": "America/Los_Angeles",
    "la": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "san diego": "America/Los_Angeles",
    "las vegas": "America/Los_Angeles",
    "montreal": "America/Toronto",
    "ottawa": "America/Toronto",
    "rio": "America/Sao_Paulo",
    "rio de janeiro": "America/Sao_Paulo",
    "peking": "Asia/Shanghai",
    "beijing": "Asia/Shanghai",
    "shenzhen": "Asia/Shanghai",
    "guangzhou": "Asia/Shanghai",
    "saigon": "Asia/Ho_Chi_Minh",
    "ho chi minh city": "Asia/Ho_Chi_Minh",
    "rangoon": "Asia/Yangon",
    "kiev": "Europe/Kyiv",
    "osaka": "Asia/Tokyo",
    "kyoto": "Asia/Tokyo",
    "abu dhabi": "Asia/Dubai",
    "munich": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "cologne": "Europe/Berlin",
    "barcelona": "Europe/Madrid",
    "milan": "Europe/Rome",
    "geneva": "Europe/Zurich",
    "edinburgh": "Europe/London",
    "manchester": "Europe/London",
    "birmingham": "Europe/London",
    "st petersburg": "Europe/Moscow",
    "saint petersburg": "Europe/Moscow",
    "uk": "Europe/London",
    "united kingdom": "Europe/London",
    "great britain": "Europe/London",
    "england": "Europe/London",
    "scotland": "Europe/London",
    "wales": "Europe/London",
    "south korea": "Asia/Seoul",
    "north korea": "Asia/Pyongyang",
    "holland": "Europe/Amsterdam",
    "the netherlands": "Europe/Amsterdam",
    "gmt": "UTC",
    "utc": "UTC",
}

#: Everyday names of countries that tzdata's iso3166.tab spells otherwise, to ISO codes.
COUNTRY_ALIASES: dict[str, str] = {
    "usa": "US",
    "us": "US",
    "america": "US",
    "united states of america": "US",
    "korea": "KR",
    "uae": "AE",
    "czech republic": "CZ",
    "russian federation": "RU",
}

#: Cities to suggest when a country has several clocks (otherwise the first of each clock).
EXAMPLE_CITIES: dict[str, str] = {
    "US": "New York, Chicago, Denver or Los Angeles",
    "CA": "Toronto, Winnipeg, Edmonton or Vancouver",
    "AU": "Sydney, Brisbane, Adelaide or Perth",
    "BR": "São Paulo, Manaus or Rio Branco",
    "RU": "Moscow, Yekaterinburg, Novosibirsk or Vladivostok",
    "MX": "Mexico City, Cancún or Tijuana",
    "ID": "Jakarta, Makassar or Jayapura",
    "ES": "Madrid or Canary (the Canary Islands)",
    "PT": "Lisbon or Azores",
}

#: Zone folders that name no place a person lives in.
_NOT_PLACES = ("Etc/", "SystemV/", "posix/", "right/")


class UnknownZone(ValueError):
    """The text names no zone; the message says what to type instead."""


@dataclass(frozen=True, slots=True)
class _Index:
    zones: frozenset[str]  # every valid zone name (accounts.rules.zones)
    by_lower_name: dict[str, str]  # "europe/berlin" → "Europe/Berlin"
    by_place: dict[str, str]  # place key ("newyork", "saopaulo", "japan") → zone
    several_clocks: dict[str, str]  # country key → ISO code, for countries that keep several clocks
    country_names: dict[str, str]  # ISO code → the country's name as tzdata spells it
    example_cities: dict[str, str]  # ISO code → "New York, Chicago, Denver or Los Angeles"


def place_key(text: str) -> str:
    """'São  Paulo' / 'sao_paulo' / 'Sao-Paulo' → 'saopaulo': case, accents, spaces and punctuation ignored."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", plain.casefold())


@functools.cache
def _index() -> _Index:
    zones = rules.zones()
    by_place: dict[str, str] = {}
    countries = _zones_by_country()
    # Canonical zones (listed in zone.tab) win over backward-compatible links for the same city.
    canonical = [zone for zone_list in countries.values() for zone in zone_list]
    is_canonical = set(canonical)
    for zone in canonical:
        by_place.setdefault(place_key(zone.rsplit("/", 1)[-1]), zone)
    several: dict[str, str] = {}  # country key → ISO code, when the country keeps several clocks
    country_names = _country_names()
    spellings = [(place_key(alias), code) for alias, code in COUNTRY_ALIASES.items()]
    spellings += [(place_key(s), code) for code, name in country_names.items() for s in _country_spellings(name)]
    for key, code in spellings:
        clocks = _distinct_clocks(countries.get(code, ()))
        if len(clocks) == 1:
            by_place.setdefault(key, clocks[0])
        elif clocks and key not in by_place:
            several.setdefault(key, code)
    # Backward-compatible links ("Asia/Calcutta", "Japan") come last: a canonical zone or a
    # country of the same name wins, and "Portugal" asks for a city like the country does.
    for zone in sorted(z for z in zones if not z.startswith(_NOT_PLACES) and z not in is_canonical):
        key = place_key(zone.rsplit("/", 1)[-1])
        if key not in several:
            by_place.setdefault(key, zone)
    for alias, zone in ALIASES.items():
        by_place[place_key(alias)] = zone
    examples = {code: EXAMPLE_CITIES.get(code) or _or_list(_distinct_clocks(zone_list)) for code, zone_list in countries.items()}
    return _Index(zones, {z.casefold(): z for z in zones}, by_place, several, country_names, examples)


def _or_list(zone_list: tuple[str, ...]) -> str:
    cities = [z.rsplit("/", 1)[-1].replace("_", " ") for z in zone_list[:3]]
    return f"{', '.join(cities[:-1])} or {cities[-1]}" if len(cities) > 1 else "".join(cities)


def _tzdata_table(name: str) -> list[list[str]]:
    text = importlib.resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


def _zones_by_country() -> dict[str, tuple[str, ...]]:
    """zone.tab: one row per zone with the one country it lies in (zone1970.tab merges countries)."""
    found: dict[str, list[str]] = {}
    for row in _tzdata_table("zone.tab"):
        found.setdefault(row[0], []).append(row[2])
    return {code: tuple(zone_list) for code, zone_list in found.items()}


def _distinct_clocks(zone_list: tuple[str, ...]) -> tuple[str, ...]:
    """The first zone of each group that keeps the same clock this year (winter and summer).

    "This year" is read from the one wall clock once, when the index is built (it is cached for
    the process): the grouping only changes when a country changes its rules.

    Germany's Busingen keeps Berlin's time, so Germany has one main zone; Spain's Canary
    Islands do not, so "Spain" needs a city.
    """
    year = utc_now().year
    probes = [dt.datetime(year, month, 15, 12, tzinfo=dt.timezone.utc) for month in (1, 7)]
    firsts: dict[tuple, str] = {}
    for zone in zone_list:
        tz = zoneinfo.ZoneInfo(zone)
        firsts.setdefault(tuple(p.astimezone(tz).utcoffset() for p in probes), zone)
    return tuple(firsts.values())


def _country_names() -> dict[str, str]:
    return {row[0]: row[1] for row in _tzdata_table("iso3166.tab")}


def _country_spellings(country: str) -> list[str]:
    """'Britain (UK)' → ['Britain (UK)', 'Britain', 'UK']; 'Korea (South)' → […, 'South Korea']."""
    match = re.fullmatch(r"(.+?) \((.+)\)", country)
    if not match:
        return [country, country.replace("&", "and")]
    head, inner = match.groups()
    return [country, head, inner, f"{inner} {head}"]


def find_zone(text: str) -> str:
    """The IANA zone for a zone name, a city, an alias or a country with one zone.

    Raises UnknownZone with a message that tells the person what to type.
    """
    text = (text or "").strip()
    if not text:
        raise UnknownZone("Type your city, like London or New York, or a zone like Europe/London.")
    index = _index()
    exact = index.by_lower_name.get(text.casefold())
    if exact and ("/" in exact or exact == "UTC"):
        return exact
    # "London, UK" or "Paris France": try the whole text, then each part.
    for candidate in [text, *re.split(r"[,;]", text)]:
        key = place_key(candidate)
        if key in index.by_place:
            return index.by_place[key]
    for candidate in [text, *re.split(r"[,;]", text)]:
        code = index.several_clocks.get(place_key(candidate))
        if code:
            raise UnknownZone(
                f"{index.country_names[code]} has several time zones. "
                f"Type your city instead, like {index.example_cities[code]}."
            )
    if exact:  # a legacy single-word zone such as "GB" or "Portugal"
        return exact
    raise UnknownZone(
        f"Unknown time zone “{text}”. Type a large city near you, like London or New York, "
        "or a zone like Europe/London."
    )
