"""The cadences' cycle, for nights.py: which exfoliants are due at each point of it, and the
free days before the planned range.

nights.py decides each day in range with every exfoliant and every word of its notes. Before the
range only the state matters (how long since each exfoliant's last use, and what it is owed),
and on free days (no window, no ramp) an exfoliant's decisions never look past the products it
clashes with: the shelf falls into independent groups, and each group's state comes round
within its own cadences' cycle, much sooner than the whole shelf's. So the lead-in (up to ten
years) is run per group, on lists of the group's own, until its state repeats, and the rest is
a jump. The rule is nights.py's, to the letter: the equivalence tests compare both with a plain
day-by-day reference.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import NamedTuple

from planner.core.cadence import period_days, shared_period
from planner.core.clashes import ClashRule
from planner.core.model import Cadence

#: A product that has given up this many wanted days in a row keeps the next one it wants.
STARVED = 2


class DueRows(dict):
    """Per point of the cadences' shared cycle (t % period), whether each exfoliant is due on
    such a day. A short cycle is laid out at once, each exfoliant's own cycle asked once and
    repeated; a long one (every 29 days and every 30 days…) row by row as days ask for it."""

    EAGER = 4096  # rows

    def __init__(self, tests: list[Callable[[int], bool]], cadences: list[Cadence], period: int) -> None:
        super().__init__()
        self.tests = tests
        self.period = period
        if period <= self.EAGER:
            own = [period_days(c) for c in cadences]
            columns = ([bool(test(t)) for t in range(n)] * (period // n) for test, n in zip(tests, own))
            self.update(enumerate(zip(*columns)))

    def __missing__(self, phase: int) -> tuple[bool, ...]:
        row = self[phase] = tuple(bool(test(phase)) for test in self.tests)
        return row


class Group(NamedTuple):
    """Exfoliants that clash only among themselves, on lists of their own (position k: the
    group's k-th member, in product order)."""

    members: list[int]  # their positions on the shelf
    period: int  # their cadences' shared cycle
    spacings: list[int]
    rates: list[float]
    rival_bits: list[int]  # bit k: the group's k-th member must not share a routine with it
    names: list[str]


def independent_groups(rivals: Sequence[Sequence[tuple[int, ClashRule]]], spacings: Sequence[int],
                       rates: Sequence[float], names: Sequence[str], cadences: Sequence[Cadence]) -> list[Group]:
    """The shelf in groups that share no clash with another group (product order); the
    arguments are per exfoliant, as nights.py holds them."""
    group_of = list(range(len(rivals)))

    def root(i: int) -> int:
        while group_of[i] != i:
            i = group_of[i]
        return i
    for i, theirs in enumerate(rivals):
        for j, _ in theirs:
            a, b = root(i), root(j)
            if a != b:
                group_of[max(a, b)] = min(a, b)
    by_root: dict[int, list[int]] = {}
    for i in range(len(rivals)):
        by_root.setdefault(root(i), []).append(i)
    groups = []
    for members in by_root.values():
        place = {i: k for k, i in enumerate(members)}
        groups.append(Group(members, shared_period([cadences[i] for i in members]), [spacings[i] for i in members],
                            [rates[i] for i in members],
                            [sum(1 << place[j] for j, _ in rivals[i]) for i in members], [names[i] for i in members]))
    return groups


def lead_in(group: Group, due_rows: DueRows, later: list[int], t: int, end: int, since: list[int],
            owed: list[str | None]) -> None:
    """Move one group's part of the state (``since``, ``owed``: per exfoliant on the shelf)
    over free days [t, end) before the range, as nights.py's day would: run until the group's
    state repeats, then jump. ``later[w]`` is the days since a use a day after ``w``."""
    members, period, spacings, rates, rival_bits, names = group
    pick = itemgetter(*members) if len(members) > 1 else (lambda row, i=members[0]: (row[i],))
    rows: dict[int, tuple] = {}  # the members' due flags per point of the group's cycle
    waits = [since[i] for i in members]
    owes = [owed[i] for i in members]
    seen: dict[tuple, int] = {}
    keys: list[tuple] = []
    start = t
    while t < end:
        phase = t % period
        key = (phase, tuple(waits), tuple(owes))
        earlier = seen.get(key)
        if earlier is not None:
            again = keys[earlier - start + (end - earlier) % (t - earlier)]
            waits, owes = again[1], again[2]
            break
        seen[key] = t
        keys.append(key)
        row = rows.get(phase)
        if row is None:
            row = rows[phase] = pick(due_rows[t % due_rows.period])
        wanting = []
        k = -1
        for due, owing in zip(row, owes):
            k += 1
            if not due and owing is None:
                continue
            waited, spacing_k = waits[k], spacings[k]
            if waited >= spacing_k:
                overdue = waited - spacing_k
                wanting.append((overdue < STARVED, rates[k], -overdue, k))
            elif due:  # a moved dose came too recently: this one waits for its spacing
                owes[k] = owing or ""
        waits = [later[w] for w in waits]
        if len(wanting) > 1:
            wanting.sort()  # ties fall to the lower position: product order
            used_bits = 0
            for want in wanting:
                k = want[3]
                blockers = used_bits & rival_bits[k]
                if blockers:  # it gives the day to the first rival in product order
                    owes[k] = names[(blockers & -blockers).bit_length() - 1]
                else:
                    used_bits |= 1 << k
                    waits[k] = 1
                    owes[k] = None
        elif wanting:
            k = wanting[0][3]
            waits[k] = 1
            owes[k] = None
        t += 1
    for i, waited, owing in zip(members, waits, owes):
        since[i], owed[i] = waited, owing
