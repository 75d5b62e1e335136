"""The whole routine: products in the morning, the evening or both, layered by type, a sunscreen
last in the morning, and windows that pause only the products on the treated area."""

from __future__ import annotations

import datetime as dt

from planner.core import layering
from planner.core.model import (
    Area, Cadence, CadenceKind, DayPlan, Plan, ProcedureInput, ProductClass, ProductInput, ProductType, Profile,
    Screening, Slot, StepRole,
)
from planner.core.schedule import plan

D = dt.date
P = ProductClass
BOTH = frozenset(Slot)
SERUM = ProductInput(1, "Exosome serum", frozenset({P.EXOSOME}))
MOISTURIZER = ProductInput(2, "Daily moisturizer", frozenset({P.GENTLE}), slots=BOTH)
SUNSCREEN = ProductInput(3, "Daily fluid", frozenset({P.SUNSCREEN}))  # a name that says nothing: its UV filters
RETINOL = ProductInput(4, "Retinol 0.3", frozenset({P.RETINOID}))


def run(products, procedures=(), start=D(2026, 3, 1), end=D(2026, 4, 15), profile=Profile()) -> Plan:
    return plan(profile, procedures, products, start, end, today=start, screening=Screening())


def names(d: DayPlan, slot: Slot) -> list[str]:
    return [s.product_name for s in d.steps_in(slot)]


def day_of(result: Plan, when: D) -> DayPlan:
    return next(d for d in result.days if d.date == when)


# -- morning and evening ------------------------------------------------------------------------


def test_a_morning_routine_every_day_with_the_sunscreen_last():
    microneedling = ProcedureInput(9, "microneedling", D(2026, 3, 20))
    result = run([SERUM, MOISTURIZER, SUNSCREEN, RETINOL], [microneedling])
    for d in result.days:
        assert names(d, Slot.MORNING)[-1] == "Daily fluid", d
        if d.date != microneedling.date:  # on the procedure day the moisturizer goes on after it
            assert names(d, Slot.MORNING) == ["Daily moisturizer", "Daily fluid"], d
            assert "Daily moisturizer" in names(d, Slot.EVENING)
        assert [s.order for s in d.steps_in(Slot.MORNING)] == list(range(1, len(d.steps_in(Slot.MORNING)) + 1))
    treated = day_of(result, microneedling.date)
    assert names(treated, Slot.EVENING) == ["Exosome serum", "Daily moisturizer"]


def test_the_twice_a_day_product_is_marked_so_its_marks_are_kept_per_slot():
    d = run([SERUM, MOISTURIZER, SUNSCREEN]).days[0]
    twice = {(s.product_name, s.slot): s.twice for s in d.steps}
    assert twice == {("Daily moisturizer", Slot.MORNING): True, ("Daily moisturizer", Slot.EVENING): True,
                     ("Daily fluid", Slot.MORNING): False, ("Exosome serum", Slot.EVENING): False}


def test_types_default_the_slots():
    cleanser = ProductInput(5, "Gel wash", frozenset({P.GENTLE}))  # guessed: a cleanser
    oil = ProductInput(6, "Squalane oil", frozenset({P.GENTLE}))  # guessed: an oil, at night
    serum = ProductInput(7, "Niacinamide serum", frozenset({P.GENTLE}))  # with the exosome serum
    d = run([SERUM, cleanser, oil, serum], profile=Profile(serum_slot=Slot.MORNING)).days[0]
    assert names(d, Slot.MORNING) == ["Gel wash", "Niacinamide serum", "Exosome serum"]
    assert names(d, Slot.EVENING) == ["Gel wash", "Squalane oil"]


def test_the_chosen_type_beats_the_name():
    # named like a cream, chosen as a cleanser: first, morning and evening
    chosen = ProductInput(5, "Cream wash", frozenset({P.GENTLE}), product_type=ProductType.CLEANSER)
    toner = ProductInput(6, "Mystery", frozenset({P.GENTLE}), product_type=ProductType.TONER)
    d = run([SERUM, MOISTURIZER, chosen, toner]).days[0]
    assert names(d, Slot.EVENING) == ["Cream wash", "Mystery", "Exosome serum", "Daily moisturizer"]
    assert names(d, Slot.MORNING) == ["Cream wash", "Mystery", "Daily moisturizer"]
    assert layering.guess_type("Cream wash") is ProductType.CLEANSER
    assert layering.guess_type("Daily fluid", frozenset({P.SUNSCREEN})) is ProductType.SUNSCREEN
    assert layering.guess_type("Mystery") is None


def test_a_sunscreen_is_morning_only_whatever_the_slots():
    spf = ProductInput(5, "SPF 50 fluid", frozenset({P.GENTLE}), slots=BOTH)
    d = run([SERUM, spf]).days[0]
    assert names(d, Slot.MORNING) == ["SPF 50 fluid"] and "SPF 50 fluid" not in names(d, Slot.EVENING)


