"""A plain reference for nights.plan_nights: the same rule, decided day by day from the start.

The engine's nights.py takes shortcuts for speed (free stretches run until their state repeats
and are then copied, days before the range only move the state on, due flags per point of the
cadence cycle, clashes by bitmask). This module takes none: it walks every day from the same
starting point, asks each exfoliant's own cadence test, finds a product's window or ramp by
scanning its blocks and ramps, and checks clashes with clashes.clash_between pair by pair. The
equivalence tests compare the two on random inputs.
"""

from __future__ import annotations

from planner.core import reasons
from planner.core.cadence import uses_per_day
from planner.core.clashes import clash_between
from planner.core.model import Slot
from planner.core.nights import LEAD_IN_DAYS, STARVED, spacing


def reference_nights(exfoliants, procedure_days, labels, first, stop) -> dict[int, tuple]:
    """Per day in [first, stop) with a decision: (used product ids, step notes, notes)."""
    if not exfoliants or first >= stop:
        return {}
    exfs = list(exfoliants)
    n = len(exfs)
    spacings = [spacing(e.product.cadence) for e in exfs]
    rates = [float(uses_per_day(e.product.cadence)) for e in exfs]
    units = ["night" if e.slot is Slot.EVENING else "day" for e in exfs]
    names = [e.product.name for e in exfs]
    cap = max(spacings + [3]) + 2
    before = [d for d in procedure_days if d <= first]
    if before:
        start = max(before)
    else:
        earliest = min([e.product.cadence.anchor.toordinal() for e in exfs] + list(procedure_days))
        start = min(first, earliest - LEAD_IN_DAYS)

    def status(i: int, t: int):
        """None (free), "paused", or the Ramp day ``t`` is in."""
        if any(b.start <= t <= b.end for b in exfs[i].blocks):
            return "paused"
        return next((r for r in exfs[i].ramps if r.first <= t <= r.last), None)

    since = [cap] * n
    owed: list[str | None] = [None] * n
    out = {}
    for t in range(start, stop):
        wanting, notes, dues = [], [], [False] * n
        statuses = [status(i, t) for i in range(n)]
        for i in range(n):
            st = statuses[i]
            if st == "paused":
                since[i], owed[i] = cap, None
                continue
            due = dues[i] = exfs[i].is_due(t)
            if not (due or owed[i] is not None):
                continue
            gap = spacings[i] if st is None else st.gaps[t - st.first]
            if since[i] >= gap:
                overdue = since[i] - gap
                rate = rates[i] if st is None or rates[i] * gap <= 1 else 1 / gap
                wanting.append((overdue < STARVED, rate, -overdue, i))
            elif due and st is None:
                owed[i] = owed[i] or ""
                notes.append(reasons.wait_note(names[i], units[i], since[i], spacings[i]))
            elif due:
                notes.append(reasons.ramp_rest_note(names[i], exfs[i].class_label, units[i], labels[st.cause], gap))
        used: list[int] = []
        for *_, i in sorted(wanting):
            rival = next((j for j in range(n) if j in used and exfs[j].slot is exfs[i].slot
                          and clash_between(exfs[i].product, exfs[j].product) is not None), None)
            if rival is None:
                used.append(i)
            else:
                owed[i] = names[rival]
                why = clash_between(exfs[i].product, exfs[rival].product).why
                notes.append(reasons.clash_note(names[i], names[rival], units[i], why))
        used.sort()
        step_notes = []
        for i in used:
            moved = owed[i] is not None and not dues[i]
            note = reasons.moved_note(units[i], owed[i]) if moved else ""
            st = statuses[i]
            if st is not None:
                k = t - st.first
                ramp = reasons.ramp_step_note(exfs[i].class_label, units[i], k + 1, labels[st.cause], st.gaps[k])
                note = f"{note}; {ramp}" if note else ramp
            step_notes.append(note)
            since[i], owed[i] = 0, None
        since = [min(s + 1, cap) for s in since]
        if t >= first and (used or notes):
            out[t] = (tuple(exfs[i].product.id for i in used),
                      tuple(step_notes) if any(step_notes) else (), tuple(notes))
    return out
