"""The catalog's numbers stay inside their researched ranges, cite real sources, and yield to clinicians."""

from __future__ import annotations

import dataclasses
import math
import re
import tomllib
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.core import catalog
from planner.core.catalog import (
    FIELD_ATTRS,
    MAX_OVERRIDE_DAYS,
    UnknownProcedure,
    explain,
    get_kind,
    get_source,
    is_known,
    procedure_kinds,
    windows_for,
)
from planner.core.model import Intensity, Overrides, Windows

#: The researched ranges, copied by hand from the clinical reference (shared/reference/
#: clinical_reference.toml) so the tests can check the catalog against them without reading it.
#: Order: washout_days_before, retinoid_days_after, actives_days_after (the reference's acid window),
#: downtime_days. None: the reference has no source-backed number.
REFERENCE_RANGES: dict[str, tuple[tuple[int, int] | None, ...]] = {
    "microneedling": ((1, 10), (2, 14), (3, 14), (1, 3)),
    "rf_microneedling": ((2, 7), (2, 7), (2, 7), (1, 7)),
    "nonablative_fractional_laser": ((5, 21), (3, 10), (3, 10), (2, 7)),
    "ablative_fractional_laser": ((2, 21), (10, 42), (7, 42), (3, 10)),
    "fully_ablative_resurfacing": ((42, 42), (21, 42), (21, 42), (7, 30)),
    "ipl_photofacial": ((2, 7), (2, 7), (2, 7), (1, 3)),
    "superficial_chemical_peel": ((2, 14), (2, 7), (2, 7), (1, 7)),
    "medium_depth_peel": ((3, 14), (7, 30), (10, 14), (5, 14)),
    "deep_chemical_peel": (None, None, None, (7, 21)),
    "microdermabrasion": ((1, 5), (1, 10), (2, 10), (0, 3)),
    "dermaplaning": ((5, 5), (1, 7), (1, 5), (0, 3)),
    "hydrafacial": ((2, 3), (2, 2), (2, 14), (0, 3)),
    "laser_hair_removal": ((3, 5), (3, 7), (3, 7), (0, 4)),
    "botulinum_toxin": ((0, 2), (0, 2), None, (0, 1)),
    "dermal_filler_ha": (None, (1, 2), (1, 2), (1, 7)),
}
#: The reference's "modal" ranges (where most sources cluster): standard must not fall below their upper end.
REFERENCE_MODAL_MAX = {
    ("microneedling", "washout_days_before"): 7,
    ("microneedling", "retinoid_days_after"): 7,
    ("nonablative_fractional_laser", "washout_days_before"): 14,
    ("nonablative_fractional_laser", "retinoid_days_after"): 7,
    ("ablative_fractional_laser", "washout_days_before"): 7,
    ("ablative_fractional_laser", "retinoid_days_after"): 28,
    ("superficial_chemical_peel", "washout_days_before"): 7,
    ("medium_depth_peel", "retinoid_days_after"): 14,
    ("microdermabrasion", "washout_days_before"): 3,
    ("hydrafacial", "actives_days_after"): 2,
}
#: exosome_day0 = "trial_evidence" in the reference.
TRIAL_EVIDENCE_KINDS = {"microneedling", "nonablative_fractional_laser", "ablative_fractional_laser"}
THIN_EVIDENCE_KINDS = {"fully_ablative_resurfacing", "deep_chemical_peel", "medium_depth_peel"}

FIELDS = tuple(FIELD_ATTRS)
KIND_FIELDS = [(k, f) for k in REFERENCE_RANGES for f in FIELDS]


def _sources_toml() -> dict[str, dict[str, str]]:
    return tomllib.loads(resources.files("planner.core").joinpath("sources.toml").read_text("utf-8"))


def test_all_fifteen_kinds_present_once():
    keys = [k.key for k in procedure_kinds()]
    assert sorted(keys) == sorted(REFERENCE_RANGES)
    assert len(keys) == len(set(keys)) == 15


def test_picker_order_is_stable_and_grouped():
    kinds = procedure_kinds()
    assert kinds == procedure_kinds()
    assert kinds[0].key == "microneedling"
    groups = [k.group for k in kinds]
    assert all(groups)
    # each group is one contiguous block
    assert len(set(groups)) == len([g for i, g in enumerate(groups) if i == 0 or groups[i - 1] != g])


@pytest.mark.parametrize("kind", REFERENCE_RANGES)
def test_user_facing_text_is_short_and_plain(kind):
    procedure = get_kind(kind)
    assert 0 < len(procedure.label) <= 40
    assert procedure.description and "\n" not in procedure.description
    assert procedure.notes
    for text in (procedure.description, *procedure.notes, procedure.area_note):
        assert not re.search(r"\b[A-Z0-9]+_[A-Z0-9_]+\b", text), "no source keys in user-facing text"


def test_body_area_note_for_laser_hair_removal():
    assert "body" in get_kind("laser_hair_removal").area_note


