"""Every procedure in the catalog, planned for one typical user with the real catalog windows.

The user: an exosome serum, a nightly retinoid, an AHA every other day and a BHA on Monday,
Wednesday and Friday. Inside the windows nothing paused goes on the skin; well after the ramp
every evening has the retinoid or the acids, never both, and each acid gets as many nights as
its cadence asks for, give or take the one a clash moved (nights.py).
"""

from __future__ import annotations

import datetime as dt

import pytest

from planner.core import catalog
from planner.core.model import (
    Cadence, CadenceKind, Intensity, ProcedureInput, ProductClass, ProductInput, Profile, Screening, Slot,
)
from planner.core.ramp import RETINOID_RAMP
from planner.core.schedule import plan
from tests.support.cadence import is_due

D = dt.date
PROCEDURE_DAY = D(2026, 2, 18)  # a Wednesday: BHA day
SERUM = ProductInput(1, "Exosome serum", frozenset({ProductClass.EXOSOME}))
RETINOID = ProductInput(2, "Tretinoin cream", frozenset({ProductClass.RETINOID}))
AHA = ProductInput(3, "Glycolic serum", frozenset({ProductClass.AHA}),
                   cadence=Cadence(CadenceKind.EVERY_OTHER_DAY, anchor=D(2026, 1, 1)))
BHA = ProductInput(4, "Salicylic toner", frozenset({ProductClass.BHA}),
                   cadence=Cadence(CadenceKind.WEEKDAYS, weekdays=frozenset({0, 2, 4})))
PRODUCTS = (SERUM, RETINOID, AHA, BHA)
RAMP_DAYS = sum(stage.days for stage in RETINOID_RAMP)  # the longest ramp

CASES = [(kind.key, intensity) for kind in catalog.procedure_kinds() for intensity in Intensity]


def check_settled(days) -> None:
    """Outside every window and ramp: the retinoid or the acids each evening, never both and
    never neither (a nightly retinoid only gives a night to an acid); the retinoid never gives
    up more than two nights in a row; an acid's doses are never closer than its cadence allows
    (no doubled dose) and a night it gives up moves to the next free one (never more than two
    nights later than its cadence's longest gap)."""
    for d in days:
        evening = {s.product_name for s in d.steps_in(Slot.EVENING)}
        acids = evening & {AHA.name, BHA.name}
        assert (RETINOID.name in evening) != bool(acids), d.date
    for p, spacing, longest in ((RETINOID, 1, 3), (AHA, 2, 4), (BHA, 2, 5)):
        used = [d.date for d in days if p.name in {s.product_name for s in d.steps}]
        gaps = [(b - a).days for a, b in zip(used, used[1:])]
        assert all(spacing <= g <= longest for g in gaps), (p.name, gaps)


@pytest.mark.parametrize(("kind", "intensity"), CASES, ids=[f"{k}-{i.value}" for k, i in CASES])
@pytest.mark.parametrize("serum_slot", list(Slot))
def test_every_catalog_procedure(kind, intensity, serum_slot):
    w = catalog.windows_for(kind, intensity)
    start = PROCEDURE_DAY - dt.timedelta(days=w.washout_days_before + 21)
    settled = PROCEDURE_DAY + dt.timedelta(days=max(w.retinoid_days_after, w.actives_days_after) + RAMP_DAYS + 1)
    end = settled + dt.timedelta(days=21)
    result = plan(Profile(serum_slot=serum_slot), [ProcedureInput(7, kind, PROCEDURE_DAY, intensity)], PRODUCTS,
                  start, end, today=start, screening=Screening())
    assert len(result.days) == (end - start).days

    for d in result.days:
        offset = (d.date - PROCEDURE_DAY).days
        used = {s.product_name for s in d.steps}
        in_washout = -w.washout_days_before <= offset <= 0
        if in_washout or 0 < offset <= w.retinoid_days_after:
            assert RETINOID.name not in used, d.date
        if in_washout or 0 < offset <= w.actives_days_after:
            assert not used & {AHA.name, BHA.name}, d.date
        paused = {pause.product_name for pause in d.pauses}
        for p in (RETINOID, AHA, BHA):
            window = w.retinoid_days_after if p is RETINOID else w.actives_days_after
            if is_due(p.cadence, d.date) and -w.washout_days_before <= offset <= window:
                assert p.name in paused, (d.date, p.name)
        assert all(pause.reason for pause in d.pauses)

        if d.date < PROCEDURE_DAY - dt.timedelta(days=w.washout_days_before) or d.date >= settled:
            assert not paused
            assert d.serum is not None and d.serum.slot is serum_slot
    check_settled([d for d in result.days if d.date >= settled])
    check_settled([d for d in result.days if d.date < PROCEDURE_DAY - dt.timedelta(days=w.washout_days_before)])

    procedure_day = next(d for d in result.days if d.date == PROCEDURE_DAY)
    if w.home_serum_from_day:  # an open wound: no home serum until it has healed over
        held = [d for d in result.days if 0 <= (d.date - PROCEDURE_DAY).days < w.home_serum_from_day]
        assert held and all(d.serum is None for d in held)
        assert all(any(n.startswith("No home serum through ") for n in d.notes) for d in held)
        back = next(d for d in result.days if (d.date - PROCEDURE_DAY).days == w.home_serum_from_day)
        assert back.serum is not None
    elif w.serum_on_procedure_day:
        assert (procedure_day.serum.slot, procedure_day.serum.note) == (Slot.EVENING, "after your treatment")
    else:
        assert procedure_day.serum is None
        assert any("serum starts tomorrow" in note for note in procedure_day.notes)
    day_after = next(d for d in result.days if d.date == PROCEDURE_DAY + dt.timedelta(days=max(1, w.home_serum_from_day)))
    assert day_after.serum.slot is serum_slot
    if w.follow_clinician:
        assert any(note.startswith("Evidence for ") for note in procedure_day.notes)
