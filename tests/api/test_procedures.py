"""/api/v1/procedures: the same records and rules as the procedures page."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.storage.models import Procedure
from planner.extensions import db
from tests.support.api import assert_problem

MICRONEEDLING = {"kind": "microneedling", "performed_on": "2026-03-12"}


def test_create_read_list_replace_delete(api):
    created = api.post("/api/v1/procedures", json={**MICRONEEDLING, "intensity": "light", "clinic": " Skin Lab ",
                                                    "retinoid_days_override": 10})
    assert created.status_code == 201, created.text
    body = created.get_json()
    assert created.headers["Location"] == f"/api/v1/procedures/{body['id']}"
    assert body["label"] == "Microneedling" and body["clinic"] == "Skin Lab" and body["intensity"] == "light"
    assert body["windows"]["retinoid_days_after"] == 10 and body["windows"]["overridden"] == ["retinoid_days_after"]
    assert body["washout_start"] < "2026-03-12" < body["recovery_end"]
    row = db.session.get(Procedure, body["id"])
    assert row.performed_on == dt.date(2026, 3, 12) and row.retinoid_days_override == 10

    read = api.get(f"/api/v1/procedures/{body['id']}")
    assert read.get_json() == body and read.headers["ETag"] == created.headers["ETag"]
    assert api.get("/api/v1/procedures").get_json()["items"] == [body]

    replaced = api.put(f"/api/v1/procedures/{body['id']}", json={**MICRONEEDLING, "performed_on": "2026-04-02"},
                       headers={"If-Match": read.headers["ETag"]})
    assert replaced.status_code == 200, replaced.text
    assert replaced.get_json()["performed_on"] == "2026-04-02"
    assert replaced.get_json()["retinoid_days_override"] is None  # PUT replaces: left out = default
    assert replaced.headers["ETag"] != read.headers["ETag"]

    assert api.delete(f"/api/v1/procedures/{body['id']}").status_code == 204
    assert_problem(api.get(f"/api/v1/procedures/{body['id']}"), 404)


def test_stale_if_match_answers_412_and_changes_nothing(api, user, factory):
    row = factory.procedure(user)
    etag = api.get(f"/api/v1/procedures/{row.id}").headers["ETag"]
    api.put(f"/api/v1/procedures/{row.id}", json={**MICRONEEDLING, "clinic": "First"}, headers={"If-Match": etag})
    stale = api.put(f"/api/v1/procedures/{row.id}", json={**MICRONEEDLING, "clinic": "Second"}, headers={"If-Match": etag})
    assert_problem(stale, 412)
    assert_problem(api.delete(f"/api/v1/procedures/{row.id}", headers={"If-Match": etag}), 412)
    db.session.expire_all()
    assert db.session.get(Procedure, row.id).clinic == "First"
    assert api.delete(f"/api/v1/procedures/{row.id}", headers={"If-Match": "*"}).status_code == 204


@pytest.mark.parametrize(("body", "pointer"), [
    ({"kind": "tattoo", "performed_on": "2026-03-12"}, "#/kind"),
    ({"kind": "microneedling", "performed_on": "2026-02-30"}, "#/performed_on"),
    ({"kind": "microneedling", "performed_on": "1989-12-31"}, "#/performed_on"),
    ({"kind": "microneedling", "performed_on": 20260312}, "#/performed_on"),
    ({"kind": "microneedling"}, "#/performed_on"),
    ({**MICRONEEDLING, "washout_days_override": 366}, "#/washout_days_override"),
    ({**MICRONEEDLING, "washout_days_override": "7"}, "#/washout_days_override"),
    ({**MICRONEEDLING, "intensity": "extreme"}, "#/intensity"),
    ({**MICRONEEDLING, "clinic": "x" * 121}, "#/clinic"),
    ({**MICRONEEDLING, "notes": "a\x00b"}, "#/notes"),
    ({**MICRONEEDLING, "colour": "blue"}, "#/colour"),
])
def test_invalid_fields_are_listed_one_by_one(api, body, pointer):
    response = api.post("/api/v1/procedures", json=body)
    problem = assert_problem(response, 422)
    assert [e["pointer"] for e in problem["errors"]] == [pointer]
    assert api.get("/api/v1/procedures").get_json()["total"] == 0


def test_whole_number_floats_are_whole_numbers(api):
    response = api.post("/api/v1/procedures", json={**MICRONEEDLING, "actives_days_override": 5.0})
    assert response.status_code == 201
    assert response.get_json()["actives_days_override"] == 5


def test_list_is_paginated(api, user, factory):
    for day in range(1, 6):
        factory.procedure(user, performed_on=dt.date(2026, 3, day))
    first = api.get("/api/v1/procedures?limit=2").get_json()
    assert (first["total"], first["limit"], first["offset"], first["next_offset"]) == (5, 2, 0, 2)
    assert [p["performed_on"] for p in first["items"]] == ["2026-03-01", "2026-03-02"]
    last = api.get("/api/v1/procedures?limit=2&offset=4").get_json()
    assert [p["performed_on"] for p in last["items"]] == ["2026-03-05"] and last["next_offset"] is None
    problem = assert_problem(api.get("/api/v1/procedures?limit=0"), 422)
    assert problem["errors"][0]["parameter"] == "limit"


@pytest.mark.parametrize("url", ["/api/v1/procedures/0", "/api/v1/procedures/99999999999", "/api/v1/procedures/abc"])
def test_impossible_ids_answer_404(api, url):
    assert_problem(api.get(url), 404)
    assert_problem(api.delete(url), 404)
