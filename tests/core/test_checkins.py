"""The skin check-ins: "still" extends a recovery window a day at a time, "settled" lets the ramp begin."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core import checkins
from planner.core.model import (
    CheckIn, CheckInAnswer, MarkerKind, Overrides, ProcedureInput, ProductClass, ProductInput, Profile,
)
from planner.core.schedule import plan, procedure_facts
from tests.core.test_schedule_properties import scenarios

D = dt.date
STILL, SETTLED = CheckInAnswer.STILL, CheckInAnswer.SETTLED
#: Microneedling on 1 December with a clinician's 7 days for both windows: recovery 2 … 8 December.
NEEDLING = ProcedureInput(1, "microneedling", D(2026, 12, 1),
                          overrides=Overrides(washout_days_before=3, retinoid_days_after=7, actives_days_after=7))
RETINOL = ProductInput(10, "Retinol", frozenset({ProductClass.RETINOID}))
CREAM = ProductInput(11, "Cream", frozenset({ProductClass.GENTLE}))


def day_plan(answers, start=D(2026, 12, 1), end=D(2026, 12, 20), procedures=(NEEDLING,)):
    return plan(Profile(), list(procedures), [RETINOL, CREAM], start, end, today=start, checkins=answers)


def paused_days(result) -> list[D]:
    return [d.date for d in result.days if any(p.product_id == RETINOL.id for p in d.pauses)]


def recovery_days(result) -> list[D]:
    return [d.date for d in result.days if any(m.kind is MarkerKind.RECOVERY for m in d.markers)]


def asked(result) -> dict[D, CheckInAnswer | None]:
    return {d.date: a.answer for d in result.days for a in d.checkins}


def test_the_last_two_days_of_the_window_ask():
    result = day_plan(())
    assert asked(result) == {D(2026, 12, 7): None, D(2026, 12, 8): None}
    ask = next(d for d in result.days if d.date == D(2026, 12, 8)).checkins[0]
    assert (ask.procedure_id, ask.label, ask.procedure_date, ask.extended) == (1, "microneedling", D(2026, 12, 1), False)
    assert result.procedure(1).recovery_end == D(2026, 12, 8)
    assert result.procedure(1).extended_days == 0


def test_still_twice_extends_the_pause_by_two_days():
    before = day_plan(())
    answers = [CheckIn(1, D(2026, 12, 8), STILL), CheckIn(1, D(2026, 12, 9), STILL)]
    after = day_plan(answers)
    assert recovery_days(after) == recovery_days(before) + [D(2026, 12, 9), D(2026, 12, 10)]
    assert max(paused_days(after)) == max(paused_days(before)) + dt.timedelta(days=2)
    facts = after.procedure(1)
    assert (facts.recovery_end, facts.extended_days, facts.extended_on) == (D(2026, 12, 10), 2, D(2026, 12, 9))
    assert procedure_facts([NEEDLING], checkins=answers) == after.procedures
    assert asked(after) == {D(2026, 12, 7): None, D(2026, 12, 8): STILL, D(2026, 12, 9): STILL, D(2026, 12, 10): None}
    tenth = next(d for d in after.days if d.date == D(2026, 12, 10))
    assert tenth.notes[0].startswith("recovery extended: on 9 December you said your skin was still red, peeling")
    assert tenth.checkins[0].extended
    assert any(p.product_id == RETINOL.id and "day 9 of 9" in p.reason for p in tenth.pauses)
    # The ramp begins the day after the extension.
    ramp = [d.date for d in after.days if any(m.kind is MarkerKind.RAMP for m in d.markers)]
    assert ramp[0] == D(2026, 12, 11)


def test_still_on_the_penultimate_day_only_asks_again():
    result = day_plan([CheckIn(1, D(2026, 12, 7), STILL)])
    assert result.procedure(1).recovery_end == D(2026, 12, 8)
    assert asked(result) == {D(2026, 12, 7): STILL, D(2026, 12, 8): None}


def test_settled_stops_the_asking_and_never_shortens_the_window():
    result = day_plan([CheckIn(1, D(2026, 12, 7), SETTLED), CheckIn(1, D(2026, 12, 8), STILL)])
    assert asked(result) == {D(2026, 12, 7): SETTLED}
    assert result.procedure(1).recovery_end == D(2026, 12, 8)
    assert paused_days(result) == paused_days(day_plan(()))


def test_settled_after_an_extension_ends_it_that_day():
    result = day_plan([CheckIn(1, D(2026, 12, 8), STILL), CheckIn(1, D(2026, 12, 9), SETTLED)])
    assert result.procedure(1).recovery_end == D(2026, 12, 9)
    assert asked(result)[D(2026, 12, 9)] is SETTLED
    assert D(2026, 12, 10) not in asked(result)


def test_answers_outside_the_asked_days_or_for_another_procedure_change_nothing():
    plain = day_plan(())
    for answers in ([CheckIn(1, D(2026, 12, 9), STILL)],  # the day after the window closed
                    [CheckIn(1, D(2026, 12, 5), STILL)],  # before the last days
                    [CheckIn(2, D(2026, 12, 8), STILL)]):  # another procedure
        result = day_plan(answers)
        assert result.days == plain.days, answers
        assert result.procedures == plain.procedures


def test_a_procedure_without_recovery_asks_nothing():
    no_recovery = ProcedureInput(3, "microneedling", D(2026, 12, 1),
                                 overrides=Overrides(washout_days_before=0, retinoid_days_after=0, actives_days_after=0))
    assert asked(day_plan([CheckIn(3, D(2026, 12, 1), STILL)], procedures=[no_recovery])) == {}


def test_a_long_extension_says_to_ask_the_clinician():
    answers = [CheckIn(1, D(2026, 12, 8) + dt.timedelta(days=n), STILL) for n in range(8)]
    result = day_plan(answers, end=D(2026, 12, 30))
    assert result.procedure(1).extended_days == 8
    day = next(d for d in result.days if d.date == D(2026, 12, 16))
    assert "ask your clinician" in day.notes[0]


# -- Properties ---------------------------------------------------------------------------------


@st.composite
def with_answers(draw):
    profile, procedures, products, (a, b, c), screening = draw(scenarios())
    days = st.integers(min_value=-5, max_value=40)
    answers = [
        CheckIn(draw(st.sampled_from([p.id for p in procedures] + [99])),
                draw(st.sampled_from(procedures)).date + dt.timedelta(days=draw(days)),
                draw(st.sampled_from(list(CheckInAnswer))))
        for _ in range(draw(st.integers(min_value=0, max_value=8)) if procedures else 0)
    ]
    return profile, procedures, products, (a, b, c), screening, answers


@settings(max_examples=120, deadline=None)
@given(with_answers())
def test_checkin_properties(scenario):
    profile, procedures, products, (a, b, c), screening, answers = scenario
    whole = plan(profile, procedures, products, a, c, today=a, screening=screening, checkins=answers)
    plain = plan(profile, procedures, products, a, c, today=a, screening=screening)
    # An extension never shortens a window: every pause and recovery day stays.
    for with_, without in zip(whole.days, plain.days, strict=True):
        assert {(p.product_id, p.procedure_id is not None) for p in without.pauses} <= {
            (p.product_id, p.procedure_id is not None) for p in with_.pauses}
        assert {m.procedure_id for m in without.markers if m.kind is MarkerKind.RECOVERY} <= {
            m.procedure_id for m in with_.markers if m.kind is MarkerKind.RECOVERY}
    for extended, facts in zip(whole.procedures, plain.procedures, strict=True):
        assert extended.recovery_end >= facts.recovery_end
    # Answers for another procedure, or after the window and its extension closed, change nothing.
    ends = {f.id: f.recovery_end for f in whole.procedures}
    kept = [x for x in answers if x.procedure_id in ends and x.day <= ends[x.procedure_id]]
    assert plan(profile, procedures, products, a, c, today=a, screening=screening, checkins=kept) == whole
    # [a, c) = [a, b) + [b, c).
    first = plan(profile, procedures, products, a, b, today=a, screening=screening, checkins=answers)
    second = plan(profile, procedures, products, b, c, today=a, screening=screening, checkins=answers)
    assert whole.days == first.days + second.days


def test_walk_extends_a_day_at_a_time():
    answers = {D(2026, 12, 8).toordinal(): STILL, D(2026, 12, 9).toordinal(): STILL}
    w = checkins.walk(D(2026, 12, 1).toordinal(), 7, answers)
    assert w.extended_days == 2
    assert [a for _, a in w.asks] == [None, STILL, STILL, None]


def test_the_rules_sources_are_in_the_catalog():
    from planner.core import catalog
    assert all(catalog.get_source(key).url for key in checkins.SOURCES)
