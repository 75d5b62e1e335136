"""When a product is due by the user's own cadence, as a pure function of the date.

Every cadence is anchored on a fixed date (``Cadence.anchor``), never on the start of the
planned range, so asking for March alone or for the whole year gives the same March. A day the
product could not be used (a pause, a clash) is simply lost: the next use is the next due day,
never a catch-up dose.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from math import lcm

from planner.core.model import Cadence, CadenceKind


def interval_days(cadence: Cadence) -> int:
    """Days between uses for the interval kinds (1 daily, 2 every other day, N every N days)."""
    if cadence.kind is CadenceKind.DAILY:
        return 1
    if cadence.kind is CadenceKind.EVERY_OTHER_DAY:
        return 2
    return max(1, cadence.every_n_days)


def due_test(cadence: Cadence) -> Callable[[int], bool]:
    """Whether the cadence asks for the product on a day, as a test on the day's proleptic
    ordinal: the engine loops over ordinals, and binding the cadence once keeps the loop fast.
    Interval cadences count from their anchor, before it as after it."""
    if cadence.kind is CadenceKind.WEEKDAYS:
        weekdays = frozenset(cadence.weekdays)
        return lambda ordinal: (ordinal - 1) % 7 in weekdays  # ordinal 1 (1 Jan 0001) was a Monday
    step, anchor = interval_days(cadence), cadence.anchor.toordinal()
    if step == 1:
        return lambda ordinal: True
    return lambda ordinal: (ordinal - anchor) % step == 0


def period_days(cadence: Cadence) -> int:
    """Length of the cycle the cadence repeats on."""
    return 7 if cadence.kind is CadenceKind.WEEKDAYS else interval_days(cadence)


def uses_per_day(cadence: Cadence) -> Fraction:
    """How often the cadence asks for the product: 1 daily, 1/2 every other day, 3/7 Mon/Wed/Fri."""
    if cadence.kind is CadenceKind.WEEKDAYS:
        return Fraction(len(cadence.weekdays & set(range(7))), 7)
    return Fraction(1, interval_days(cadence))


def shared_period(cadences: list[Cadence]) -> int:
    """The cycle several cadences repeat on together (used to alternate clashes fairly)."""
    return lcm(*(period_days(c) for c in cadences)) if cadences else 1


def describe(cadence: Cadence) -> str:
    """The cadence in words, e.g. "every other day" or "Mon, Wed, Fri"."""
    if cadence.kind is CadenceKind.DAILY:
        return "daily"
    if cadence.kind is CadenceKind.EVERY_OTHER_DAY:
        return "every other day"
    if cadence.kind is CadenceKind.EVERY_N_DAYS:
        n = max(1, cadence.every_n_days)
        return "daily" if n == 1 else f"every {n} days"
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    return ", ".join(names[d] for d in sorted(cadence.weekdays) if 0 <= d < 7) or "never"
