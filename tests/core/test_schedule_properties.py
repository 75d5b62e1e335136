"""Properties of the engine over random users, procedures and ranges (Hypothesis).

The windows are recomputed here from the catalog, independently of the engine, so "nothing
paused inside a window" is checked against the rule itself, not against the engine's own sums.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core import catalog
from planner.core.cadence import due_test
from planner.core.model import (
    ACID_CLASSES, DEFAULT_AREAS, PAUSED_CLASSES, Area, Cadence, CadenceKind, Finding, Intensity, Overrides, Plan, ProcedureInput,
    ProductClass, ProductInput, ProductType, Profile, Screening, Severity, Slot, StepRole,
)
from planner.core.schedule import plan
from tests.support.cadence import is_due

D = dt.date
KINDS = [kind.key for kind in catalog.procedure_kinds()]
BLOCKED = Screening((Finding(Severity.BLOCK, "active_cancer", "…"),))
NAMES = ["Cleanser", "Toner", "Essence", "Serum", "Cream", "Face oil", "SPF 50", "Thing", "Peel pads", "Mask"]
ZONES = ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/St_Johns", "Asia/Kathmandu", "Europe/London"]

#: The face most of the time, as for most users; the body and the chest to meet it or not.
areas = st.sampled_from([Area.FACE, Area.FACE, Area.BODY, Area.CHEST])
SLOT_CHOICES = [frozenset(), frozenset({Slot.MORNING}), frozenset({Slot.EVENING}), frozenset(Slot)]
days_count = st.integers(min_value=0, max_value=40)
overrides = st.builds(Overrides, st.none() | days_count, st.none() | days_count, st.none() | days_count)
cadences = st.one_of(
    st.just(Cadence()),
    st.builds(Cadence, st.just(CadenceKind.EVERY_OTHER_DAY), anchor=st.dates(D(2023, 1, 1), D(2029, 12, 31))),
    st.builds(Cadence, st.just(CadenceKind.WEEKDAYS),
              weekdays=st.frozensets(st.integers(min_value=0, max_value=6))),
    st.builds(Cadence, st.just(CadenceKind.EVERY_N_DAYS), st.integers(min_value=1, max_value=6),
              anchor=st.dates(D(2023, 1, 1), D(2029, 12, 31))),
)
#: A day to centre things on: leap days and a year end come up often, any 2024-2028 date too.
anchor_days = st.sampled_from([D(2024, 2, 29), D(2028, 2, 29), D(2025, 12, 31)]) | st.dates(
    D(2024, 1, 1), D(2028, 12, 31))


@st.composite
def scenarios(draw):
    centre = draw(anchor_days)
    offset = st.integers(min_value=-60, max_value=60).map(lambda n: centre + dt.timedelta(days=n))
    procedures = [
        ProcedureInput(i + 1, draw(st.sampled_from(KINDS)), draw(offset), draw(st.sampled_from(list(Intensity))),
                       draw(st.just(Overrides()) | overrides), area=draw(areas))
        for i in range(draw(st.integers(min_value=0, max_value=5)))
    ]
    products = [
        ProductInput(i + 1, draw(st.sampled_from(NAMES)),
                     draw(st.frozensets(st.sampled_from(list(ProductClass)), max_size=3)),
                     cadence=draw(cadences), slot=draw(st.sampled_from([None, *Slot])),
                     slots=draw(st.sampled_from(SLOT_CHOICES)), product_type=draw(st.none() | st.sampled_from(list(ProductType))),
                     areas=draw(st.just(DEFAULT_AREAS) | st.frozensets(areas, min_size=1, max_size=3)))
        for i in range(draw(st.integers(min_value=0, max_value=6)))
    ]
    profile = Profile(draw(st.sampled_from(ZONES)), draw(st.sampled_from(list(Slot))))
    a, b, c = sorted(draw(offset) for _ in range(3))
    screening = draw(st.sampled_from([Screening(), BLOCKED]))
    return profile, procedures, products, (a, b, c), screening


def paused_classes(day: D, procedures: list[ProcedureInput], areas: frozenset[Area]) -> dict[ProductClass, bool]:
    """Which classes the catalog's windows pause on ``day`` on ``areas`` (the rule, recomputed)."""
    paused = dict.fromkeys(PAUSED_CLASSES, False)
    for p in procedures:
        if p.area not in areas:
            continue
        w = catalog.windows_for(p.kind, p.intensity, p.overrides)
        offset = (day - p.date).days
        for cls in PAUSED_CLASSES:
            after = w.retinoid_days_after if cls is ProductClass.RETINOID else w.actives_days_after
            paused[cls] |= -w.washout_days_before <= offset <= after
    return paused


