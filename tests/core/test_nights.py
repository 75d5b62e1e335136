"""Issue 9's clinical rules with the real catalog: the way back after a window (cadence, ramp and
clashes as one rule), benzoyl peroxide with tretinoin, one exosome step a day, open wounds and
the clinician's number. Dates are the ones the issue found the old engine failing on."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core import catalog
from planner.core.model import (
    Cadence, CadenceKind, Intensity, Overrides, ProcedureInput, ProductClass, ProductInput, Profile, Screening, Slot,
    StepRole,
)
from planner.core.nights import spacing
from planner.core.ramp import RETINOID_RAMP
from planner.core.schedule import plan

D = dt.date
RET, AHA, BHA, PHA, EXO = (ProductClass.RETINOID, ProductClass.AHA, ProductClass.BHA, ProductClass.PHA,
                           ProductClass.EXOSOME)
SERUM = ProductInput(1, "Exosome serum", frozenset({EXO}))
RETINOL = ProductInput(2, "Retinol", frozenset({RET}))
GLYCOLIC = ProductInput(3, "Glycolic toner", frozenset({AHA}))


def used(result, name: str) -> list[D]:
    return [d.date for d in result.days if name in {s.product_name for s in d.steps}]


def gaps(dates: list[D]) -> list[int]:
    return [(b - a).days for a, b in zip(dates, dates[1:])]


def run(procedures, products, start, end, profile=Profile()):
    return plan(profile, procedures, products, start, end, today=start, screening=Screening())


# -- 3. the way back ---------------------------------------------------------------------------


@pytest.mark.parametrize("procedure_day", [D(2028, 2, 20), D(2028, 2, 21), D(2027, 6, 15), D(2027, 6, 16)])
def test_a_ramp_night_lost_to_an_acid_moves_instead_of_vanishing(procedure_day):
    """Standard microneedling, a daily retinol and a daily glycolic toner: the retinol came back
    on 9, 12 and 15 March 2028 and then not until the 24th; its ramp nights fell on acid nights."""
    w = catalog.windows_for("microneedling")
    result = run([ProcedureInput(9, "microneedling", procedure_day)], [SERUM, RETINOL, GLYCOLIC],
                 procedure_day, procedure_day + dt.timedelta(days=60))
    back = procedure_day + dt.timedelta(days=w.retinoid_days_after + 1)
    ramp_end = back + dt.timedelta(days=sum(s.days for s in RETINOID_RAMP))
    nights = [d for d in used(result, "Retinol") if back <= d < ramp_end]
    assert nights and (nights[0] - back).days <= 2
    assert all(g <= 3 for g in gaps(nights)), gaps(nights)
    assert gaps(nights)[:4] in ([3, 3, 3, 2], [3, 3, 2, 2], [3, 3, 3, 3], [2, 3, 3, 3], [3, 2, 3, 3])
    for d in result.days:  # never both on one evening
        assert not {"Retinol", "Glycolic toner"} <= {s.product_name for s in d.steps}, d.date


def test_the_plan_does_not_depend_on_the_parity_of_the_procedure_date():
    shapes = []
    for procedure_day in (D(2028, 2, 20), D(2028, 2, 21)):
        result = run([ProcedureInput(9, "microneedling", procedure_day)], [SERUM, RETINOL, GLYCOLIC],
                     procedure_day, procedure_day + dt.timedelta(days=70))
        shapes.append([tuple(s.product_name for s in d.steps) for d in result.days])
    assert shapes[0] == shapes[1]


def test_every_other_day_retinol_next_to_a_monday_wednesday_friday_glycolic():
    """2027: the retinol got 3, 1, 3, 1… nights in successive weeks and none from 17 to 23 January."""
    retinol = ProductInput(2, "Retinol", frozenset({RET}), cadence=Cadence(CadenceKind.EVERY_OTHER_DAY,
                                                                            anchor=D(2027, 1, 1)))
    glycolic = ProductInput(3, "Glycolic toner", frozenset({AHA}),
                            cadence=Cadence(CadenceKind.WEEKDAYS, weekdays=frozenset({0, 2, 4})))
    result = run([], [SERUM, retinol, glycolic], D(2027, 1, 4), D(2027, 3, 1))  # from a Monday
    weeks = [sum(1 for d in used(result, "Retinol") if 0 <= (d - D(2027, 1, 4)).days - 7 * w < 7) for w in range(8)]
    assert weeks == [3] * 8, weeks
    assert any(D(2027, 1, 17) <= d <= D(2027, 1, 23) for d in used(result, "Retinol"))
    assert used(result, "Glycolic toner") == [d.date for d in result.days if d.date.weekday() in (0, 2, 4)]
    assert all(g >= 2 for g in gaps(used(result, "Retinol")))  # never a doubled dose
    assert any(s.note == "moved here from a night it gave up to Glycolic toner"
               for d in result.days if d.date.weekday() == 1 for s in d.steps)



def test_a_dose_that_waited_for_its_spacing_says_it_moved():
    """The retinol gives Monday 11 January 2027 to the acid and moves to Tuesday; its Wednesday
    comes too soon after that, so it waits to Thursday, a day its cadence does not ask for: that
    step says it moved (the wording used to be lost because the rival's name was empty)."""
    retinol = ProductInput(2, "Retinol", frozenset({RET}), cadence=Cadence(CadenceKind.EVERY_OTHER_DAY,
                                                                            anchor=D(2027, 1, 1)))
    glycolic = ProductInput(3, "Glycolic toner", frozenset({AHA}),
                            cadence=Cadence(CadenceKind.WEEKDAYS, weekdays=frozenset({0, 2, 4})))
    result = run([], [SERUM, retinol, glycolic], D(2027, 1, 4), D(2027, 1, 25))
    day = {d.date: d for d in result.days}
    assert "Retinol waits: its last dose moved to last night, and doses stay at least 2 days apart." in day[
        D(2027, 1, 13)].notes
    notes = {s.product_name: s.note for s in day[D(2027, 1, 14)].steps}
    assert notes["Retinol"] == "moved a night so its doses keep their spacing"
    assert {s.product_name: s.note for s in day[D(2027, 1, 19)].steps}["Retinol"] == ""  # due that day: no note

def test_spacing_of_each_cadence():
    assert spacing(Cadence()) == 1
    assert spacing(Cadence(CadenceKind.EVERY_N_DAYS, 5)) == 5
    assert spacing(Cadence(CadenceKind.WEEKDAYS, weekdays=frozenset({0, 2, 4}))) == 2
    assert spacing(Cadence(CadenceKind.WEEKDAYS, weekdays=frozenset({0}))) == 2
    assert spacing(Cadence(CadenceKind.WEEKDAYS, weekdays=frozenset({0, 1}))) == 1


EXFOLIANT_CLASSES = [RET, AHA, BHA, PHA, ProductClass.ENZYME, ProductClass.PHYSICAL_EXFOLIANT,
                     ProductClass.OTHER_ACTIVE]
KINDS = [kind.key for kind in catalog.procedure_kinds()]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(KINDS), st.sampled_from(list(Intensity)), st.dates(D(2024, 1, 1), D(2028, 12, 31)),
       st.lists(st.sampled_from(EXFOLIANT_CLASSES), min_size=1, max_size=4))
