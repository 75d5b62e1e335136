"""Which exfoliants go on each day: the cadences, the ramp back and the clashes as one rule.

Each exfoliant wants a day when its cadence asks for it, and only once enough days have passed
since its last use: its *spacing* (1 for daily, N for every N days, at most 2 for chosen
weekdays) or, in a ramp after a pause, the ramp's spacing (ramp.py). When two products that
must not share a routine (clashes.py) want the same one, the one used less often keeps it (it
has fewer days to lose: a nightly retinoid skips acid nights), unless the other has already
given up ``STARVED`` wanted days in a row; on a tie the one that has waited longest past its
spacing, then the lower product id, so two nightly products take turns night by night. The
other one has not lost its dose: it **moves to the next free day**, and its spacing counts from there,
so it never goes on twice in one day or twice within its spacing (no doubled dose). A day it
only rests for the spacing (a ramp) or a day inside a pause window is lost, never made up; the
user's own skipped days are not the engine's to know, so they are never made up either.

Nothing depends on the parity of a date or on where the planned range starts: the decisions run
forward from a point the inputs fix — the last procedure day on or before the range (a procedure
day pauses every exfoliant, so no earlier decision reaches past it), or, before any procedure,
ten years before the earliest date in the inputs. Days with no window and no ramp repeat, so a
stretch of them is run only until the state (the point of the cadences' cycle, each product's
days since its last use and what it is owed) comes round again, and the rest is copied; before
the range, where only the state matters, each group of products that clash only among
themselves is run on its own (night_cycles.py).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from operator import attrgetter
from typing import NamedTuple

from planner.core import reasons
from planner.core.cadence import interval_days, shared_period, uses_per_day
from planner.core.clashes import ClashRule, clash_table
from planner.core.model import Cadence, CadenceKind, Slot
from planner.core.night_cycles import STARVED, DueRows, independent_groups, lead_in
from planner.core.ramp import Ramp

#: Before any procedure, decisions start this many days before the earliest input date.
LEAD_IN_DAYS = 3650
_FREE, _PAUSED = 0, 1
#: The kinds of note a day can write (the first item of a note's key in _Run.texts).
_WAIT, _REST, _CLASH, _MOVED, _RAMP = range(5)
_END, _LAST = attrgetter("end"), attrgetter("last")


class Night(NamedTuple):
    """One day's exfoliant decisions: who is used (with the note on its step) and why the others
    are not. Equal days share one object, so the engine can cache what it builds from them (a
    NamedTuple: a year of ramps makes a hundred of them, and it is the cheapest to build)."""

    used: tuple[object, ...]  # the Exfoliant objects used, in product order
    step_notes: tuple[str, ...]  # per used exfoliant ("" for none); () when none has a note
    notes: tuple[str, ...]  # rests, days given up to a clash, waits


EMPTY = Night((), (), ())


def spacing(cadence: Cadence) -> int:
    """The fewest days between two uses outside a ramp. Interval cadences count on from the
    last use (a moved dose moves the ones after it); chosen weekdays keep their weekdays, so a
    moved dose needs only a day's rest before the next one (none when the weekdays touch)."""
    if cadence.kind is not CadenceKind.WEEKDAYS:
        return interval_days(cadence)
    days = sorted(d for d in cadence.weekdays if 0 <= d < 7)
    if not days:
        return 1
    gaps = [b - a for a, b in zip(days, days[1:])] + [days[0] + 7 - days[-1]]
    return min(min(gaps), 2)


def plan_nights(exfoliants: Sequence, procedure_days: Sequence[int], labels: Sequence[str], first: int,
                stop: int) -> dict[int, Night]:
    """Each day in [first, stop) on which some exfoliant is used or explained.

    ``exfoliants`` are window_days.Exfoliant objects (product order) with their pause blocks and
    ramps; ``procedure_days`` the ordinals of the procedures that pause every exfoliant (each
    resets them all; a procedure on an area some exfoliant is not used on does not);
    ``labels`` each procedure's label by index, for the ramp notes."""
    if not exfoliants or first >= stop:
        return {}
    return _Run(exfoliants, procedure_days, labels, first, stop).nights