def check(result: Plan, procedures, products, blocked: bool) -> None:
    by_id = {p.id: p for p in products}
    exosome = ProductClass.EXOSOME
    exosomes = [p for p in products if exosome in p.classes]
    has_peptide = any(ProductClass.PEPTIDE in p.classes and not p.classes & (PAUSED_CLASSES | {exosome})
                      for p in products)
    serum_id = None if not exosomes or blocked else min(exosomes, key=lambda p: p.id).id
    exfoliants = [p for p in products if p.classes & PAUSED_CLASSES and (exosome not in p.classes or p.id == serum_id)]
    plain_serum = not exosomes or not min(exosomes, key=lambda p: p.id).classes & PAUSED_CLASSES
    serum_areas = DEFAULT_AREAS if not exosomes or blocked else min(exosomes, key=lambda p: p.id).areas

    def areas_of(step) -> frozenset[Area]:
        return DEFAULT_AREAS if step.product_id is None else by_id[step.product_id].areas

    for d in result.days:
        def healing(areas: frozenset[Area]) -> bool:
            return any(0 <= (d.date - p.date).days < catalog.windows_for(p.kind, p.intensity, p.overrides)
                       .home_serum_from_day for p in procedures if p.area in areas)

        serums = [s for s in d.steps if s.role is StepRole.SERUM]
        no_serum_today = any(p.date == d.date and not catalog.windows_for(p.kind).serum_on_procedure_day
                             for p in procedures if p.area in serum_areas)
        assert len(serums) <= 1  # one exosome step a day, always
        exosome_steps = [s for s in d.steps if s.product_id is None or exosome in by_id[s.product_id].classes]
        assert len(exosome_steps) <= 1
        if not blocked and plain_serum and not healing(serum_areas):
            assert len(serums) == (0 if no_serum_today else 1)
        if blocked and not has_peptide:
            assert not serums
        for s in d.steps:  # nobody marked a product as approved by their clinic here
            assert s.role is StepRole.EXFOLIANT or not healing(areas_of(s)), (d, s)
        if blocked and serums:
            assert ProductClass.PEPTIDE in by_id[serums[0].product_id].classes

        ids = [s.product_id for s in d.steps if s.role is not StepRole.LAYER]
        assert len(ids) == len(set(ids))  # never a double dose
        layers = [(s.product_id, s.slot) for s in d.steps if s.role is StepRole.LAYER]
        assert len(layers) == len(set(layers))  # a gentle product at most once per slot
        assert all(s.twice == ([i for i, _ in layers].count(s.product_id) == 2) for s in d.steps
                   if s.role is StepRole.LAYER)
        for slot in Slot:
            assert [s.order for s in d.steps_in(slot)] == list(range(1, len(d.steps_in(slot)) + 1))
        for step in d.steps:
            classes = by_id[step.product_id].classes if step.product_id is not None else frozenset()
            paused = paused_classes(d.date, procedures, areas_of(step))
            assert not any(paused[c] for c in classes & PAUSED_CLASSES), (d.date, step)
            if blocked:
                assert ProductClass.EXOSOME not in classes
        evening = [by_id[s.product_id].classes for s in d.steps_in(Slot.EVENING) if s.product_id is not None]
        retinoid = any(ProductClass.RETINOID in c for c in evening)
        acid = any(c & ACID_CLASSES and ProductClass.RETINOID not in c for c in evening)
        assert not (retinoid and acid), d.date

        pauses = {pause.product_id: pause for pause in d.pauses}
        for pause in d.pauses:
            product = by_id[pause.product_id]
            assert pause.reason and pause.product_class in product.classes & PAUSED_CLASSES
            assert paused_classes(d.date, procedures, product.areas)[pause.product_class]
        for p in exfoliants:
            paused = paused_classes(d.date, procedures, p.areas)
            if is_due(p.cadence, d.date) and any(paused[c] for c in p.classes & PAUSED_CLASSES):
                assert p.id in pauses, (d.date, p)


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_engine_properties(scenario):
    profile, procedures, products, (a, b, c), screening = scenario
    whole = plan(profile, procedures, products, a, c, today=a, screening=screening)
    check(whole, procedures, products, screening.blocks_exosomes)
    assert [d.date for d in whole.days] == [a + dt.timedelta(days=n) for n in range((c - a).days)]

    first = plan(profile, procedures, products, a, b, today=a, screening=screening)
    second = plan(profile, procedures, products, b, c, today=a, screening=screening)
    assert whole.days == first.days + second.days
    assert whole.notes == first.notes == second.notes

    again = plan(Profile("UTC", profile.serum_slot), procedures[::-1], products[::-1], a, c, today=a, screening=screening)
    assert again == whole


@settings(deadline=None, max_examples=300)
@given(cadences, st.dates(D(2020, 1, 1), D(2032, 12, 31)))
def test_the_engines_due_test_agrees_with_the_plain_reference(cadence, day):
    assert due_test(cadence)(day.toordinal()) is is_due(cadence, day)
