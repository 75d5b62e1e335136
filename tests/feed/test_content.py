"""The feed says what the plan says: parsed and expanded by four libraries nobody here wrote."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from zoneinfo import ZoneInfo

import ics
import recurring_ical_events
import vobject

from planner.core import catalog
from planner.core.model import MarkerKind, StepRole
from planner.extensions import db
from planner.feed.lookup import horizon
from planner.planning import plan_for
from planner.storage.queries import list_procedures
from tests.support.feed import EXOSOME, NOW, RETINOL, TODAY, category, events, make_plan_user, parse, render

BERLIN = ZoneInfo("Europe/Berlin")
KIND_CATEGORY = {MarkerKind.WASHOUT: "Washout", MarkerKind.PROCEDURE: "Procedure", MarkerKind.RECOVERY: "Recovery"}


def expanded(body: bytes, start: dt.date, end: dt.date) -> list:
    return recurring_ical_events.of(parse(body)).between(start, end)


def test_calendar_properties(plan_user):
    calendar = parse(render(plan_user))
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Afterglow//Skincare plan feed//EN"
    assert calendar["X-WR-CALNAME"] == "Afterglow"
    assert calendar["X-WR-TIMEZONE"] == "Europe/Berlin"
    assert calendar["REFRESH-INTERVAL"].dt == dt.timedelta(hours=6)  # FEED_REFRESH_MINUTES = 360
    assert calendar["X-PUBLISHED-TTL"] == "PT6H"
    zones = calendar.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/Berlin"]


def assert_steps_expand_to_the_plan(user) -> None:
    """Every serum and exfoliant occurrence, expanded by recurring-ical-events, is a step of
    plan_for on that day at the slot's local time, and every such step has its occurrence."""
    start, end = horizon(TODAY)
    plan = plan_for(user, start, end)
    times = {"morning": user.morning_time, "evening": user.evening_time}
    expected = Counter(
        (day.date, times[step.slot.value], "Serum" if step.role is StepRole.SERUM else "Exfoliant", step.product_name)
        for day in plan.days for step in day.steps if step.role is not StepRole.LAYER
    )
    actual = Counter()
    for occurrence in expanded(render(user), start, end):
        if category(occurrence) in ("Serum", "Exfoliant"):
            local = occurrence["DTSTART"].dt.astimezone(BERLIN)
            assert occurrence["DTEND"].dt - occurrence["DTSTART"].dt == dt.timedelta(minutes=10)
            actual[local.date(), local.time(), category(occurrence), str(occurrence["SUMMARY"])] += 1
    assert actual == expected
    serum_days = {d for d, _, kind, _ in expected if kind == "Serum"}
    assert len(serum_days) > 400  # once daily, all year, but for the procedure days the plan leaves out
    assert len({(d, n) for d, _, kind, n in expected if kind == "Exfoliant"}) > 150


def test_every_step_expands_to_the_plans_days_at_the_local_slot_time(plan_user):
    assert_steps_expand_to_the_plan(plan_user)


def test_a_morning_serum_expands_to_the_plans_days_too(factory):
    user = make_plan_user(factory, TODAY, serum_slot="morning", morning_time=dt.time(6, 45))
    assert_steps_expand_to_the_plan(user)


def test_serum_keeps_its_wall_clock_time_across_both_dst_changes(plan_user):
    start, end = horizon(TODAY)
    serum = {o["DTSTART"].dt.astimezone(BERLIN).date(): o["DTSTART"].dt
             for o in expanded(render(plan_user), start, end) if category(o) == "Serum"}
    for before, after in ((dt.date(2026, 3, 28), dt.date(2026, 3, 30)), (dt.date(2026, 10, 24), dt.date(2026, 10, 26))):
        assert serum[before].astimezone(BERLIN).time() == serum[after].astimezone(BERLIN).time() == dt.time(21, 0)
        # The instants differ by the DST shift: the times are zoned, not floating.
        utc_before = serum[before].astimezone(dt.timezone.utc).time()
        utc_after = serum[after].astimezone(dt.timezone.utc).time()
        assert {utc_before, utc_after} == {dt.time(19, 0), dt.time(20, 0)}


