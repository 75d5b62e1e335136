"""/api/v1/products: classification with its triggers, the user's correction, cadences."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.extensions import db
from planner.storage.models import Product
from tests.support.api import assert_problem

RETINOL = {"name": "Night Retinol", "ingredients": "Aqua, Squalane, Retinol, Tocopherol"}


def test_create_shows_classification_and_triggers(app, api):
    app.config["CLOCK"] = lambda: dt.datetime(2026, 3, 1, 12, tzinfo=dt.timezone.utc)
    response = api.post("/api/v1/products", json={**RETINOL, "cadence": {"kind": "weekdays", "weekdays": [4, 0]}})
    assert response.status_code == 201, response.text
    body = response.get_json()
    assert body["classification"]["detected_classes"] == ["retinoid"]
    assert body["classification"]["classes"] == ["retinoid"]
    assert body["classification"]["retinoid_strength"] == "retinol"
    assert body["classification"]["triggers"] == [
        {"product_class": "retinoid", "ingredient": "Retinol", "position": 3, "note": body["classification"]["triggers"][0]["note"]}
    ]
    assert body["cadence"] == {"kind": "weekdays", "weekdays": [0, 4], "every_n_days": None, "anchor": "2026-03-01"}
    assert body["classes_override"] is None
    row = db.session.get(Product, body["id"])
    assert row.cadence_weekdays == "0,4"


def test_the_users_correction_wins_and_equal_to_detection_is_no_correction(api):
    corrected = api.post("/api/v1/products", json={**RETINOL, "classes_override": ["gentle"]}).get_json()
    assert corrected["classes_override"] == ["gentle"]
    assert corrected["classification"]["classes"] == ["gentle"]
    assert corrected["classification"]["detected_classes"] == ["retinoid"]
    same = api.post("/api/v1/products", json={**RETINOL, "classes_override": ["retinoid"]}).get_json()
    assert same["classes_override"] is None


def test_replace_and_delete_with_etag(api):
    created = api.post("/api/v1/products", json=RETINOL)
    product_id = created.get_json()["id"]
    replaced = api.put(f"/api/v1/products/{product_id}", headers={"If-Match": created.headers["ETag"]},
                       json={**RETINOL, "name": "Retinol 0.3%", "is_active": False,
                             "cadence": {"kind": "every_n_days", "every_n_days": 3}})
    assert replaced.status_code == 200, replaced.text
    assert replaced.get_json()["name"] == "Retinol 0.3%" and replaced.get_json()["is_active"] is False
    assert replaced.get_json()["cadence"]["every_n_days"] == 3
    assert_problem(api.delete(f"/api/v1/products/{product_id}", headers={"If-Match": created.headers["ETag"]}), 412)
    assert api.delete(f"/api/v1/products/{product_id}", headers={"If-Match": replaced.headers["ETag"]}).status_code == 204
    assert api.get("/api/v1/products").get_json()["total"] == 0


@pytest.mark.parametrize(("body", "pointer"), [
    ({"name": "   "}, "#/name"),
    ({"name": "X", "cadence": {"kind": "weekdays", "weekdays": []}}, "#/cadence/weekdays"),
    ({"name": "X", "cadence": {"kind": "weekdays", "weekdays": [1, 1]}}, "#/cadence/weekdays"),
    ({"name": "X", "cadence": {"kind": "weekdays", "weekdays": [7]}}, "#/cadence/weekdays/0"),
    ({"name": "X", "cadence": {"kind": "every_n_days", "every_n_days": 1}}, "#/cadence/every_n_days"),
    ({"name": "X", "cadence": {"kind": "hourly"}}, "#/cadence"),
    ({"name": "X", "classes_override": ["magic"]}, "#/classes_override/0"),
    ({"name": "X", "is_active": "yes"}, "#/is_active"),
    ({"name": "X", "ingredients": "a" * 20_001}, "#/ingredients"),
])
def test_invalid_product_fields(api, body, pointer):
    problem = assert_problem(api.post("/api/v1/products", json=body), 422)
    assert pointer in [e["pointer"] for e in problem["errors"]], problem