def test_during_a_ramp_every_exfoliant_gets_a_night_at_least_every_third_night(kind, intensity, day, classes):
    products = [SERUM] + [ProductInput(i + 2, f"P{i}", frozenset({c})) for i, c in enumerate(classes)]
    w = catalog.windows_for(kind, intensity)
    result = run([ProcedureInput(9, kind, day, intensity)], products, day, day + dt.timedelta(days=90))
    for p in products[1:]:
        after = w.retinoid_days_after if RET in p.classes else w.actives_days_after
        back = day + dt.timedelta(days=after + 1)
        ramp_end = back + dt.timedelta(days=14)
        nights = [d for d in used(result, p.name) if back <= d < ramp_end]
        assert nights and (nights[0] - back).days <= 2, (p, nights)
        assert all(g <= 3 for g in gaps(nights)), (p.classes, gaps(nights))


@settings(max_examples=60, deadline=None)
@given(st.none() | st.tuples(st.sampled_from(KINDS), st.dates(D(2024, 1, 1), D(2028, 12, 31))),
       st.sampled_from([AHA, BHA, PHA]), st.integers(min_value=0, max_value=60))
def test_after_the_ramp_two_daily_clashing_exfoliants_get_14_nights_each_in_any_28(procedure, acid, offset):
    retinol, other = RETINOL, ProductInput(3, "Acid", frozenset({acid}))
    if procedure is None:
        procs, settled = [], D(2026, 1, 1)
    else:
        kind, day = procedure
        w = catalog.windows_for(kind)
        procs = [ProcedureInput(9, kind, day)]
        settled = day + dt.timedelta(days=max(w.retinoid_days_after, w.actives_days_after) + 15)
    start = settled + dt.timedelta(days=offset)
    result = run(procs, [SERUM, retinol, other], start - dt.timedelta(days=3), start + dt.timedelta(days=28))
    window = [d for d in result.days if d.date >= start]
    assert len(window) == 28
    for name in ("Retinol", "Acid"):
        count = sum(name in {s.product_name for s in d.steps} for d in window)
        assert 13 <= count <= 15, (name, count)