def test_windows_and_procedures_are_single_all_day_events_matching_the_markers(plan_user):
    start, end = horizon(TODAY)
    plan = plan_for(plan_user, start, end)
    expected = Counter((day.date, KIND_CATEGORY[m.kind]) for day in plan.days for m in day.markers if m.kind in KIND_CATEGORY)
    actual = Counter()
    calendar = parse(render(plan_user))
    for event in calendar.walk("VEVENT"):
        if category(event) in KIND_CATEGORY.values():
            assert "RRULE" not in event  # one event per window, not one per day
            first, stop = event["DTSTART"].dt, event["DTEND"].dt
            assert type(first) is dt.date and type(stop) is dt.date
            for n in range((stop - first).days):
                actual[first + dt.timedelta(days=n), category(event)] += 1
    assert actual == expected
    summaries = {category(e): str(e["SUMMARY"]) for e in calendar.walk("VEVENT")
                 if str(e["UID"]).startswith(("washout-", "recovery-", "procedure-"))}
    assert summaries["Washout"].startswith("Washout: no retinoids or exfoliants until")
    assert re.search(r"no retinoids (or exfoliants )?through \d+ \w+", summaries["Recovery"])
    microneedling = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "Microneedling")
    assert str(microneedling["LOCATION"]) == "Glow Clinic"
    assert "clinician" in str(microneedling["DESCRIPTION"])


def test_no_exfoliant_event_inside_a_window(plan_user):
    start, end = horizon(TODAY)
    occurrences = expanded(render(plan_user), start, end)
    exfoliants = [o for o in occurrences if category(o) == "Exfoliant"]
    assert {str(o["SUMMARY"]) for o in exfoliants} == {"Retinol serum", "Glycolic toner", "BHA liquid"}
    procedures = list_procedures(plan_user)
    assert len(procedures) == 3
    for row in procedures:
        w = catalog.windows_for(row.kind, row.intensity)
        washout = row.performed_on - dt.timedelta(days=w.washout_days_before)
        retinoid_end = row.performed_on + dt.timedelta(days=w.retinoid_days_after)
        actives_end = row.performed_on + dt.timedelta(days=w.actives_days_after)
        for o in occurrences:
            if category(o) != "Exfoliant":
                continue
            day = o["DTSTART"].dt.astimezone(BERLIN).date()
            last = retinoid_end if str(o["SUMMARY"]) == "Retinol serum" else actives_end
            assert not washout <= day <= last, (str(o["SUMMARY"]), day, row.kind)


def test_descriptions_give_the_reasons(plan_user):
    calendar = parse(render(plan_user))
    descriptions = [str(e["DESCRIPTION"]) for e in calendar.walk("VEVENT")]
    assert any("back gradually" in d for d in descriptions)  # ramp nights carry the engine's reason
    assert any("after your treatment" in d for d in descriptions)  # the serum on a procedure day
    washout = next(str(e["DESCRIPTION"]) for e in calendar.walk("VEVENT") if category(e) == "Washout")
    assert "Paused in your plan: " in washout and "Retinol serum (retinoid)" in washout


def test_four_independent_parsers_agree(plan_user):
    body = render(plan_user)
    text = body.decode()
    uids = set(events(parse(body)))
    assert len(uids) == text.count("BEGIN:VEVENT")

    card = vobject.readOne(text)
    assert {e.uid.value for e in card.vevent_list} == uids
    ics_calendar = ics.Calendar(text)
    assert {e.uid for e in ics_calendar.events} == uids
    assert {c for e in ics_calendar.events for c in e.categories} == {"Serum", "Exfoliant", "Procedure", "Washout", "Recovery"}

    # vobject's own recurrence expansion agrees with recurring-ical-events for every series.
    start, end = horizon(TODAY)
    by_uid = Counter(str(o["UID"]) for o in expanded(body, start, end))
    for vevent in card.vevent_list:
        if hasattr(vevent, "rrule"):
            assert len(list(vevent.getrruleset())) == by_uid[vevent.uid.value], vevent.uid.value


