"""Profile, calendar feed link, catalog and export."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.api import tokens
from planner.core import catalog
from planner.extensions import db
from planner.feed import tokens as feed_tokens
from planner.storage.models import User
from tests.support.api import assert_problem

UTC = dt.timezone.utc

PROFILE = {
    "timezone": "America/New_York", "serum_slot": "morning", "morning_time": "06:45", "evening_time": "22:00",
    "reminder_time": "06:30", "pregnant": True, "dermatologist_approved": True, "emails_enabled": False,
    "discreet_titles": True,
}


def test_profile_read_and_replace(app, api, user):
    app.config["CLOCK"] = lambda: dt.datetime(2026, 3, 1, 9, tzinfo=UTC)
    before = api.get("/api/v1/profile")
    assert before.get_json()["timezone"] == "Europe/Berlin" and before.get_json()["email_confirmed"] is True
    response = api.put("/api/v1/profile", json=PROFILE, headers={"If-Match": before.headers["ETag"]})
    assert response.status_code == 200, response.text
    body = response.get_json()
    assert body["serum_slot"] == "morning" and body["morning_time"] == "06:45" and body["pregnant"] is True
    assert body["dermatologist_approved_at"] == "2026-03-01T09:00:00Z"
    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert stored.timezone == "America/New_York" and stored.morning_time == dt.time(6, 45)
    assert stored.email_unsubscribed_at == dt.datetime(2026, 3, 1, 9, tzinfo=UTC) and stored.discreet_titles is True
    assert stored.remind_daily is True  # left out: its default
    assert_problem(api.put("/api/v1/profile", json=PROFILE, headers={"If-Match": before.headers["ETag"]}), 412)


def test_every_screening_question_of_the_core_is_a_profile_field(app, api, user):
    """The profile's safety answers are made from the core's SafetyAnswers: each question is a field
    of the request and the answer (its type and default, in the document too), and each answer
    given through the API reaches the plan's screening."""
    import dataclasses

    from planner.api.schemas.profile import Profile, ProfileIn
    from planner.core.model import SafetyAnswers
    from planner.planning import planner_for

    questions = dataclasses.fields(SafetyAnswers)
    assert len(questions) >= 7
    schemas = api.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    for question in questions:
        for model in (ProfileIn, Profile):
            field = model.model_fields[question.name]
            assert field.annotation is bool and field.default is question.default, (model, question.name)
        assert schemas["ProfileIn"]["properties"][question.name] == {
            "type": "boolean", "default": question.default, "title": question.name.replace("_", " ").title(),
            **({"description": "A dermatologist approved an exosome serum plan."}
               if question.name == "dermatologist_approved" else {}),
        }
    every_yes = {**PROFILE, **{question.name: True for question in questions}}
    answer = api.put("/api/v1/profile", json=every_yes).get_json()
    assert all(answer[question.name] is True for question in questions)
    db.session.expire_all()
    assert planner_for(db.session.get(User, user.id)).inputs.profile.safety == SafetyAnswers(
        **{question.name: True for question in questions})


@pytest.mark.parametrize(("field", "value"), [
    ("timezone", "Mars/Olympus_Mons"), ("morning_time", "24:00"), ("morning_time", "7:30"), ("serum_slot", "noon"),
    ("pregnant", "false"),
])
def test_profile_refuses_invalid_values(api, user, field, value):
    problem = assert_problem(api.put("/api/v1/profile", json={**PROFILE, field: value}), 422)
    assert [e["pointer"] for e in problem["errors"]] == [f"#/{field}"]
    assert api.get("/api/v1/profile").get_json()["timezone"] == "Europe/Berlin"


def test_feed_link_create_read_regenerate_revoke(api, user):
    assert_problem(api.get("/api/v1/feed-link"), 404)
    created = api.post("/api/v1/feed-link")
    assert created.status_code == 201 and created.headers["Cache-Control"] == "no-store"
    link = created.get_json()
    assert link["url"] == f"http://afterglow.test/feed/{feed_tokens.current_token(user)}.ics"
    assert link["webcal_url"] == link["url"].replace("http://", "webcal://")
    assert api.get("/api/v1/feed-link").get_json() == link
    renewed = api.post("/api/v1/feed-link").get_json()
    assert renewed["url"] != link["url"]
    assert api.get(link["url"].removeprefix("http://afterglow.test")).status_code == 404  # the old link is dead
    assert api.delete("/api/v1/feed-link").status_code == 204
    assert feed_tokens.current_token(user) is None
    assert_problem(api.get("/api/v1/feed-link"), 404)


def test_catalog_lists_every_kind_with_sources(api):
    body = api.get("/api/v1/catalog/procedures").get_json()
    assert [k["key"] for k in body["items"]] == [k.key for k in catalog.procedure_kinds()]
    needling = api.get("/api/v1/catalog/procedures/microneedling").get_json()
    kind = catalog.get_kind("microneedling")
    assert needling["washout_days_before"]["standard"] == kind.washout.values.standard
    assert needling["washout_days_before"]["range"] == list(kind.washout.range)
    assert [s["key"] for s in needling["sources"]] == [s.key for s in kind.sources()]
    assert all(s["url"].startswith("http") for s in needling["sources"])
    assert_problem(api.get("/api/v1/catalog/procedures/tattoo"), 404)


def test_export_holds_everything_but_secrets(app, api, user, factory, write_token):
    factory.procedure(user, clinic="Skin Lab")
    factory.product(user, name="Night Retinol", ingredients="Aqua, Retinol")
    api.post("/api/v1/feed-link")
    response = api.get("/api/v1/export")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    body = response.get_json()
    assert body["format"] == "afterglow-export" and body["profile"]["email"] == user.email
    assert [p["clinic"] for p in body["procedures"]] == ["Skin Lab"]
    assert body["products"][0]["classification"]["classes"] == ["retinoid"]
    assert body["calendar_feed"]["link"]["created_at"].endswith("Z")  # the link's bookkeeping, never the link
    assert body["api_tokens"][0]["name"] == "Test script" and body["api_tokens"][0]["scope"] == "write"
    text = response.text
    assert write_token not in text and tokens.token_sha256(write_token) not in text
    assert "/feed/" not in text
    assert user.password_hash not in text


def test_the_api_and_the_settings_page_export_the_same_document(app, api, user, factory, client):
    """One function builds both: the same keys and values, but for the moment of export."""
    import json

    from tests.support.app import PASSWORD

    factory.procedure(user, clinic="Skin Lab")
    factory.product(user, name="Night Retinol", ingredients="Aqua, Retinol")
    from_api = api.get("/api/v1/export").get_json()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    page = client.get("/settings/export.json")
    assert page.status_code == 200
    from_page = json.loads(page.data)
    for document in (from_api, from_page):
        document.pop("exported_at")
        for token in document["api_tokens"]:
            token.pop("last_used_at")  # the API request itself uses the token
    assert from_api == from_page and from_api["products"][0]["name"] == "Night Retinol"
