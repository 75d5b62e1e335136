"""Finding a time zone by what people type: a city, an alias, a country, or the zone's name."""

from __future__ import annotations

import pytest

from planner.extensions import db
from planner.storage.models import User
from planner.accounts.places import UnknownZone, find_zone, place_key
from planner.accounts.rules import is_zone, zone_names
from tests.support.app import PASSWORD


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("London", "Europe/London"),
        ("new york", "America/New_York"),
        ("Kolkata", "Asia/Kolkata"),
        ("Kiritimati", "Pacific/Kiritimati"),
        ("Sao Paulo", "America/Sao_Paulo"),
        ("  SÃO   PAULO ", "America/Sao_Paulo"),
        ("sao_paulo", "America/Sao_Paulo"),
        ("Bombay", "Asia/Kolkata"),
        ("Calcutta", "Asia/Kolkata"),
        ("NYC", "America/New_York"),
        ("Zürich", "Europe/Zurich"),
        ("Ho Chi Minh", "Asia/Ho_Chi_Minh"),
        ("Port-au-Prince", "America/Port-au-Prince"),
        ("London, UK", "Europe/London"),
        ("Japan", "Asia/Tokyo"),
        ("germany", "Europe/Berlin"),  # Büsingen keeps Berlin's clock
        ("India", "Asia/Kolkata"),
        ("United Kingdom", "Europe/London"),
        ("South Korea", "Asia/Seoul"),
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("Asia/Calcutta", "Asia/Calcutta"),  # a valid legacy name is kept as typed
        ("utc", "UTC"),
    ],
)
def test_places_find_their_zone(typed, zone):
    assert find_zone(typed) == zone
    assert is_zone(zone)


@pytest.mark.parametrize(
    ("typed", "advice"),
    [
        ("United States", "United States has several time zones. Type your city instead, like New York, Chicago, Denver or Los Angeles."),
        ("usa", "United States has several time zones."),
        ("Australia", "like Sydney, Brisbane, Adelaide or Perth"),
        ("Portugal", "Type your city instead, like Lisbon or Azores."),
    ],
)
def test_a_country_with_several_zones_asks_for_a_city(typed, advice):
    with pytest.raises(UnknownZone) as error:
        find_zone(typed)
    assert advice in str(error.value)


@pytest.mark.parametrize("typed", ["Atlantis", "Europe/Atlantis", "localtime", "12345"])
def test_unknown_places_say_what_to_type(typed):
    with pytest.raises(UnknownZone) as error:
        find_zone(typed)
    assert str(error.value) == (
        f"Unknown time zone “{typed}”. Type a large city near you, like London or New York, or a zone like Europe/London."
    )


def test_empty_input_says_what_to_type():
    with pytest.raises(UnknownZone, match="Type your city, like London or New York"):
        find_zone("   ")


def test_is_zone_accepts_exact_names_only():
    assert is_zone("America/New_York") and is_zone("UTC")
    assert not is_zone("america/new_york") and not is_zone("New York") and not is_zone("localtime")


def test_the_suggestion_list_holds_places_not_machinery():
    names = zone_names()
    assert "Europe/London" in names and "Pacific/Kiritimati" in names
    assert not any(n.startswith(("Etc/", "posix/", "right/")) or n == "localtime" for n in names)
    assert list(names) == sorted(names)


def test_place_key_ignores_case_accents_spaces_and_punctuation():
    assert place_key("São  Paulo") == place_key("sao_paulo") == place_key("SAO-PAULO") == "saopaulo"


PROFILE = {"serum_slot": "evening", "morning_time": "07:30", "evening_time": "21:00", "reminder_time": "07:00"}


def test_profile_saves_the_zone_of_a_typed_city(client, logged_in):
    response = client.post("/settings/profile", data={**PROFILE, "timezone": "kolkata"})
    assert response.status_code == 302
    db.session.refresh(logged_in)
    assert logged_in.timezone == "Asia/Kolkata"
    assert "Your time zone is Asia/Kolkata." in client.get("/settings/profile").text


def test_profile_explains_a_country_with_several_zones_next_to_the_field(client, logged_in):
    response = client.post("/settings/profile", data={**PROFILE, "timezone": "United States"})
    assert response.status_code == 200
    assert 'aria-describedby="timezone-hint timezone-error"' in response.text
    assert 'id="timezone-error">United States has several time zones. Type your city instead' in response.text
    assert 'value="United States"' in response.text
    db.session.refresh(logged_in)
    assert logged_in.timezone == "Europe/Berlin"


def test_sign_up_keeps_the_browsers_zone_and_falls_back_to_the_default(client, app):
    for email, reported in (("one@example.com", "Asia/Kolkata"), ("two@example.com", "Nowhere/City")):
        client.post("/signup", data={"email": email, "password": PASSWORD, "confirm": PASSWORD, "timezone": reported})
        client.post("/logout")
    zones = {u.email: u.timezone for u in db.session.scalars(db.select(User))}
    assert zones == {"one@example.com": "Asia/Kolkata", "two@example.com": app.config["DEFAULT_TIMEZONE"]}