def test_lines_are_folded_crlf_and_never_too_long(plan_user):
    body = render(plan_user)
    assert body.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert max(len(line) for line in body.split(b"\r\n")) <= 75


def test_uids_are_deterministic_and_renders_identical(plan_user):
    first = render(plan_user)
    db.session.expire_all()
    second = render(plan_user, now=NOW + dt.timedelta(hours=5))
    assert first == second  # same inputs, same bytes: no random UID, no DTSTAMP of "now"
    next_day = render(plan_user, today=TODAY + dt.timedelta(days=1), now=NOW + dt.timedelta(days=1))
    assert next_day == first  # whole-month horizon: the feed does not churn day by day
    uids = set(events(parse(first)))
    suffix = {uid.split(".", 1)[1] for uid in uids}
    assert len(suffix) == 1 and suffix.pop().endswith("@afterglow.test")
    shape = re.compile(r"(serum|p\d+)-(morning|evening)-\d{6}(\d{2})?|(procedure|washout|recovery)-\d+")
    assert all(shape.fullmatch(uid.split(".")[0]) for uid in uids)


def test_sequence_and_last_modified_change_only_with_the_event(plan_user, factory):
    before = events(parse(render(plan_user)))
    assert {int(e["SEQUENCE"]) for e in before.values()} == {0}
    microneedling = next(p for p in list_procedures(plan_user) if p.kind == "microneedling")
    microneedling.performed_on += dt.timedelta(days=2)
    db.session.commit()
    later = NOW + dt.timedelta(minutes=30)
    after = events(parse(render(plan_user, now=later)))

    key = f"procedure-{microneedling.id}."
    moved = next(e for uid, e in after.items() if uid.startswith(key))
    assert int(moved["SEQUENCE"]) == 1 and moved["LAST-MODIFIED"].dt == later
    assert moved["DTSTART"].dt == TODAY + dt.timedelta(days=22)
    for uid, event in after.items():
        old = before.get(uid)
        if old is None:
            assert int(event["SEQUENCE"]) == 0
            continue
        same = _content(old) == _content(event)
        assert int(event["SEQUENCE"]) == (0 if same else 1), uid
        assert event["LAST-MODIFIED"].dt == (NOW if same else later), uid
    untouched = [uid for uid in after if uid.startswith("serum-evening-202610")]
    assert untouched and int(after[untouched[0]]["SEQUENCE"]) == 0

    # Rendering again without a change bumps nothing.
    again = events(parse(render(plan_user, now=later + dt.timedelta(hours=1))))
    assert {uid: int(e["SEQUENCE"]) for uid, e in again.items()} == {uid: int(e["SEQUENCE"]) for uid, e in after.items()}


def _content(event) -> bytes:
    return b"\r\n".join(line for line in event.to_ical().split(b"\r\n")
                        if not line.startswith((b"SEQUENCE", b"LAST-MODIFIED", b"DTSTAMP")))


MEDICAL_WORDS = ("serum", "exosome", "exo", "retin", "acid", "glycolic", "bha", "aha", "peel", "needl", "laser",
                 "procedure", "treatment", "washout", "recovery", "exfoliant", "skin", "derm", "clinic", "toner",
                 "hydrafacial", "barrier")


def test_discreet_titles_name_nothing_medical(plan_user):
    """Summaries, descriptions, categories, alarms and the calendar's own description (issue 13, item 13)."""
    plan_user.discreet_titles = True
    plan_user.feed_alarms = True
    db.session.commit()
    clinics = {p.clinic.lower() for p in list_procedures(plan_user) if p.clinic}
    assert clinics  # the fixture's procedures name a clinic, so this can fail
    calendar = parse(render(plan_user))
    titles = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    descriptions = {str(e["DESCRIPTION"]) for e in calendar.walk("VEVENT")}
    categories = {category(e) for e in calendar.walk("VEVENT")}
    alarms = {str(a["DESCRIPTION"]) for a in calendar.walk("VALARM")}
    assert {"Evening routine", "Morning routine", "Appointment"} <= titles
    assert any(d.startswith("Your evening routine (") for d in descriptions)
    assert categories == {"Routine", "Appointment"}
    for text in titles | descriptions | categories | alarms | {str(calendar["DESCRIPTION"]), str(calendar["X-WR-CALDESC"])}:
        assert not any(word in text.lower() for word in MEDICAL_WORDS), text
        assert not any(clinic in text.lower() for clinic in clinics), text
    assert not any("LOCATION" in e for e in calendar.walk("VEVENT"))