def shifted_cadence(cadence: Cadence, days: int) -> Cadence:
    return Cadence(cadence.kind, cadence.every_n_days, frozenset((d + days) % 7 for d in cadence.weekdays),
                   cadence.anchor + dt.timedelta(days=days))


cadences = st.one_of(
    st.just(Cadence()),
    st.builds(Cadence, st.just(CadenceKind.EVERY_OTHER_DAY), anchor=st.dates(D(2024, 1, 1), D(2026, 12, 31))),
    st.builds(Cadence, st.just(CadenceKind.WEEKDAYS), weekdays=st.frozensets(st.integers(0, 6), min_size=1)),
    st.builds(Cadence, st.just(CadenceKind.EVERY_N_DAYS), st.integers(1, 5), anchor=st.dates(D(2024, 1, 1),
                                                                                            D(2026, 12, 31))),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(KINDS), st.integers(-40, 80), st.sampled_from(list(Intensity))),
                max_size=3),
       st.lists(st.tuples(st.frozensets(st.sampled_from([RET, AHA, BHA, PHA, EXO, ProductClass.GENTLE]),
                                        min_size=1, max_size=2), cadences, st.sampled_from([None, *Slot])),
                min_size=1, max_size=4),
       st.dates(D(2025, 1, 1), D(2026, 6, 30)))
def test_shifting_every_date_by_one_day_shifts_the_plan_by_one_day(procs, prods, start):
    def build(days: int):
        shift = dt.timedelta(days=days)
        procedures = [ProcedureInput(i + 1, kind, start + dt.timedelta(days=offset) + shift, intensity)
                      for i, (kind, offset, intensity) in enumerate(procs)]
        products = [ProductInput(i + 1, f"P{i}", classes, cadence=shifted_cadence(cadence, days), slot=slot)
                    for i, (classes, cadence, slot) in enumerate(prods)]
        return run(procedures, products, start + shift, start + shift + dt.timedelta(days=120))

    def shape(result):
        return [([(s.product_id, s.slot, s.role, s.order) for s in d.steps],
                 [(p.product_id, p.product_class, p.procedure_id) for p in d.pauses],
                 [(m.kind, m.procedure_id, m.day_number, m.days_total) for m in d.markers], len(d.notes))
                for d in result.days]

    assert shape(build(0)) == shape(build(1))


