"""Each rule of the schedule engine, with injected windows, exact dates and exact reasons."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.core import cadence, layering, ramp, reasons
from planner.core.model import (
    Cadence, CadenceKind, DayPlan, Finding, MarkerKind, Plan, ProcedureInput, ProductClass, ProductInput,
    Profile, SafetyAnswers, Screening, Severity, Slot, StepRole, Windows,
)
from planner.core.schedule import plan

D = dt.date
RET, AHA, BHA, PHA = ProductClass.RETINOID, ProductClass.AHA, ProductClass.BHA, ProductClass.PHA
EXO, PEP, GENTLE = ProductClass.EXOSOME, ProductClass.PEPTIDE, ProductClass.GENTLE
DAILY = Cadence()
EVERY_OTHER = Cadence(CadenceKind.EVERY_OTHER_DAY, anchor=D(2025, 1, 1))

#: Injected windows: (washout, retinoid after, actives after, serum on the day, follow clinician).
WINDOWS = {
    "microneedling": Windows(3, 7, 4, 2, True, False),
    "laser_resurfacing": Windows(5, 10, 10, 5, False, False),
    "deep_peel": Windows(2, 3, 3, 10, False, True),
    "quick": Windows(1, 1, 1, 0, True, False),
}


def windows(kind, intensity, overrides):
    return WINDOWS[kind]


def product(pid: int, name: str, *classes: ProductClass, cadence: Cadence = DAILY, slot: Slot | None = None):
    return ProductInput(pid, name, frozenset(classes), cadence=cadence, slot=slot)


def procedure(pid: int, kind: str, day: D) -> ProcedureInput:
    return ProcedureInput(pid, kind, day)


EXOSOME = product(1, "Exosome Serum", EXO)
RETINOL = product(2, "Retinol", RET)
GLYCOLIC = product(3, "Glycolic toner", AHA, cadence=EVERY_OTHER)


def make(products=(EXOSOME,), procedures=(), start=D(2025, 3, 1), end=D(2025, 4, 30), profile=Profile(),
         screening: Screening | None = None) -> Plan:
    return plan(profile, procedures, products, start, end, today=start, windows=windows, screening=screening or Screening())


def day(p: Plan, when: D) -> DayPlan:
    return next(d for d in p.days if d.date == when)


def names(d: DayPlan, slot: Slot | None = None) -> list[str]:
    return [s.product_name for s in (d.steps if slot is None else d.steps_in(slot))]


def reasons_of(d: DayPlan) -> dict[str, str]:
    return {p.product_name: p.reason for p in d.pauses}


# -- 1. the serum ------------------------------------------------------------------------------


@pytest.mark.parametrize("slot", list(Slot))
def test_one_serum_a_day_in_the_profile_slot(slot):
    p = make(profile=Profile(serum_slot=slot))
    assert len(p.days) == 60
    for d in p.days:
        serums = [s for s in d.steps if s.role is StepRole.SERUM]
        assert [(s.product_id, s.slot, s.order) for s in serums] == [(1, slot, 1)]


def test_serum_is_the_lowest_id_exosome_product_and_a_note_says_so():
    second = product(7, "Other exosomes", EXO)
    p = make(products=(second, product(4, "Exo B", EXO)))
    assert {d.serum.product_id for d in p.days} == {4}
    assert all("Other exosomes" not in names(d) for d in p.days)
    assert "You have 2 exosome serums; the plan uses Exo B, once a day: one is enough." in p.notes


def test_generic_serum_when_the_user_has_none():
    d = make(products=()).days[0]
    assert (d.serum.product_id, d.serum.product_name) == (None, "Exosome serum")


def test_no_serum_on_a_procedure_day_that_does_not_allow_it():
    p = make(procedures=[procedure(9, "laser_resurfacing", D(2025, 3, 20))])
    assert day(p, D(2025, 3, 20)).serum is None
    assert "No exosome serum today: serum starts tomorrow, the day after laser resurfacing." in day(
        p, D(2025, 3, 20)).notes
    assert day(p, D(2025, 3, 19)).serum is not None
    assert day(p, D(2025, 3, 21)).serum.note == ""


def test_serum_moves_to_the_evening_after_the_treatment():
    p = make(procedures=[procedure(9, "microneedling", D(2025, 3, 12))], profile=Profile(serum_slot=Slot.MORNING))
    serum = day(p, D(2025, 3, 12)).serum
    assert (serum.slot, serum.note) == (Slot.EVENING, "after your treatment")
    assert day(p, D(2025, 3, 13)).serum.slot is Slot.MORNING


def test_two_procedures_one_day_the_cautious_one_wins():
    p = make(procedures=[procedure(1, "microneedling", D(2025, 3, 12)), procedure(2, "quick", D(2025, 3, 12)),
                         procedure(3, "laser_resurfacing", D(2025, 3, 12))])
    assert day(p, D(2025, 3, 12)).serum is None
    # Microneedling alone would have allowed the serum that evening: the resurfacing decided.
    alone = make(procedures=[procedure(1, "microneedling", D(2025, 3, 12))])
    assert day(alone, D(2025, 3, 12)).serum is not None


# -- 2. layering -------------------------------------------------------------------------------


def test_gentle_products_are_layered_thinnest_to_thickest():
    products = [
        product(10, "Face oil", GENTLE), product(11, "Rich cream", GENTLE), product(12, "Copper peptide", PEP),
        product(13, "Hydrating toner", GENTLE), product(14, "Gel cleanser", GENTLE),
        product(15, "Essence", GENTLE),
        product(16, "Sunscreen SPF 50", GENTLE), product(17, "Niacinamide serum", GENTLE), EXOSOME,
    ]
    d = make(products=products).days[0]
    assert names(d, Slot.EVENING) == ["Gel cleanser", "Hydrating toner", "Essence", "Niacinamide serum",
                                      "Exosome Serum", "Copper peptide", "Rich cream", "Face oil"]
    assert [s.order for s in d.steps_in(Slot.EVENING)] == list(range(1, 9))
    # what is used twice a day is in the morning too (by type, guessed from the name), the sunscreen last
    assert [(s.product_name, s.order) for s in d.steps_in(Slot.MORNING)] == [
        ("Gel cleanser", 1), ("Hydrating toner", 2), ("Essence", 3), ("Rich cream", 4), ("Sunscreen SPF 50", 5)]
    assert all(s.role is StepRole.LAYER for s in d.steps if s.product_id != 1)


def test_layer_ties_break_by_id_and_the_users_slot_wins():
    d = make(products=[product(5, "Cream B", GENTLE), product(3, "Cream A", GENTLE),
                       product(4, "Mist", GENTLE, slot=Slot.MORNING), EXOSOME]).days[0]
    assert names(d, Slot.EVENING) == ["Exosome Serum", "Cream A", "Cream B"]
    assert names(d, Slot.MORNING) == ["Mist", "Cream A", "Cream B"]  # creams are used morning and evening


@pytest.mark.parametrize(("name", "rank"), [
    ("Cleansing oil", layering.CLEANSER), ("Oil-free moisturiser SPF 30", layering.SUNSCREEN),
    ("Glow toner pads", layering.TONER), ("Squalane oil", layering.OIL), ("Barrier cream", layering.CREAM),
    ("Mystery", None), ("Apricot scrub", layering.RINSE_OFF),
])
def test_name_rank(name, rank):
    assert layering.name_rank(name) == rank


def test_gentle_layers_follow_their_own_cadence():
    mask = product(5, "Sheet mask", GENTLE, cadence=Cadence(CadenceKind.WEEKDAYS, weekdays=frozenset({6})))
    p = make(products=[EXOSOME, mask])
    assert [d.date.weekday() for d in p.days if "Sheet mask" in names(d)] == [6] * 9


# -- 3. cadence --------------------------------------------------------------------------------


def is_due(c: Cadence, day: dt.date) -> bool:
    return cadence.due_test(c)(day.toordinal())


def test_cadence_is_anchored_on_its_date_not_on_the_range():
    assert is_due(EVERY_OTHER, D(2025, 3, 1)) is False  # 59 days after the anchor
    assert is_due(EVERY_OTHER, D(2024, 12, 30)) is True  # before the anchor too
    every_3 = Cadence(CadenceKind.EVERY_N_DAYS, every_n_days=3, anchor=D(2025, 3, 2))
    due = [is_due(every_3, D(2025, 3, n)) for n in range(1, 7)]
    assert due == [False, True, False, False, True, False]
    a = make(products=[EXOSOME, GLYCOLIC], start=D(2025, 3, 1))
    b = make(products=[EXOSOME, GLYCOLIC], start=D(2025, 3, 2))
    assert a.days[1:] == b.days
    assert [d.date.day for d in a.days[:6] if "Glycolic toner" in names(d)] == [2, 4, 6]


def test_weekdays_and_slots():
    bha = product(4, "BHA", BHA, cadence=Cadence(CadenceKind.WEEKDAYS, weekdays=frozenset({0, 2, 4})),
                  slot=Slot.MORNING)
    morning_retinoid = product(5, "Retinal", RET, slot=Slot.MORNING)
    p = make(products=[EXOSOME, bha, morning_retinoid], start=D(2025, 3, 3), end=D(2025, 3, 10))
    assert [d.date.weekday() for d in p.days if "BHA" in names(d, Slot.MORNING)] == [0, 2, 4]
    assert all(names(d, Slot.EVENING)[-1] == "Retinal" for d in p.days)


def test_describe_cadence():
    assert cadence.describe(Cadence(CadenceKind.WEEKDAYS, weekdays=frozenset({4, 0}))) == "Mon, Fri"
    assert cadence.describe(Cadence(CadenceKind.EVERY_N_DAYS, every_n_days=3)) == "every 3 days"
    assert cadence.describe(Cadence(CadenceKind.EVERY_OTHER_DAY)) == "every other day"
    assert cadence.describe(Cadence(CadenceKind.DAILY)) == "daily"


# -- 4. windows and pauses ---------------------------------------------------------------------


def test_pause_reasons_in_plain_words():
    scrub = product(4, "Walnut scrub", ProductClass.PHYSICAL_EXFOLIANT)
    p = make(products=[EXOSOME, RETINOL, GLYCOLIC, scrub], procedures=[
        procedure(8, "microneedling", D(2025, 3, 12)), procedure(9, "laser_resurfacing", D(2025, 4, 20))])
    assert reasons_of(day(p, D(2025, 3, 10))) == {
        "Retinol": "no retinoid: washout, 2 days before microneedling on 12 March",
        "Glycolic toner": "no AHA: washout, 2 days before microneedling on 12 March",
        "Walnut scrub": "no scrub: washout, 2 days before microneedling on 12 March",
    }
    assert reasons_of(day(p, D(2025, 3, 12)))["Walnut scrub"] == "no scrub: procedure day (microneedling)"
    assert reasons_of(day(p, D(2025, 3, 15))) == {
        "Retinol": "no retinoid: day 3 of 7 after microneedling on 12 March",
        "Walnut scrub": "no scrub: day 3 of 4 after microneedling on 12 March",
    }
    assert day(p, D(2025, 3, 15)).pauses[0].procedure_id == 8
    # actives are back after day 4, the retinoid only after day 7
    assert "Walnut scrub" in names(day(p, D(2025, 3, 17)))
    assert "Retinol" in reasons_of(day(p, D(2025, 3, 19)))
    assert "Retinol" not in reasons_of(day(p, D(2025, 3, 20)))  # back (it yields to the AHA that night)


def test_only_due_products_get_a_pause_and_none_gets_a_step():
    p = make(products=[EXOSOME, GLYCOLIC], procedures=[procedure(8, "microneedling", D(2025, 3, 12))])
    for when in (D(2025, 3, 10), D(2025, 3, 12), D(2025, 3, 14), D(2025, 3, 16)):  # due days
        assert [pause.product_id for pause in day(p, when).pauses] == [3]
    for when in (D(2025, 3, 9), D(2025, 3, 11), D(2025, 3, 13), D(2025, 3, 15)):
        assert day(p, when).pauses == ()
    for d in p.days:
        if D(2025, 3, 9) <= d.date <= D(2025, 3, 16):
            assert "Glycolic toner" not in names(d)


def test_overlapping_windows_name_the_one_that_ends_last():
    p = make(products=[EXOSOME, RETINOL], procedures=[
        procedure(8, "microneedling", D(2025, 3, 12)), procedure(9, "laser_resurfacing", D(2025, 3, 16))])
    assert reasons_of(day(p, D(2025, 3, 13)))["Retinol"] == (
        "no retinoid: washout, 3 days before laser resurfacing on 16 March "
        "(also recovery after microneedling on 12 March)")
    assert day(p, D(2025, 3, 13)).pauses[0].procedure_id == 9
    assert reasons_of(day(p, D(2025, 3, 16)))["Retinol"] == (
        "no retinoid: procedure day (laser resurfacing) (also recovery after microneedling on 12 March)")


def test_a_year_boundary_names_the_year():
    p = make(products=[EXOSOME, RETINOL], procedures=[procedure(8, "quick", D(2026, 1, 1))],
             start=D(2025, 12, 31), end=D(2026, 1, 3))
    assert reasons_of(p.days[0])["Retinol"] == "no retinoid: washout, 1 day before quick on 1 January 2026"
    assert reasons_of(p.days[2])["Retinol"] == "no retinoid: day 1 of 1 after quick on 1 January"


# -- 5. markers --------------------------------------------------------------------------------


def test_markers_count_washout_procedure_and_recovery_days():
    p = make(products=[EXOSOME, RETINOL], procedures=[procedure(8, "microneedling", D(2025, 3, 12))])
    labels = {d.date.day: [(m.kind, m.label, m.day_number, m.days_total) for m in d.markers]
              for d in p.days if d.date.month == 3}
    assert labels[8] == []
    assert labels[9] == [(MarkerKind.WASHOUT, "Washout before microneedling (day 1 of 3)", 1, 3)]
    assert labels[12] == [(MarkerKind.PROCEDURE, "Microneedling today", 1, 1)]
    assert labels[13] == [(MarkerKind.RECOVERY, "Recovery after microneedling (day 1 of 7)", 1, 7)]
    assert labels[19] == [(MarkerKind.RECOVERY, "Recovery after microneedling (day 7 of 7)", 7, 7)]
    assert labels[20] == [(MarkerKind.RAMP, "Exfoliants coming back gradually after microneedling (day 1 of 14)",
                           1, 14)]
    assert labels[31][0][2:] == (12, 14)


def test_thin_evidence_note_on_the_procedure_and_recovery_days():
    p = make(procedures=[procedure(8, "deep_peel", D(2025, 3, 12))])
    note = "Evidence for deep peel is thin: follow your clinician's instructions."
    assert [d.date.day for d in p.days if note in d.notes and d.date.month == 3] == [12, 13, 14, 15]


# -- 6. a retinoid and an acid never share an evening -------------------------------------------


def test_the_less_frequent_side_keeps_the_night():
    p = make(products=[EXOSOME, RETINOL, GLYCOLIC], end=D(2025, 3, 5))
    assert [("Retinol" in names(d), "Glycolic toner" in names(d)) for d in p.days] == [
        (True, False), (False, True), (True, False), (False, True)]
    assert day(p, D(2025, 3, 2)).notes == (
        "Retinol moves to the next free night: Glycolic toner has tonight, and a retinoid and an acid never "
        "share a routine (together they irritate).",)
    rare_retinoid = product(2, "Retinol", RET, cadence=Cadence(CadenceKind.EVERY_N_DAYS, 3, anchor=D(2025, 3, 1)))
    p = make(products=[EXOSOME, rare_retinoid, product(3, "Lactic", AHA)], end=D(2025, 3, 5))
    assert [names(d) for d in p.days][:2] == [["Exosome Serum", "Retinol"], ["Lactic", "Exosome Serum"]]


def test_a_tie_takes_turns_and_a_morning_acid_never_clashes():
    p = make(products=[EXOSOME, RETINOL, product(3, "Lactic", AHA)], end=D(2025, 3, 7))
    winners = ["Retinol" in names(d) for d in p.days]
    assert winners == [d.date.toordinal() % 2 == 0 for d in p.days]
    assert all(("Retinol" in names(d)) != ("Lactic" in names(d)) for d in p.days)
    p = make(products=[EXOSOME, RETINOL, product(3, "Lactic", AHA, slot=Slot.MORNING)], end=D(2025, 3, 7))
    assert all({"Retinol", "Lactic"} <= set(names(d)) for d in p.days)


# -- 7. ramp -----------------------------------------------------------------------------------


def test_a_retinoid_ramps_back_slowly_after_a_long_pause():
    p = make(products=[EXOSOME, RETINOL], procedures=[procedure(8, "laser_resurfacing", D(2025, 3, 12))])
    window_end = D(2025, 3, 22)
    used = [(d.date - window_end).days for d in p.days if "Retinol" in names(d) and d.date > window_end]
    assert used[:8] == [1, 4, 7, 9, 11, 13, 15, 16]
    first = day(p, D(2025, 3, 23)).steps_in(Slot.EVENING)[-1]
    assert first.note == ("retinoid back gradually: night 1 of the ramp after laser resurfacing "
                          "(at most every 3rd night for now)")
    assert "Retinol rests tonight: retinoid coming back gradually after laser resurfacing " \
           "(at most every 3rd night for now)." in day(p, D(2025, 3, 24)).notes
    assert day(p, D(2025, 4, 6)).steps_in(Slot.EVENING)[-1].note == ""


def test_short_pauses_and_gentle_exfoliants_ramp_faster():
    pha = product(4, "PHA toner", PHA)
    p = make(products=[EXOSOME, RETINOL, pha], procedures=[procedure(8, "quick", D(2025, 3, 12))])
    after = [d for d in p.days if D(2025, 3, 14) <= d.date <= D(2025, 3, 25)]
    # the 3-day block (11-13 March) skips the retinoid's slow week: every other night from the
    # 14th; the PHA ramps 14-17 March (every other day): it gives the 14th to the retinoid and
    # moves to the 15th instead of losing its ramp night; both daily, so after that they take turns
    assert [d.date.day for d in after if "Retinol" in names(d)] == [14, 16, 18, 20, 22, 24]
    assert [d.date.day for d in after if "PHA toner" in names(d)] == [15, 17, 19, 21, 23, 25]
    assert "PHA toner moves to the next free night: Retinol has tonight, and a retinoid and an acid never " \
           "share a routine (together they irritate)." in after[0].notes
    assert "PHA toner rests tonight: PHA coming back gradually after quick (at most every other night " \
           "for now)." in after[2].notes
    assert ramp.stages_for(frozenset({PHA}), 10) == ramp.GENTLE_RAMP
    assert ramp.stages_for(frozenset({RET, PHA}), 10) == ramp.RETINOID_RAMP
    assert ramp.stages_for(frozenset({RET}), 3) == ramp.RETINOID_RAMP[1:]


def test_the_ramp_does_not_depend_on_where_the_range_starts():
    procs = [procedure(8, "laser_resurfacing", D(2025, 3, 12))]
    whole = make(products=[EXOSOME, RETINOL, GLYCOLIC], procedures=procs)
    for start in (D(2025, 3, 23), D(2025, 3, 27), D(2025, 4, 2)):
        part = make(products=[EXOSOME, RETINOL, GLYCOLIC], procedures=procs, start=start)
        assert part.days == whole.days[-len(part.days):]


def test_a_new_window_cuts_a_ramp_short():
    p = make(products=[EXOSOME, RETINOL], procedures=[
        procedure(8, "quick", D(2025, 3, 12)), procedure(9, "quick", D(2025, 3, 18))])
    # first block 11-13 March, second 17-19 March: the first ramp runs 14-16 March only
    assert [m.label for m in day(p, D(2025, 3, 16)).markers] == [
        "Exfoliants coming back gradually after quick (day 3 of 3)"]
    assert [m.label for m in day(p, D(2025, 3, 17)).markers] == ["Washout before quick (day 1 of 1)"]


def test_merge_joins_touching_windows():
    blocks = ramp.merge([(1, 5, (5,), 0), (6, 9, (9,), 1), (20, 22, (22,), 2)])
    assert [(b.start, b.end, b.cause) for b in blocks] == [(1, 9, 1), (20, 22, 2)]


# -- 8. no catch-up ----------------------------------------------------------------------------


def test_a_paused_dose_is_never_made_up():
    p = make(products=[EXOSOME, GLYCOLIC], procedures=[procedure(8, "quick", D(2025, 3, 12))])
    used = [d.date for d in p.days if "Glycolic toner" in names(d)]
    assert all((b - a).days >= 2 for a, b in zip(used, used[1:]))
    assert all(len(names(d)) == len(set(names(d))) for d in p.days)


# -- 9. safety ---------------------------------------------------------------------------------

BLOCK = Screening((Finding(Severity.BLOCK, "active_cancer", "…"),))


def test_blocked_uses_the_peptide_in_the_serums_place():
    peptide = product(6, "Peptide serum", PEP)
    p = make(products=[EXOSOME, RETINOL, peptide], screening=BLOCK,
             procedures=[procedure(8, "microneedling", D(2025, 3, 12))])
    assert p.withheld is True
    serum = day(p, D(2025, 3, 1)).serum
    assert (serum.product_id, serum.role) == (6, StepRole.SERUM)
    assert serum.note.startswith("peptide serum instead of exosomes: ")
    assert all("Exosome Serum" not in names(d) for d in p.days)
    assert "Retinol" not in names(day(p, D(2025, 3, 14)))
    assert day(p, D(2025, 3, 12)).serum.note.startswith("after your treatment; peptide serum instead")


def test_blocked_without_a_peptide_has_no_serum_and_says_why():
    p = make(products=[EXOSOME], screening=BLOCK)
    assert all(d.serum is None and d.notes[0].startswith("No exosome serum: ") for d in p.days)


def test_approval_needed_withholds_only_the_exosome_serum_until_confirmed():
    """The gate keeps protecting: every window, pause and marker stays; only the serum waits."""
    pregnant = Profile(safety=SafetyAnswers(pregnant=True))
    procs = [procedure(8, "microneedling", D(2025, 3, 12))]
    withheld = plan(pregnant, procs, [EXOSOME, RETINOL], D(2025, 3, 1), D(2025, 3, 31), today=D(2025, 3, 1),
                    windows=windows)
    assert (withheld.withheld, withheld.awaiting_approval, len(withheld.days)) == (True, True, 30)
    assert withheld.screening.needs_approval and "approval" in withheld.notes[0]
    assert all(d.serum is None and "Exosome Serum" not in names(d) for d in withheld.days)
    assert all(reasons.AWAITING_APPROVAL_DAY in d.notes for d in withheld.days)
    washout = day(withheld, D(2025, 3, 10))
    assert [m.label for m in washout.markers] == ["Washout before microneedling (day 2 of 3)"]
    assert reasons_of(washout) == {"Retinol": "no retinoid: washout, 2 days before microneedling on 12 March"}
    assert [m.kind for m in day(withheld, D(2025, 3, 14)).markers] == [MarkerKind.RECOVERY]
    assert "Retinol" in names(day(withheld, D(2025, 3, 1)))
    retinoid_note = next(n for n in day(withheld, D(2025, 3, 1)).notes if n.startswith("Retinol holds a topical retinoid"))
    assert "discuss with your clinician" in retinoid_note and "CHIEN_2016_JABFM" in retinoid_note
    approved = Profile(safety=SafetyAnswers(pregnant=True, dermatologist_approved=True))
    shown = plan(approved, procs, [EXOSOME], D(2025, 3, 1), D(2025, 3, 8), today=D(2025, 3, 1), windows=windows)
    assert (shown.withheld, shown.awaiting_approval, len(shown.days)) == (False, False, 7)
    assert all(d.serum is not None for d in shown.days)


def test_the_profile_is_screened_when_no_screening_is_given():
    p = plan(Profile(safety=SafetyAnswers(active_skin_infection=True)), [], [EXOSOME], D(2025, 3, 1),
             D(2025, 3, 2), today=D(2025, 3, 1), windows=windows)
    assert p.screening.blocks_exosomes and p.days[0].serum is None


# -- 10. determinism ---------------------------------------------------------------------------


def test_same_inputs_same_plan_whatever_the_order_or_time_zone():
    products = [EXOSOME, RETINOL, GLYCOLIC, product(4, "Cream", GENTLE)]
    procs = [procedure(8, "microneedling", D(2025, 3, 12)), procedure(9, "deep_peel", D(2025, 4, 1))]
    a = make(products=products, procedures=procs)
    b = make(products=products[::-1], procedures=procs[::-1], profile=Profile(timezone="Pacific/Kiritimati"))
    assert a == b


def test_an_empty_range_has_no_days():
    assert make(start=D(2025, 3, 1), end=D(2025, 3, 1)).days == ()
    assert [d.date for d in make(start=D(2025, 3, 1), end=D(2025, 3, 2)).days] == [D(2025, 3, 1)]  # end is exclusive