def test_an_exfoliant_used_both_keeps_one_slot_and_its_cadence():
    acid = ProductInput(5, "Glycolic toner", frozenset({P.AHA}), slots=BOTH,
                        cadence=Cadence(CadenceKind.EVERY_OTHER_DAY, anchor=D(2026, 1, 1)))
    morning_acid = ProductInput(6, "Mandelic pads", frozenset({P.AHA}), slots=frozenset({Slot.MORNING}))
    retinoid = ProductInput(7, "Retinal", frozenset({P.RETINOID}), slots=frozenset({Slot.MORNING}))
    result = run([SERUM, acid, morning_acid, retinoid])
    uses = [d for d in result.days if any(s.product_name == "Glycolic toner" for s in d.steps)]
    assert len(uses) == len(result.days) // 2  # every other day, once
    assert all([s.slot for s in d.steps if s.product_name == "Glycolic toner"] == [Slot.EVENING] for d in uses)
    d = result.days[0]
    assert "Mandelic pads" in names(d, Slot.MORNING)
    assert all(s.slot is Slot.EVENING for d in result.days for s in d.steps if s.product_name == "Retinal")


def test_the_exosome_serum_stays_one_step_a_day():
    serum = ProductInput(1, "Exosome serum", frozenset({P.EXOSOME}), slots=BOTH, product_type=ProductType.SERUM)
    result = run([serum, MOISTURIZER])
    assert all(len([s for s in d.steps if s.role is StepRole.SERUM]) == 1 for d in result.days)
    assert all(s.slot is Slot.EVENING for d in result.days for s in d.steps if s.role is StepRole.SERUM)


# -- the treated area ---------------------------------------------------------------------------


def test_laser_hair_removal_on_the_legs_leaves_a_facial_retinol_on_its_nights():
    legs = ProcedureInput(9, "laser_hair_removal", D(2026, 3, 20), area=Area.BODY)
    with_laser = run([SERUM, MOISTURIZER, RETINOL], [legs])
    without = run([SERUM, MOISTURIZER, RETINOL])
    assert [d.steps for d in with_laser.days] == [d.steps for d in without.days]
    assert all("Retinol 0.3" in names(d, Slot.EVENING) for d in with_laser.days)
    assert not any(d.pauses for d in with_laser.days)
    # the days still show the procedure, and say where
    marked = day_of(with_laser, D(2026, 3, 22))
    assert [m.label for m in marked.markers] == ["Recovery after laser hair removal on your body (day 2 of 5)"]


def test_a_window_pauses_the_products_on_the_treated_area_and_says_where():
    body_acid = ProductInput(5, "Glycolic body lotion", frozenset({P.AHA}), areas=frozenset({Area.BODY}))
    legs = ProcedureInput(9, "laser_hair_removal", D(2026, 3, 20), area=Area.BODY)
    result = run([SERUM, RETINOL, body_acid], [legs])
    d = day_of(result, D(2026, 3, 22))
    assert [p.product_name for p in d.pauses] == ["Glycolic body lotion"]
    assert d.pauses[0].reason == "no AHA on your body: day 2 of 5 after laser hair removal on 20 March"
    assert "Retinol 0.3" in names(d, Slot.EVENING)
    # a facial procedure does not pause the body lotion
    face = ProcedureInput(9, "laser_hair_removal", D(2026, 3, 20))
    d = day_of(run([SERUM, RETINOL, body_acid], [face]), D(2026, 3, 22))
    assert [p.product_name for p in d.pauses] == ["Retinol 0.3"]
    assert d.pauses[0].reason.startswith("no retinoid: day 2 of 5 after laser hair removal")
    assert "Glycolic body lotion" in names(d, Slot.EVENING)


def test_a_product_on_several_areas_pauses_for_each():
    retinol = ProductInput(4, "Retinol 0.3", frozenset({P.RETINOID}), areas=frozenset({Area.FACE, Area.NECK}))
    neck = ProcedureInput(9, "laser_hair_removal", D(2026, 3, 20), area=Area.NECK)
    d = day_of(run([SERUM, retinol], [neck]), D(2026, 3, 21))
    assert [p.reason for p in d.pauses] == ["no retinoid on your neck: day 1 of 5 after laser hair removal on 20 March"]


def test_an_open_wound_on_the_chest_holds_only_what_goes_on_the_chest():
    chest = ProcedureInput(9, "ablative_fractional_laser", D(2026, 3, 20), area=Area.CHEST)
    body_cream = ProductInput(5, "Body cream", frozenset({P.GENTLE}), areas=frozenset({Area.CHEST, Area.BODY}))
    d = day_of(run([SERUM, MOISTURIZER, body_cream], [chest]), D(2026, 3, 22))
    assert d.serum is not None and d.serum.product_name == "Exosome serum"
    assert "Daily moisturizer" in names(d, Slot.MORNING) and "Body cream" not in names(d, Slot.EVENING)
    assert d.notes[0].startswith("No home serum through 27 March after ablative fractional laser on your chest")
    assert "Held while the skin heals: Body cream" in " ".join(d.notes)