# -- 4. benzoyl peroxide with tretinoin --------------------------------------------------------


def test_benzoyl_peroxide_never_shares_a_routine_with_tretinoin_but_may_with_adapalene():
    tretinoin = ProductInput(2, "Tretinoin cream", frozenset({RET}), ingredients=frozenset({"tretinoin"}))
    adapalene = ProductInput(4, "Adapalene gel", frozenset({RET}), ingredients=frozenset({"adapalene"}))
    bpo = ProductInput(3, "BPO wash", frozenset({ProductClass.OTHER_ACTIVE}), ingredients=frozenset({"benzoyl_peroxide"}))
    result = run([], [SERUM, tretinoin, bpo], D(2026, 3, 1), D(2026, 3, 29))
    assert all(not {"Tretinoin cream", "BPO wash"} <= {s.product_name for s in d.steps} for d in result.days)
    assert 13 <= len(used(result, "Tretinoin cream")) <= 15 and 13 <= len(used(result, "BPO wash")) <= 15
    note = next(n for d in result.days for n in d.notes if n.startswith("BPO wash moves"))
    assert "benzoyl peroxide breaks tretinoin down" in note and "MARTIN_1998_BJD" in note
    morning = ProductInput(3, "BPO wash", bpo.classes, slot=Slot.MORNING, ingredients=bpo.ingredients)
    result = run([], [SERUM, tretinoin, morning], D(2026, 3, 1), D(2026, 3, 8))
    assert all({"Tretinoin cream", "BPO wash"} <= {s.product_name for s in d.steps} for d in result.days)
    result = run([], [SERUM, adapalene, bpo], D(2026, 3, 1), D(2026, 3, 8))
    assert all({"Adapalene gel", "BPO wash"} <= {s.product_name for s in d.steps} for d in result.days)


# -- 5. one exosome step -----------------------------------------------------------------------


def test_an_exosome_product_with_a_retinoid_is_the_one_serum_step_with_the_retinoids_windows():
    exo_retinol = ProductInput(5, "Exosome retinol serum", frozenset({EXO, RET}))
    day = D(2026, 3, 12)
    w = catalog.windows_for("microneedling")
    result = run([ProcedureInput(9, "microneedling", day)], [exo_retinol], D(2026, 3, 1), D(2026, 4, 30))
    for d in result.days:
        exosome_steps = [s for s in d.steps if s.role is StepRole.SERUM or s.product_id == 5]
        assert len(exosome_steps) <= 1, d
        offset = (d.date - day).days
        if -w.washout_days_before <= offset <= w.retinoid_days_after:
            assert not d.steps, d
            assert any(p.product_id == 5 for p in d.pauses) or offset == 0
    assert day_of(result, D(2026, 3, 1)).serum.product_id == 5
    assert "Exosome serum" not in {s.product_name for d in result.days for s in d.steps}
    assert any(n.startswith("No exosome serum today: Exosome retinol serum also holds an exfoliant")
               for n in day_of(result, day + dt.timedelta(days=w.retinoid_days_after + 2)).notes)
    # with a plain exosome serum too, that one fills the step on the retinoid serum's days off
    result = run([ProcedureInput(9, "microneedling", day)], [exo_retinol, ProductInput(7, "Plain exosomes",
                 frozenset({EXO}))], D(2026, 3, 1), D(2026, 4, 30))
    assert all(len([s for s in d.steps if s.role is StepRole.SERUM]) <= 1 for d in result.days)
    assert day_of(result, day + dt.timedelta(days=3)).serum.product_id == 7


def day_of(result, when: D):
    return next(d for d in result.days if d.date == when)


# -- 2. open wounds ----------------------------------------------------------------------------


