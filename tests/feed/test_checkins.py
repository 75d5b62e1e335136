"""The feed's recovery event follows the skin check-ins: longer, and saying why (parsed by icalendar)."""

from __future__ import annotations

import datetime as dt

from planner.feed import tokens
from planner.planning import planner_for
from planner.planning.checkins import answer
from tests.support.feed import EXOSOME, RETINOL, category, events, parse

NOW = dt.datetime(2026, 12, 9, 9, 0, tzinfo=dt.timezone.utc)


def recovery_event(body: bytes):
    (event,) = [e for e in events(parse(body)).values() if category(e) == "Recovery"]
    return event


def test_still_twice_lengthens_the_recovery_event_and_changes_the_feed(app, client, factory):
    app.config["CLOCK"] = lambda: NOW - dt.timedelta(days=8)  # the procedure is recorded on its day
    user = factory.user(timezone="Europe/Berlin")
    factory.product(user, "Exo serum", EXOSOME, exosome_source="human")
    factory.product(user, "Retinol serum", RETINOL)
    procedure = factory.procedure(user, "microneedling", dt.date(2026, 12, 1), retinoid_days_override=7,
                                  actives_days_override=7)
    app.config["CLOCK"] = lambda: NOW - dt.timedelta(days=1)
    path = f"/feed/{tokens.issue(user)}.ics"
    before = client.get(path)
    event = recovery_event(before.data)
    assert event["DTSTART"].dt == dt.date(2026, 12, 2) and event["DTEND"].dt == dt.date(2026, 12, 9)
    assert "no retinoids or exfoliants through 8 December" in str(event["DESCRIPTION"])

    answer(planner_for(user), procedure.id, dt.date(2026, 12, 8), "still")
    app.config["CLOCK"] = lambda: NOW
    answer(planner_for(user), procedure.id, dt.date(2026, 12, 9), "still")
    assert client.get(path, headers={"If-None-Match": before.headers["ETag"]}).status_code == 200
    after = client.get(path)
    event = recovery_event(after.data)
    assert event["DTSTART"].dt == dt.date(2026, 12, 2) and event["DTEND"].dt == dt.date(2026, 12, 11)
    description = str(event["DESCRIPTION"])
    assert "no retinoids or exfoliants through 10 December" in description
    assert "Extended by 2 days: on 9 December you said your skin was still red, peeling, stinging or broken." in description
    assert "recovery extended: on 8 December you said" in description
    assert int(event["SEQUENCE"]) > 0


def test_discreet_feeds_name_no_procedure_in_the_extended_event(app, client, factory):
    app.config["CLOCK"] = lambda: NOW
    user = factory.user(timezone="Europe/Berlin", discreet_titles=True)
    factory.product(user, "Retinol serum", RETINOL)
    procedure = factory.procedure(user, "microneedling", dt.date(2026, 12, 1), retinoid_days_override=7,
                                  actives_days_override=7)
    answer(planner_for(user), procedure.id, dt.date(2026, 12, 8), "still")
    body = client.get(f"/feed/{tokens.issue(user)}.ics").data
    routine = [e for e in events(parse(body)).values() if "Gentle routine" in str(e["SUMMARY"])]
    assert [str(e["SUMMARY"]) for e in routine] == ["Gentle routine through 9 December"]
    assert b"microneedling" not in body.lower() and b"peeling" not in body.lower()
