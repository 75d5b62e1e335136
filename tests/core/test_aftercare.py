"""Aftercare beyond products: the sun days and the makeup/sweat/heat/pool/picking times each day carries."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core import aftercare, aftercare_catalog, catalog
from planner.core.aftercare_catalog import DAYS, HOURS
from planner.core.catalog import get_kind, procedure_kinds, windows_for
from planner.core.model import (
    AftercareTopic, Intensity, Overrides, ProcedureInput, ProductClass, ProductInput, Profile,
)
from planner.core.schedule import plan

D = dt.date(2026, 3, 10)  # a Tuesday
MOISTURIZER = ProductInput(1, "Barrier cream", frozenset({ProductClass.GENTLE}))
SUNSCREEN = ProductInput(2, "Mineral fluid", frozenset({ProductClass.SUNSCREEN}))
NAMED_SUNSCREEN = ProductInput(3, "Daily SPF 50", frozenset({ProductClass.GENTLE}))
KINDS = [k.key for k in procedure_kinds()]

#: The sun-avoidance ranges the sources give, in days, copied by hand from the sources cited in
#: procedures.toml (None: no source gives a number for the kind; the catalog says why).
SUN_RANGES = {
    "microneedling": (7, 14), "rf_microneedling": (1, 14), "hydrafacial": (3, 7), "dermaplaning": None,
    "microdermabrasion": (2, 7), "superficial_chemical_peel": (7, 7), "medium_depth_peel": (7, 56),
    "deep_chemical_peel": None, "ipl_photofacial": (7, 42), "laser_hair_removal": (2, 14),
    "nonablative_fractional_laser": (7, 60), "ablative_fractional_laser": (10, 60),
    "fully_ablative_resurfacing": None, "botulinum_toxin": (1, 14), "dermal_filler_ha": (1, 3),
}
#: Where most sources cluster below the midpoint of a wide range: standard sits at the cluster's upper end.
MODAL_MAX = {
    ("botulinum_toxin", "sun"): 2, ("botulinum_toxin", "sweat"): 24, ("botulinum_toxin", "heat"): 48,
}


def _all_spans():
    for kind in procedure_kinds():
        if kind.sun is not None:
            yield kind.key, "sun", kind.sun
        for rule in aftercare_catalog.rules_for(kind.key):
            yield kind.key, rule.topic.value, rule.span


SPANS = list(_all_spans())


def test_every_kind_has_sun_days_with_the_sources_range():
    for kind in procedure_kinds():
        assert kind.sun is not None, kind.key
        assert kind.sun.range == SUN_RANGES[kind.key]
        assert set(kind.sun.sources) <= set(kind.source_keys())


@pytest.mark.parametrize(("kind", "topic", "span"), SPANS, ids=[f"{k}-{t}" for k, t, _ in SPANS])
def test_every_aftercare_number_lies_inside_its_range_on_the_cautious_side(kind, topic, span):
    light, standard, aggressive = (span.values[i] for i in Intensity)
    assert 0 <= light <= standard <= aggressive
    assert span.sources, "every number cites its sources"
    for key in span.sources:
        assert catalog.get_source(key).url.startswith("http")
    if span.range is None:
        assert span.basis, "a number without a sourced range says why"
        return
    lo, hi = span.range
    assert lo <= light and aggressive == hi
    modal = MODAL_MAX.get((kind, topic))
    if modal is None:
        assert standard >= math.ceil((lo + hi) / 2)
    else:
        assert standard == modal and span.basis


def test_aftercare_toml_speaks_of_every_topic_somewhere_and_only_of_known_kinds():
    topics = {rule.topic for kind in KINDS for rule in aftercare_catalog.rules_for(kind)}
    assert topics == set(aftercare_catalog.TOPICS)
    assert aftercare_catalog.rules_for("not_a_kind") == ()
    units = {rule.unit for kind in KINDS for rule in aftercare_catalog.rules_for(kind)}
    assert units == {HOURS, DAYS}


def _plan(kind, products=(MOISTURIZER,), intensity=Intensity.STANDARD, start=D, days=80, overrides=Overrides()):
    procedure = ProcedureInput(7, kind, D, intensity, overrides)
    return plan(Profile(), [procedure], list(products), start, start + dt.timedelta(days=days), today=D)


def _of(day, topic, warning=False):
    return [a for a in day.advice if a.topic is topic and a.is_warning is warning]


def test_after_fractional_laser_every_day_says_sunscreen_for_the_catalogs_days():
    n = get_kind("nonablative_fractional_laser").sun.values[Intensity.STANDARD]
    result = _plan("nonablative_fractional_laser", products=(MOISTURIZER, SUNSCREEN))
    by_date = {day.date: day for day in result.days}
    for k in range(n + 1):
        (sun,) = _of(by_date[D + dt.timedelta(days=k)], AftercareTopic.SUN)
        assert sun.text.startswith("Sunscreen and no direct sun:")
        assert "SPF 30+" in sun.text
        if k:
            assert f"day {k} of {n} after non-ablative fractional laser" in sun.text
        assert sun.last_day == D + dt.timedelta(days=n)
        assert sun.sources == get_kind("nonablative_fractional_laser").sun.sources
        assert not _of(by_date[D + dt.timedelta(days=k)], AftercareTopic.SUN, warning=True)
    assert not by_date[D + dt.timedelta(days=n + 1)].advice


@pytest.mark.parametrize("intensity", list(Intensity))
def test_the_sun_days_follow_the_intensity(intensity):
    n = get_kind("nonablative_fractional_laser").sun.values[intensity]
    result = _plan("nonablative_fractional_laser", intensity=intensity)
    sun_days = [day.date for day in result.days if _of(day, AftercareTopic.SUN)]
    assert sun_days[0] == D and sun_days[-1] == D + dt.timedelta(days=n) and len(sun_days) == n + 1


def test_without_a_sunscreen_on_the_shelf_every_sun_day_warns():
    n = get_kind("nonablative_fractional_laser").sun.values[Intensity.STANDARD]
    result = _plan("nonablative_fractional_laser")
    warned = [day.date for day in result.days if _of(day, AftercareTopic.SUN, warning=True)]
    assert warned == [D + dt.timedelta(days=k) for k in range(n + 1)]
    (warning,) = _of(result.days[3], AftercareTopic.SUN, warning=True)
    assert warning.text.startswith("You have no sunscreen on your shelf")
    assert "Tue 21 April" in warning.text  # D + 42


@pytest.mark.parametrize("product", [SUNSCREEN, NAMED_SUNSCREEN])
def test_a_sunscreen_by_class_or_by_name_silences_the_warning(product):
    assert aftercare.has_sunscreen([product])
    result = _plan("microneedling", products=(MOISTURIZER, product))
    assert any(_of(day, AftercareTopic.SUN) for day in result.days)
    assert not any(_of(day, AftercareTopic.SUN, warning=True) for day in result.days)
    assert not aftercare.has_sunscreen([MOISTURIZER])


def test_open_skin_gets_shade_before_sunscreen_until_it_heals_over():
    healed = windows_for("ablative_fractional_laser").home_serum_from_day  # first day off the hold
    result = _plan("ablative_fractional_laser", products=(MOISTURIZER, SUNSCREEN))
    by_date = {day.date: day for day in result.days}
    for k in range(healed):
        (sun,) = _of(by_date[D + dt.timedelta(days=k)], AftercareTopic.SUN)
        assert sun.text.startswith("No direct sun:") and "no sunscreen on it yet" in sun.text
    (sun,) = _of(by_date[D + dt.timedelta(days=healed)], AftercareTopic.SUN)
    assert sun.text.startswith("Sunscreen and no direct sun:")


def test_a_clinicians_healing_day_moves_the_first_sunscreen_day():
    result = _plan("ablative_fractional_laser", products=(SUNSCREEN,), overrides=Overrides(home_serum_from_day=3))
    texts = [_of(day, AftercareTopic.SUN)[0].text for day in result.days[:4]]
    assert [t.startswith("No direct sun:") for t in texts] == [True, True, True, False]


def test_needled_skin_waits_one_day_for_sunscreen():
    assert get_kind("microneedling").sunscreen_from_day == 1
    result = _plan("microneedling", products=(SUNSCREEN,))
    assert _of(result.days[0], AftercareTopic.SUN)[0].text.startswith("No direct sun:")
    assert "it goes on from Wed 11 March" in _of(result.days[0], AftercareTopic.SUN)[0].text
    assert _of(result.days[1], AftercareTopic.SUN)[0].text.startswith("Sunscreen and no direct sun: day 1 of")


@pytest.mark.parametrize(("hours", "offset", "part"), [
    (4, 0, "evening"), (6, 0, "evening"), (12, 1, "morning"), (24, 1, "evening"), (48, 2, "evening"),
    (20, 1, "afternoon"), (96, 4, "evening"),
])
def test_hours_end_counted_from_a_treatment_ending_by_six_in_the_evening(hours, offset, part):
    assert aftercare.ends(100, hours) == (100 + offset, part)


def test_hours_rules_read_as_concrete_times_each_day():
    hours = aftercare_catalog.rules_for("microneedling")[0]
    assert hours.topic is AftercareTopic.MAKEUP and hours.unit == HOURS
    assert hours.amount(Intensity.STANDARD) == 48  # until the evening of D+2
    result = _plan("microneedling", products=(SUNSCREEN,))
    texts = [(_of(day, AftercareTopic.MAKEUP) or [None])[0] for day in result.days[:4]]
    assert texts[0].text == "No makeup until the evening of Thu 12 March (after microneedling on 10 March)."
    assert texts[1].text == "No makeup until tomorrow evening (after microneedling on 10 March)."
    assert texts[2].text == "No makeup until this evening (after microneedling on 10 March)."
    assert texts[3] is None
    assert texts[0].summary == "No makeup until the evening of Thu 12 March (after microneedling on 10 March)"
    heat = _of(result.days[0], AftercareTopic.HEAT)[0]
    assert heat.text.startswith("No sauna, steam room, hot tub, hot yoga or hot showers until the evening of Sat 14 March")


def test_a_short_rule_covers_the_rest_of_the_treatment_day_only():
    result = _plan("botulinum_toxin")
    (makeup,) = _of(result.days[0], AftercareTopic.MAKEUP)
    assert makeup.text == "No makeup for the rest of today (after botulinum toxin (Botox) on 10 March)."
    assert not _of(result.days[1], AftercareTopic.MAKEUP)


def test_days_rules_run_through_the_procedure_day_plus_n():
    n = aftercare_catalog.rules_for("ablative_fractional_laser")[-1].amount(Intensity.STANDARD)
    result = _plan("ablative_fractional_laser", products=(SUNSCREEN,))
    picking = [day.date for day in result.days if _of(day, AftercareTopic.PICKING)]
    assert picking == [D + dt.timedelta(days=k) for k in range(n + 1)]
    last = _of(result.days[n], AftercareTopic.PICKING)[0]
    assert last.text.startswith("Don't pick, scratch or peel flaking skin today, its last day")
    assert _of(result.days[n - 1], AftercareTopic.PICKING)[0].text.startswith(
        "Don't pick, scratch or peel flaking skin through tomorrow")


def test_a_zero_value_gives_no_advice():
    result = _plan("ipl_photofacial", intensity=Intensity.LIGHT)  # makeup: 0 hours at light
    assert not any(_of(day, AftercareTopic.MAKEUP) for day in result.days)
    assert any(_of(day, AftercareTopic.SWEAT) for day in result.days)


def test_kinds_the_catalog_does_not_know_get_no_advice():
    from planner.core.model import Windows

    def windows(kind, intensity, overrides):
        return Windows(2, 3, 3, 1, False, False)

    procedure = ProcedureInput(1, "clinic_special", D)
    result = plan(Profile(), [procedure], [MOISTURIZER], D, D + dt.timedelta(days=5), today=D, windows=windows)
    assert result.days[0].markers and not any(day.advice for day in result.days)


@settings(max_examples=60, deadline=None)
@given(kind=st.sampled_from(KINDS), intensity=st.sampled_from(list(Intensity)),
       split=st.integers(min_value=1, max_value=70), before=st.integers(min_value=0, max_value=5))
def test_advice_matches_the_catalog_and_splits_cleanly(kind, intensity, split, before):
    """Every advice lies inside its span, the sun span is the catalog's, and the plan for [a, c)
    carries the same advice as [a, b) + [b, c)."""
    start = D - dt.timedelta(days=before)
    whole = _plan(kind, intensity=intensity, start=start, days=75)
    parts = (_plan(kind, intensity=intensity, start=start, days=split).days
             + _plan(kind, intensity=intensity, start=start + dt.timedelta(days=split), days=75 - split).days)
    assert [d.advice for d in whole.days] == [d.advice for d in parts]
    n = get_kind(kind).sun.values[intensity]
    for day in whole.days:
        for advice in day.advice:
            assert D <= day.date <= advice.last_day
            if advice.topic is AftercareTopic.SUN:
                assert advice.last_day == D + dt.timedelta(days=n)
        sun_expected = D <= day.date <= D + dt.timedelta(days=n)
        assert bool(_of(day, AftercareTopic.SUN)) == sun_expected
        assert bool(_of(day, AftercareTopic.SUN, warning=True)) == sun_expected  # no sunscreen on the shelf


def test_skin_still_peeling_keeps_the_picking_and_sun_advice_through_the_extended_recovery():
    """Two "still" answers add two recovery days: picking (2 days for standard microneedling) and the
    sun span reach the new end; without the answers they stop where the catalog says."""
    from planner.core.model import CheckIn, CheckInAnswer

    procedure = ProcedureInput(1, "microneedling", D, Intensity.STANDARD,
                               Overrides(retinoid_days_after=20, actives_days_after=20))
    kind = get_kind("microneedling")
    sun_days = kind.sun.values[Intensity.STANDARD]
    last = D + dt.timedelta(days=20)  # the planned recovery end
    answers = [CheckIn(1, last - dt.timedelta(days=1), CheckInAnswer.STILL), CheckIn(1, last, CheckInAnswer.STILL),
               CheckIn(1, last + dt.timedelta(days=1), CheckInAnswer.STILL)]
    extended_end = last + dt.timedelta(days=2)
    assert sun_days < 20  # the sun span alone ends before the recovery: the extension is what moves it

    def topics(checkins, day):
        result = plan(Profile(), [procedure], [MOISTURIZER, SUNSCREEN], day, day + dt.timedelta(days=1),
                      today=day, checkins=checkins)
        assert result.procedures[0].recovery_end == (extended_end if checkins else last)
        return {a.topic: a for a in result.days[0].advice}

    on_end = topics(answers, extended_end)
    assert {AftercareTopic.PICKING, AftercareTopic.SUN} <= set(on_end)
    assert "today, its last day" in on_end[AftercareTopic.PICKING].text
    assert on_end[AftercareTopic.SUN].last_day == extended_end
    assert topics(answers, extended_end + dt.timedelta(days=1)) == {}
    assert topics((), extended_end) == {}  # without the answers both ended long before