def test_after_ablative_fractional_laser_no_home_serum_until_healed_over():
    day = D(2026, 3, 12)
    cream = ProductInput(6, "Barrier cream", frozenset({ProductClass.GENTLE}))
    clinic_balm = ProductInput(7, "Clinic healing balm", frozenset({ProductClass.GENTLE}), clinic_approved=True)
    w = catalog.windows_for("ablative_fractional_laser")
    assert w.home_serum_from_day == 8
    result = run([ProcedureInput(9, "ablative_fractional_laser", day)], [SERUM, cream, clinic_balm],
                 D(2026, 3, 1), D(2026, 4, 1))
    for offset in range(0, 8):
        d = day_of(result, day + dt.timedelta(days=offset))
        # a balm is a moisturizer: morning and evening, once (after the treatment) on the day itself
        twice = ["Clinic healing balm"] * (1 if offset == 0 else 2)
        assert d.serum is None and [s.product_name for s in d.steps] == twice, d
        assert d.notes[0].startswith("No home serum through 19 March after ablative fractional laser on 12 March")
        assert "Held while the skin heals: Barrier cream" in " ".join(d.notes)
    back = day_of(result, day + dt.timedelta(days=8))
    assert back.serum.product_name == "Exosome serum" and "Barrier cream" in {s.product_name for s in back.steps}
    # the clinic's own exosome gel goes on after the treatment, as in the trial
    clinic_serum = ProductInput(1, "Clinic exosome gel", frozenset({EXO}), clinic_approved=True)
    result = run([ProcedureInput(9, "ablative_fractional_laser", day)], [clinic_serum], D(2026, 3, 12), D(2026, 3, 14))
    assert result.days[0].serum.note == "after your treatment"
    # the clinician's "home serum allowed from day N" wins, and the day says whose number it is
    override = Overrides(home_serum_from_day=3)
    result = run([ProcedureInput(9, "ablative_fractional_laser", day, overrides=override)], [SERUM],
                 D(2026, 3, 12), D(2026, 3, 20))
    assert [d.serum is not None for d in result.days[:5]] == [False, False, False, True, True]
    assert "your clinician's number" in result.days[0].notes[0]


# -- 6. the clinician's number ------------------------------------------------------------------


def test_the_clinicians_number_wins_and_says_so():
    day = D(2026, 3, 12)
    override = Overrides(washout_days_before=0, retinoid_days_after=0, actives_days_after=0)
    result = run([ProcedureInput(9, "fully_ablative_resurfacing", day, overrides=override)], [SERUM, RETINOL],
                 D(2026, 3, 10), D(2026, 3, 15))
    assert "Retinol" in {s.product_name for s in day_of(result, D(2026, 3, 11)).steps}
    assert day_of(result, day).pauses[0].reason == "no retinoid: procedure day (fully ablative laser resurfacing)"
    override = Overrides(retinoid_days_after=3)
    result = run([ProcedureInput(9, "microneedling", day, overrides=override)], [SERUM, RETINOL],
                 D(2026, 3, 13), D(2026, 3, 14))
    assert result.days[0].pauses[0].reason == ("no retinoid: day 1 of 3 after microneedling on 12 March, "
                                               "your clinician's number")


def test_a_plan_split_anywhere_is_the_same_plan_even_before_every_input_date():
    """Decisions run from a point the inputs fix, never from the range: [a, c) = [a, b) + [b, c)."""
    later = Cadence(CadenceKind.EVERY_OTHER_DAY, anchor=D(2031, 1, 1))
    products = [SERUM, ProductInput(2, "Retinol", frozenset({RET}), cadence=later), GLYCOLIC]
    whole = run([], products, D(2026, 3, 1), D(2026, 4, 1))
    for cut in (D(2026, 3, 2), D(2026, 3, 17)):
        assert run([], products, D(2026, 3, 1), cut).days + run([], products, cut, D(2026, 4, 1)).days == whole.days