@pytest.mark.parametrize(("kind", "field"), KIND_FIELDS)
def test_copied_range_matches_reference(kind, field):
    expected = REFERENCE_RANGES[kind][FIELDS.index(field)]
    assert get_kind(kind).window(field).range == expected


@pytest.mark.parametrize(("kind", "field"), KIND_FIELDS)
def test_values_ordered_inside_range_and_cautious(kind, field):
    window = get_kind(kind).window(field)
    light, standard, aggressive = (window.values[i] for i in Intensity)
    assert 0 <= light <= standard <= aggressive
    if window.range is None:
        assert window.basis, "a window without a sourced range must say why"
        return
    lo, hi = window.range
    assert lo <= light and aggressive == hi
    assert standard >= math.ceil((lo + hi) / 2)
    modal_max = REFERENCE_MODAL_MAX.get((kind, field))
    if modal_max is not None:
        assert standard >= modal_max
    assert window.sources, "a sourced range cites its sources"


def test_retinoid_and_actives_kept_separate_where_reference_differs():
    # hydrafacial: retinoids 2 days everywhere, acids 2-14 days; neither copies the other.
    hydrafacial = get_kind("hydrafacial")
    assert hydrafacial.retinoid.range == (2, 2)
    assert hydrafacial.actives.range == (2, 14)
    assert hydrafacial.actives.values[Intensity.STANDARD] > hydrafacial.retinoid.values[Intensity.STANDARD]


@pytest.mark.parametrize("kind", REFERENCE_RANGES)
def test_every_cited_source_exists_with_a_web_url(kind):
    procedure = get_kind(kind)
    sources = procedure.sources()
    assert [s.key for s in sources] == list(procedure.source_keys())
    for source in sources:
        assert source == get_source(source.key)
        assert re.match(r"https?://\S+$", source.url)
        assert source.kind in {
            "association", "regulator", "peer_reviewed", "textbook", "physician",
            "manufacturer_template", "clinic", "educational", "vendor", "secondary_news",
        }


def test_sources_file_holds_only_cited_sources():
    from planner.core import aftercare_catalog, clashes, pregnancy

    cited = {key for kind in procedure_kinds() for key in kind.source_keys()}
    cited |= {key for kind in procedure_kinds() for key in aftercare_catalog.source_keys(kind.key)}
    cited |= {key for flag in pregnancy.FLAGS for key in flag.sources}
    cited |= {key for rule in clashes.RULES for key in rule.sources}
    assert set(_sources_toml()) == cited
    for key in cited:
        assert re.match(r"https?://\S+$", get_source(key).url)


def test_open_wound_procedures_hold_home_products_until_healed_over():
    """Re-epithelialisation per kind and intensity, inside its sourced range, cautious side."""
    for kind in ("medium_depth_peel", "deep_chemical_peel", "fully_ablative_resurfacing", "ablative_fractional_laser"):
        healing = get_kind(kind).healing
        lo, hi = healing.range
        assert lo <= healing.values.light <= healing.values.standard <= healing.values.aggressive <= hi
        assert healing.values.standard * 2 >= lo + hi  # at or above the midpoint
        assert healing.sources
        for level in Intensity:
            assert windows_for(kind, level).home_serum_from_day == healing.values[level] + 1
    assert windows_for("ablative_fractional_laser").home_serum_from_day == 8
    assert windows_for("microneedling").home_serum_from_day == 0
    assert windows_for("ablative_fractional_laser", overrides=Overrides(home_serum_from_day=3)).home_serum_from_day == 3
    assert any("through day 7 after the treatment" in line for line in explain("ablative_fractional_laser"))


def test_far_below_the_sources_minimum():
    from planner.core.catalog import far_below_sources, source_minimum

    assert source_minimum("fully_ablative_resurfacing", "retinoid_days_after") == 21
    assert far_below_sources("fully_ablative_resurfacing", "retinoid_days_after", 0) == 21
    assert far_below_sources("fully_ablative_resurfacing", "retinoid_days_after", 10) == 21
    assert far_below_sources("fully_ablative_resurfacing", "retinoid_days_after", 11) is None
    assert far_below_sources("microneedling", "washout_days_before", 0) == 1
    assert far_below_sources("ablative_fractional_laser", "home_serum_from_day", 1) == 4
    assert far_below_sources("ablative_fractional_laser", "home_serum_from_day", 2) is None
    assert far_below_sources("microneedling", "home_serum_from_day", 0) is None


def test_get_source_unknown_raises_key_error():
    with pytest.raises(KeyError, match="NO_SUCH_SOURCE"):
        get_source("NO_SUCH_SOURCE")


def test_serum_on_procedure_day_only_with_trial_evidence():
    on_day = {k.key for k in procedure_kinds() if k.serum_on_procedure_day}
    assert on_day == TRIAL_EVIDENCE_KINDS
    for kind in procedure_kinds():
        assert bool(kind.serum_sources) == kind.serum_on_procedure_day
    assert any(get_source(k).kind == "peer_reviewed" for k in get_kind("microneedling").serum_sources)


def test_follow_clinician_for_thin_evidence_kinds():
    assert {k.key for k in procedure_kinds() if k.follow_clinician} == THIN_EVIDENCE_KINDS


