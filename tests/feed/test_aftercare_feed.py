"""Aftercare in the feed's event descriptions, read back by real iCal parsers; none when discreet."""

from __future__ import annotations

import datetime as dt

import vobject

from planner.core.catalog import get_kind
from planner.core.model import Intensity
from tests.support.feed import EXOSOME, GENTLE, TODAY, events, parse, render

LASER_DAY = TODAY + dt.timedelta(days=5)  # Sunday 15 March 2026
SUN_DAYS = get_kind("nonablative_fractional_laser").sun.values[Intensity.STANDARD]


def laser_user(factory, **columns):
    user = factory.user(**{"timezone": "Europe/Berlin", **columns})
    factory.product(user, "Exo serum", EXOSOME, exosome_source="human")
    factory.product(user, "Barrier cream", GENTLE)
    procedure = factory.procedure(user, "nonablative_fractional_laser", LASER_DAY, clinic="Glow Clinic")
    return user, procedure


def _event(calendar, prefix):
    return next(e for uid, e in events(calendar).items() if uid.startswith(prefix))


def test_procedure_and_recovery_events_carry_the_aftercare(factory):
    user, procedure = laser_user(factory)
    body = render(user)
    calendar = parse(body)
    day = str(_event(calendar, f"procedure-{procedure.id}.")["DESCRIPTION"])
    last = LASER_DAY + dt.timedelta(days=SUN_DAYS)
    assert ("Aftercare: Daily broad-spectrum SPF 30+ sunscreen, reapplied every 2 hours outdoors, and no direct sun "
            f"through Sun {last.day} April after non-ablative fractional laser.") in day
    assert "Aftercare: No makeup until the evening of Mon 16 March (after non-ablative fractional laser on 15 March)." in day
    assert "You have no sunscreen on your shelf" in day
    recovery = str(_event(calendar, f"recovery-{procedure.id}.")["DESCRIPTION"])
    assert "Aftercare: Don't pick, scratch or peel flaking skin through Fri 20 March" in recovery
    assert recovery.count("Aftercare: Daily broad-spectrum SPF 30+ sunscreen") == 1  # once, not once a day
    # A second parser reads the same words.
    parsed = next(vobject.readComponents(body.decode()))
    descriptions = [v.description.value for v in parsed.vevent_list if v.uid.value.startswith(f"procedure-{procedure.id}.")]
    assert descriptions and "Aftercare: No makeup until the evening of Mon 16 March" in descriptions[0]


def test_discreet_feed_names_no_aftercare(factory):
    user, procedure = laser_user(factory, discreet_titles=True)
    calendar = parse(render(user))
    texts = [str(e.get("DESCRIPTION", "")) + str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert any("Appointment" in t for t in texts)
    for t in texts:
        assert not any(word in t.lower() for word in ("sunscreen", "makeup", "sauna", "laser", "aftercare")), t