class _Run:
    def __init__(self, exfoliants: Sequence, procedure_days: Sequence[int], labels: Sequence[str], first: int,
                 stop: int) -> None:
        self.exfs = list(exfoliants)
        self.labels = labels
        n = len(self.exfs)
        self.first, self.stop = first, stop
        self.spacings = [spacing(e.product.cadence) for e in self.exfs]
        self.rates = [float(uses_per_day(e.product.cadence)) for e in self.exfs]
        self.units = ["night" if e.slot is Slot.EVENING else "day" for e in self.exfs]
        self.cap = max(self.spacings + [3]) + 2
        self.period = shared_period([e.product.cadence for e in self.exfs])
        # who must not share a routine with whom, and why
        self.rivals: list[list[tuple[int, ClashRule]]] = [[] for _ in range(n)]
        for (i, j), rule in sorted(clash_table([e.product for e in self.exfs]).items()):
            if self.exfs[i].slot is self.exfs[j].slot:
                self.rivals[i].append((j, rule))
        self.rival_bits = [sum(1 << j for j, _ in rivals) for rivals in self.rivals]
        start = self._start(procedure_days)
        # each exfoliant's special stretches (pauses and ramps) that reach the first decided day,
        # by start (blocks and ramps are sorted and disjoint: a long history is skipped by bisection)
        self.stretches: list[list[tuple[int, int, Ramp | None]]] = []
        for e in self.exfs:
            blocks = e.blocks[bisect_left(e.blocks, start, key=_END):]
            ramps = e.ramps[bisect_left(e.ramps, start, key=_LAST):]
            runs = [(b.start, b.end, None) for b in blocks] + [(r.first, r.last, r) for r in ramps]
            runs.sort(key=lambda r: r[0])
            self.stretches.append(runs)
        self.interned: dict[Night, Night] = {}
        self.texts: dict[tuple, str] = {}  # each note by its key (_text)
        #: A free day is a function of (phase, since, owed) alone: its Night (None until a day
        #: that is written down needs it) and the state it leaves.
        self.free_days: dict[tuple, list] = {}
        self.names = [e.product.name for e in self.exfs]
        self.class_labels = [e.class_label for e in self.exfs]
        #: Per exfoliant, the first with its class label and unit: a ramp day's note is theirs alike.
        voices: dict[tuple[str, str], int] = {}
        self.voice = [voices.setdefault((label, unit), i) for i, (label, unit) in
                      enumerate(zip(self.class_labels, self.units))]
        self.due_rows = DueRows([e.is_due for e in self.exfs], [e.product.cadence for e in self.exfs], self.period)
        self.all_free = (_FREE,) * n
        #: min(waited + 1, cap) for each waited in 0 … cap: a day later, as one table look-up.
        self.later = [min(w + 1, self.cap) for w in range(self.cap + 1)]
        self.nights: dict[int, Night] = {}
        self._run(start)

    def _start(self, procedure_days: Sequence[int]) -> int:
        before = [d for d in procedure_days if d <= self.first]
        if before:
            return max(before)
        earliest = min([e.product.cadence.anchor.toordinal() for e in self.exfs] + list(procedure_days))
        return min(self.first, earliest - LEAD_IN_DAYS)  # from the inputs alone, unless the range is older

    def _run(self, start: int) -> None:
        n, cap, stop = len(self.exfs), self.cap, self.stop
        since = [cap] * n  # days since the last use, capped (cap: never used, or long ago)
        owed: list[str | None] = [None] * n  # the product it gave its last wanted day to
        # Until the first window or ramp in reach every day is free; from there, each day's
        # status per exfoliant (free, paused or the ramp it is in) is laid out in columns.
        lo = min([max(a, start) for runs in self.stretches for a, b, _ in runs if b >= start] + [stop])
        t = start
        if t < min(lo, self.first):  # free days before the range only move the state on
            t = min(lo, self.first)
            for group in independent_groups(self.rivals, self.spacings, self.rates, self.names,
                                            [e.product.cadence for e in self.exfs]):
                lead_in(group, self.due_rows, self.later, start, t, since, owed)
        if t < lo:
            t = self._free_stretch(t, lo, since, owed)
        if t >= stop:
            return
        columns = []
        for runs in self.stretches:
            column: list[object] = [_FREE] * (stop - lo)
            for a, b, ramp in runs:
                a, b = max(a, lo), min(b, stop - 1)
                if a <= b:
                    column[a - lo:b - lo + 1] = [_PAUSED if ramp is None else ramp] * (b - a + 1)
            columns.append(column)
        rows = list(zip(*columns))
        free_until = [0] * len(rows)  # for a free day: where its run of free days ends
        end = stop
        all_free = self.all_free
        for k in range(len(rows) - 1, -1, -1):
            if rows[k] == all_free:
                free_until[k] = end
            else:
                end = lo + k
        all_paused = (_PAUSED,) * n
        while t < stop:
            k = t - lo
            row = rows[k]
            if free_until[k]:
                t = self._free_stretch(t, free_until[k], since, owed)
            elif row == all_paused:  # a pause forgets everything
                since[:] = [cap] * n
                owed[:] = [None] * n
                t += 1
            else:
                self._record(t, self._step(t, row, since, owed))
                t += 1

    def _free_stretch(self, t: int, end: int, since: list[int], owed: list[str | None]) -> int:
        """Days [t, end) with no window and no ramp: run until the state repeats, then copy.
        Days before the range only move the state on (no words, no Night); a Night is made for
        a day that is written down, once per state."""
        statuses = self.all_free
        seen: dict[tuple, int] = {}
        keys: list[tuple] = []
        period, first, free_days = self.period, self.first, self.free_days
        start = t
        while t < end:
            key = (t % period, tuple(since), tuple(owed))
            earlier = seen.get(key)
            if earlier is not None:
                length = t - earlier
                offset = earlier - start
                for u in range(max(t, first), end):
                    self._record(u, self._free_night(keys[offset + (u - earlier) % length], statuses))
                again = keys[offset + (end - earlier) % length]
                since[:], owed[:] = list(again[1]), list(again[2])
                return end
            seen[key] = t
            keys.append(key)
            known = free_days.get(key)
            if known is None:
                night = self._step(t, statuses, since, owed, quiet=t < first)
                free_days[key] = [night, tuple(since), tuple(owed)]
            else:
                since[:], owed[:] = known[1], known[2]
                night = known[0] if t < first else self._free_night(key, statuses)
            self._record(t, night)
            t += 1
        return end

    def _free_night(self, key: tuple, statuses: tuple[object, ...]) -> Night:
        """The Night of a free day in state ``key`` (made from the state if not made yet)."""
        known = self.free_days[key]
        if known[0] is None:
            phase, since, owed = key
            known[0] = self._step(phase, statuses, list(since), list(owed))
        return known[0]

    def _record(self, t: int, night: Night) -> None:
        if t >= self.first and night is not EMPTY:
            self.nights[t] = night

    def _step(self, t: int, statuses: tuple[object, ...], since: list[int], owed: list[str | None],
              quiet: bool = False) -> Night | None:
        """Decide day ``t`` and move the state on to the next day (the engine's hottest loop:
        plain locals, no helper calls on the common paths; only the exfoliants that are due, owed
        a dose or paused are looked at; each note is looked up by a small key of ints and written
        once per run). ``quiet``: only move the state on (a day before the range), and return None."""
        due_row = self.due_rows[t % self.period]
        spacings, rates, texts = self.spacings, self.rates, self.texts
        wanting = []
        notes = []
        i = -1
        for status, due, owes in zip(statuses, due_row, owed):
            i += 1
            if status is _FREE:
                if not due and owes is None:
                    continue
                waited = since[i]
                spacing_i = spacings[i]
                if waited >= spacing_i:
                    overdue = waited - spacing_i
                    wanting.append((overdue < STARVED, rates[i], -overdue, i))
                elif due:  # a moved dose came too recently: this one waits for its spacing
                    owed[i] = owes or ""
                    if not quiet:
                        key = (_WAIT, i, waited)
                        notes.append(texts.get(key) or self._text(key))
            elif status is _PAUSED:  # a pause forgets everything: the ramp after it starts afresh
                since[i] = self.cap
                owed[i] = None
            elif due or owes is not None:
                waited = since[i]
                gap = status.gaps[t - status.first]
                if waited >= gap:
                    overdue = waited - gap
                    rate = rates[i]
                    wanting.append((overdue < STARVED, rate if rate * gap <= 1 else 1 / gap, -overdue, i))
                elif due and not quiet:  # a ramp's spacing: this day is lost
                    key = (_REST, i, status.cause, gap)
                    notes.append(texts.get(key) or self._text(key))
        if len(wanting) > 1:
            wanting.sort()  # ties fall to the lower index: product order
            used = []
            used_bits = 0  # bit i: exfoliant i is used today
            rival_bits = self.rival_bits
            for want in wanting:
                i = want[3]
                blockers = used_bits & rival_bits[i]
                if blockers:  # the rival it gives the day to: the first in product order
                    j = (blockers & -blockers).bit_length() - 1
                    owed[i] = self.names[j]
                    if not quiet:
                        key = (_CLASH, i, j)
                        notes.append(texts.get(key) or self._text(key))
                else:
                    used.append(i)
                    used_bits |= 1 << i
            used.sort()
        else:
            used = [wanting[0][3]] if wanting else []
        since[:] = map(self.later.__getitem__, since)
        step_notes = None
        for position, i in enumerate(used):
            status = statuses[i]
            owes = owed[i]
            if not quiet and (status is not _FREE or owes is not None and not due_row[i]):
                if status is _FREE:  # moved here from a day it gave up or waited on
                    key = (_MOVED, self.voice[i], owes)
                else:  # a ramp day, perhaps moved too
                    k = t - status.first
                    key = (_RAMP, self.voice[i], status.cause, k, status.gaps[k], None if due_row[i] else owes)
                note = texts.get(key) or self._text(key)
                if step_notes is None:
                    step_notes = [""] * len(used)
                step_notes[position] = note
            since[i] = 1  # used today: a day ago tomorrow
            owed[i] = None
        if quiet:
            return None
        if not used and not notes:
            return EMPTY
        exfs = self.exfs
        night = Night(tuple([exfs[i] for i in used]), () if step_notes is None else tuple(step_notes), tuple(notes))
        found = self.interned.get(night)
        if found is None:
            found = self.interned[night] = night
        return found

    def _text(self, key: tuple) -> str:
        """The note ``key`` stands for (its kind, the exfoliant, then what the words need),
        written once per run."""
        kind, i, *rest = key
        unit = self.units[i]
        if kind == _WAIT:
            text = reasons.wait_note(self.names[i], unit, rest[0], self.spacings[i])
        elif kind == _REST:
            cause, gap = rest
            text = reasons.ramp_rest_note(self.names[i], self.class_labels[i], unit, self.labels[cause], gap)
        elif kind == _CLASH:
            j = rest[0]
            rule = next(rule for k, rule in self.rivals[i] if k == j)
            text = reasons.clash_note(self.names[i], self.names[j], unit, rule.why)
        elif kind == _MOVED:
            text = reasons.moved_note(unit, rest[0])
        else:
            cause, k, gap, moved_from = rest
            text = reasons.ramp_step_note(self.class_labels[i], unit, k + 1, self.labels[cause], gap)
            if moved_from is not None:
                text = f"{reasons.moved_note(unit, moved_from)}; {text}"
        self.texts[key] = text
        return text