@pytest.mark.parametrize("kind", REFERENCE_RANGES)
@pytest.mark.parametrize("intensity", list(Intensity))
def test_windows_for_agrees_with_data(kind, intensity):
    procedure = get_kind(kind)
    windows = windows_for(kind, intensity)
    for field in FIELDS:
        assert getattr(windows, field) == procedure.window(field).values[intensity]
    assert windows.serum_on_procedure_day is procedure.serum_on_procedure_day
    assert windows.follow_clinician is procedure.follow_clinician
    assert windows.overridden == frozenset()


def test_windows_for_defaults_to_standard_and_accepts_plain_strings():
    assert windows_for("microneedling") == windows_for("microneedling", Intensity.STANDARD)
    assert windows_for("microneedling", "light") == windows_for("microneedling", Intensity.LIGHT)


def test_overrides_win_even_outside_the_range():
    windows = windows_for(
        "microneedling", Intensity.LIGHT, Overrides(retinoid_days_after=30, washout_days_before=0)
    )
    assert windows.retinoid_days_after == 30
    assert windows.washout_days_before == 0
    assert windows.actives_days_after == get_kind("microneedling").actives.values[Intensity.LIGHT]
    assert windows.overridden == {"retinoid_days_after", "washout_days_before"}


@given(
    kind=st.sampled_from(sorted(REFERENCE_RANGES)),
    intensity=st.sampled_from(list(Intensity)),
    days=st.tuples(*[st.none() | st.integers(0, MAX_OVERRIDE_DAYS)] * 3),
)
def test_any_valid_override_is_applied_and_recorded(kind, intensity, days):
    overrides = Overrides(*days)
    windows = windows_for(kind, intensity, overrides)
    plain = windows_for(kind, intensity)
    for field, value in zip(catalog.OVERRIDABLE_FIELDS, days):
        assert getattr(windows, field) == (getattr(plain, field) if value is None else value)
    assert windows.overridden == {f for f, v in zip(catalog.OVERRIDABLE_FIELDS, days) if v is not None}
    assert windows.downtime_days == plain.downtime_days


@pytest.mark.parametrize("bad", [-1, MAX_OVERRIDE_DAYS + 1, 2.5, True, "7"])
@pytest.mark.parametrize("field", catalog.OVERRIDABLE_FIELDS)
def test_invalid_overrides_are_rejected_clearly(field, bad):
    message = rf"{field.replace('_', ' ')} must be a whole number of days from 0 to 365"
    with pytest.raises(ValueError, match=message):
        windows_for("hydrafacial", overrides=Overrides(**{field: bad}))


def test_unknown_kind_raises_a_clear_key_error():
    assert not is_known("laser_tattoo_removal")
    assert is_known("microneedling")
    with pytest.raises(UnknownProcedure) as info:
        get_kind("laser_tattoo_removal")
    assert isinstance(info.value, KeyError)
    assert "unknown procedure kind 'laser_tattoo_removal'" in str(info.value)
    assert "microneedling" in str(info.value)
    with pytest.raises(UnknownProcedure):
        windows_for("laser_tattoo_removal")


def test_catalog_values_are_frozen_and_hashable():
    procedure = get_kind("microneedling")
    with pytest.raises(dataclasses.FrozenInstanceError):
        procedure.label = "x"  # type: ignore[misc]
    assert hash(procedure) == hash(get_kind("microneedling"))
    assert dict(procedure.retinoid.values) == {
        Intensity.LIGHT: 5, Intensity.STANDARD: 8, Intensity.AGGRESSIVE: 14,
    }
    assert isinstance(windows_for("microneedling"), Windows)


def test_explain_gives_numbers_ranges_and_sources():
    lines = explain("microneedling", Intensity.STANDARD)
    retinoid = next(line for line in lines if line.startswith("No retinoid"))
    assert "8 days" in retinoid and "2–14 days" in retinoid and "GLIZ_MN" in retinoid
    assert any("on the day itself" in line and "PARK_MN_HACS" in line for line in lines)
    assert not any("follow your clinician" in line for line in lines)


def test_explain_says_why_when_there_is_no_range_and_defers_to_the_clinician():
    lines = explain("deep_chemical_peel")
    retinoid = next(line for line in lines if line.startswith("No retinoid"))
    assert "42 days" in retinoid and "no source-backed range" in retinoid and "extrapolated" in retinoid
    assert any("follow your clinician's instructions" in line for line in lines)
    assert any("starts the day after" in line for line in lines)


def test_explain_names_clinician_overrides():
    lines = explain("botulinum_toxin", overrides=Overrides(retinoid_days_after=3))
    retinoid = next(line for line in lines if line.startswith("No retinoid"))
    assert "3 days" in retinoid and "your clinician's number" in retinoid and "1 day" in retinoid


def test_explain_handles_zero_day_windows():
    lines = explain("botulinum_toxin", Intensity.LIGHT)
    assert lines[0].startswith("No pause needed before the treatment")
    assert lines[1].startswith("Retinoids can go back on the day after")
