"""The daily message, composed for every procedure kind on every day around it: each of its
sentences is checked against the plan's own days, so it can never contradict the pages.

Pure: the plan service's UserPlanner over plain inputs, no database, no Flask."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest

from planner.core import catalog
from planner.core.ingredients import classify
from planner.core.model import MarkerKind, Plan, ProcedureInput, ProductClass, ProductInput, Profile, StepRole
from planner.planning.inputs import EngineInputs
from planner.planning.service import UserPlanner
from planner.reminders import content
from planner.reminders.content import DAYS_NEEDED, SUBJECT_LIMIT, NothingToSend, Part

UTC = dt.timezone.utc
PROCEDURE_DAY = dt.date(2026, 12, 11)
CLINIC = "Skin Clinic Mitte"


def product(product_id: int, name: str, ingredients: str, *, exosome: bool = False) -> ProductInput:
    found = classify(ingredients)
    classes = set(found.classes)
    if exosome:
        classes = (classes | {ProductClass.EXOSOME}) - {ProductClass.GENTLE}
    return ProductInput(product_id, name, frozenset(classes), found.retinoid_strength)


PRODUCTS = (
    product(1, "Glow Exosome Serum", "Aqua, Glycerin, Rose Callus Culture Exosomes", exosome=True),
    product(2, "Retinol Night", "Aqua, Squalane, Glycerin, Retinol"),
    product(3, "Glycolic Toner", "Aqua, Glycolic Acid, Sodium Hydroxide"),
    product(4, "Barrier Cream", "Aqua, Glycerin, Squalane, Ceramide NP"),
)
NAMES = [p.name for p in PRODUCTS]


def user(**switches) -> SimpleNamespace:
    parts = {"remind_daily": True, "remind_washout": True, "remind_procedure_day": True,
             "remind_recovery_end": True, "remind_ramp": True, **switches}
    return SimpleNamespace(id=1, timezone="Europe/Berlin", morning_time=dt.time(7, 30), evening_time=dt.time(21, 0), **parts)


def planner_for_kind(kind: str, who: SimpleNamespace | None = None) -> UserPlanner:
    procedures = (ProcedureInput(7, kind, PROCEDURE_DAY, clinic=CLINIC),)
    inputs = EngineInputs(who or user(), Profile("Europe/Berlin"), procedures, PRODUCTS)
    return UserPlanner(inputs, dt.datetime(2026, 12, 1, 12, tzinfo=UTC))


def plan_from(planner: UserPlanner, day: dt.date) -> Plan:
    return planner.plan(day, day + dt.timedelta(days=DAYS_NEEDED))


def expected_parts(plan: Plan) -> set[Part]:
    """Read off the markers independently of the code under test."""
    found = set()
    for m in plan.days[0].markers:
        if m.kind is MarkerKind.WASHOUT and m.day_number == 1:
            found.add(Part.WASHOUT)
        if m.kind is MarkerKind.PROCEDURE:
            found.add(Part.PROCEDURE)
        if m.kind is MarkerKind.RECOVERY and m.day_number == m.days_total:
            found.add(Part.RECOVERY_END)
        if m.kind is MarkerKind.RAMP and m.day_number == 1:
            found.add(Part.RAMP)
    return found


def check_sentence(sentence: str, plan: Plan) -> None:
    """Every sentence the message can say, checked against the plan's days; an unknown one fails."""
    today, tomorrow = plan.days[0], plan.days[1]
    facts = plan.procedures[0]
    when = content.long_day(tomorrow.date)
    exfoliants_today = {s.product_name: s.note for s in today.steps if s.role is StepRole.EXFOLIANT}
    exfoliants_tomorrow = {s.product_name: s.note for s in tomorrow.steps if s.role is StepRole.EXFOLIANT}
    if m := re.fullmatch(r"A (\d+)-day washout before (.+) on (.+) starts today\.", sentence):
        assert today.date == facts.washout_start and facts.has_washout
        assert int(m[1]) == (facts.date - facts.washout_start).days
        assert (m[2], m[3]) == (facts.phrase, content.long_day(facts.date))
    elif m := re.fullmatch(r"Leave off your skin from today: (.+)\.", sentence):
        assert m[1] == content.join_words([p.product_name for p in today.pauses])
        assert not set(exfoliants_today) & {p.product_name for p in today.pauses}
    elif m := re.fullmatch(r"(.+) today at (.+)\.", sentence):
        assert (m[1], m[2], today.date) == (facts.label, CLINIC, facts.date)
    elif m := re.fullmatch(r"Today is the last day of the (\d+)-day recovery after (.+) on (.+)\.", sentence):
        assert today.date == facts.recovery_end and facts.has_recovery
        assert int(m[1]) == (facts.recovery_end - facts.date).days and m[2] == facts.phrase
    elif m := re.fullmatch(rf"Back on {when}: ([^(]+?)(?: \((.+)\))?\.", sentence):
        assert m[1] in exfoliants_tomorrow and (m[2] or "") == exfoliants_tomorrow[m[1]]
    elif m := re.fullmatch(rf"Still paused on {when}: ([^(]+?) \((.+)\)\.", sentence):
        assert (m[1], m[2]) in {(p.product_name, p.reason) for p in tomorrow.pauses}
        assert m[1] not in exfoliants_tomorrow  # never "back" and "still paused" at once
    elif m := re.fullmatch(rf"On {when}: (.+)", sentence):
        assert m[1] in tomorrow.notes
    elif m := re.fullmatch(r"From today your exfoliants come back gradually after (.+), over (\d+) days\.", sentence):
        ramp = next(x for x in today.markers if x.kind is MarkerKind.RAMP)
        assert (m[1], int(m[2]), ramp.day_number) == (facts.phrase, ramp.days_total, 1)
    elif m := re.fullmatch(r"Today: ([^(]+?)(?: \((.+)\))?\.", sentence):
        assert m[1] in exfoliants_today and (m[2] or "") == exfoliants_today[m[1]]
    elif sentence == "None of your exfoliants is planned for today.":
        assert not exfoliants_today
    elif today.serum is not None and sentence == f"{today.serum.product_name}: {today.serum.note}.":
        assert today.date == facts.date
    elif sentence in today.notes:
        assert today.date == facts.date
    else:
        pytest.fail(f"a sentence no check knows: {sentence!r}")