def test_alarms_only_when_the_user_turns_them_on(plan_user):
    assert plan_user.feed_alarms is False
    assert b"BEGIN:VALARM" not in render(plan_user)
    plan_user.feed_alarms = True
    db.session.commit()
    calendar = parse(render(plan_user))
    for event in calendar.walk("VEVENT"):
        alarms = event.walk("VALARM")
        if category(event) in ("Serum", "Exfoliant"):
            assert [a["TRIGGER"].dt for a in alarms] == [dt.timedelta(0)]
        elif category(event) in ("Procedure", "Washout"):
            assert [a["TRIGGER"].dt for a in alarms] == [dt.timedelta(hours=-15)]
        else:
            assert alarms == []


def test_a_user_in_utc_gets_utc_times_and_no_vtimezone(factory):

    user = make_plan_user(factory, TODAY, timezone="UTC")
    body = render(user)
    calendar = parse(body)
    assert calendar.walk("VTIMEZONE") == [] and calendar["X-WR-TIMEZONE"] == "UTC"
    assert b"TZID=" not in body
    serum = next(e for e in calendar.walk("VEVENT") if category(e) == "Serum")
    assert serum["DTSTART"].dt.utcoffset() == dt.timedelta(0) and serum["DTSTART"].dt.time() == dt.time(21, 0)


def test_a_plan_awaiting_approval_keeps_every_window_and_no_serum(factory):
    user = factory.user(pregnant=True)  # needs a dermatologist's approval first
    factory.product(user, "Exo serum", EXOSOME, exosome_source="human")
    factory.product(user, "Retinol serum", RETINOL)
    factory.procedure(user, "microneedling", TODAY + dt.timedelta(days=14))
    calendar = parse(render(user))
    kinds = Counter(category(e) for e in calendar.walk("VEVENT"))
    assert kinds["Washout"] == 1 and kinds["Recovery"] == 1 and kinds["Procedure"] == 1
    assert kinds["Serum"] == 0
    washout = next(e for e in calendar.walk("VEVENT") if category(e) == "Washout")
    assert "Retinol serum (retinoid)" in str(washout["DESCRIPTION"])
    assert "No exosome serum until you confirm a dermatologist approved it" in str(washout["DESCRIPTION"])
    assert "on hold" in str(calendar["X-WR-CALDESC"])


def test_after_ablative_fractional_laser_the_feed_has_no_home_serum_until_healed_over(factory):
    user = factory.user()
    factory.product(user, "Exo serum", EXOSOME, exosome_source="human")
    factory.procedure(user, "ablative_fractional_laser", TODAY)
    body = render(user)
    serum_days = {e["DTSTART"].dt.date() for e in expanded(body, TODAY - dt.timedelta(days=3),
                                                            TODAY + dt.timedelta(days=20)) if category(e) == "Serum"}
    held = {TODAY + dt.timedelta(days=n) for n in range(8)}
    assert not serum_days & held
    assert TODAY + dt.timedelta(days=8) in serum_days and TODAY - dt.timedelta(days=1) in serum_days
    recovery = next(e for e in parse(body).walk("VEVENT") if category(e) == "Recovery")
    assert "No home serum through 17 March after ablative fractional laser on 10 March" in str(recovery["DESCRIPTION"])


def test_names_with_ical_special_characters_survive(factory):
    user = factory.user()
    factory.product(user, "Exo; serum, \"night\" \\ édition 🌙\nline two", EXOSOME, exosome_source="plant")
    calendar = parse(render(user))
    serum = next(e for e in calendar.walk("VEVENT") if category(e) == "Serum")
    assert str(serum["SUMMARY"]) == "Exo; serum, \"night\" \\ édition 🌙\nline two"
    assert ics.Calendar(render(user).decode()).events