KINDS = [k.key for k in catalog.procedure_kinds()]


@pytest.mark.parametrize("kind", KINDS)
def test_every_sentence_on_every_day_matches_the_plan(kind):
    planner = planner_for_kind(kind)
    facts = planner.facts()[0]
    seen: set[Part] = set()
    day = facts.washout_start - dt.timedelta(days=1)
    while day <= facts.recovery_end + dt.timedelta(days=3):
        plan = plan_from(planner, day)
        body = content.build(planner, plan, discreet=False)
        changes = body.values["changes"]
        assert {c.part for c in changes} == expected_parts(plan), day
        for change in changes:
            assert change.sentences
            for sentence in change.sentences:
                check_sentence(sentence, plan)
        # the day's steps are the plan's steps, in its order
        listed = [s for slot in body.values["slots"] for s in slot.steps]
        assert sorted(listed, key=lambda s: (s.slot.value, s.order)) == sorted(plan.days[0].steps, key=lambda s: (s.slot.value, s.order))
        assert len(body.subject) < SUBJECT_LIMIT
        seen |= {c.part for c in changes}
        day += dt.timedelta(days=1)
    assert Part.PROCEDURE in seen
    if facts.has_washout:
        assert Part.WASHOUT in seen
    if facts.has_recovery:
        assert Part.RECOVERY_END in seen and Part.RAMP in seen


def test_every_kind_of_changeover_is_covered_by_microneedling():
    """The four changeovers, each on its own day or together, for one well-known procedure."""
    planner = planner_for_kind("microneedling")
    facts = planner.facts()[0]
    by_day = {}
    for offset in range(-10, 40):
        day = facts.date + dt.timedelta(days=offset)
        by_day[day] = {c.part for c in content.build(planner, plan_from(planner, day), discreet=False).values["changes"]}
    assert by_day[facts.washout_start] == {Part.WASHOUT}
    assert by_day[facts.date] == {Part.PROCEDURE}
    assert Part.RECOVERY_END in by_day[facts.recovery_end]
    assert sum(Part.RAMP in parts for parts in by_day.values()) == 1
    assert sum(bool(parts) for parts in by_day.values()) <= 4


@pytest.mark.parametrize("kind", KINDS)
def test_discreet_subjects_and_previews_name_nothing(kind):
    planner = planner_for_kind(kind)
    facts = planner.facts()[0]
    words = [facts.label.lower(), facts.phrase.lower(), CLINIC.lower(), *(n.lower() for n in NAMES)]
    day = facts.washout_start
    while day <= facts.recovery_end + dt.timedelta(days=1):
        for snooze in (0, 1, 2):
            body = content.build(planner, plan_from(planner, day), discreet=True, snooze=snooze)
            for shown in (body.subject, body.values["preview"]):
                assert shown and not any(w in shown.lower() for w in words), shown
            assert len(body.subject) < SUBJECT_LIMIT
            assert body.subject.startswith("Reminder: " if snooze else "Your routine")
        day += dt.timedelta(days=1)


def test_a_changeover_without_the_steps_and_a_plain_day_without_them():
    planner = planner_for_kind("microneedling", user(remind_daily=False))
    facts = planner.facts()[0]
    body = content.build(planner, plan_from(planner, facts.washout_start), discreet=False)
    assert [c.part for c in body.values["changes"]] == [Part.WASHOUT] and body.values["slots"] == []
    with pytest.raises(NothingToSend, match="switched off"):
        content.build(planner, plan_from(planner, facts.washout_start + dt.timedelta(days=1)), discreet=False)


def test_a_switched_off_part_is_left_out():
    planner = planner_for_kind("microneedling", user(remind_procedure_day=False))
    facts = planner.facts()[0]
    body = content.build(planner, plan_from(planner, facts.date), discreet=False)
    assert body.values["changes"] == [] and body.subject == f"Your routine for {content.long_day(facts.date)}"
    assert [s.product_name for slot in body.values["slots"] for s in slot.steps] == ["Glow Exosome Serum", "Barrier Cream"]
    # the day's own notes stay with the steps when the procedure part is off
    assert body.values["notes"] == plan_from(planner, facts.date).days[0].notes != ()


def test_the_procedure_part_names_the_clinic_unless_discreet():
    planner = planner_for_kind("microneedling")
    plan = plan_from(planner, PROCEDURE_DAY)
    [change] = content.changes_of(plan)
    assert change.sentences[0] == f"Microneedling today at {CLINIC}."
    [discreet] = content.changes_of(plan, discreet=True)
    assert discreet.sentences[0] == "Microneedling today."
