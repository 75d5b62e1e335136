"""/api/v1: a product's type, slots and areas, a procedure's area, and the plan that follows."""

from __future__ import annotations

import datetime as dt

from planner.storage.adherence import adherence_marks
from tests.support.api import assert_problem

MOISTURIZER = {"name": "Barrier", "ingredients": "Aqua, Glycerin, Ceramide NP, Phenoxyethanol",
               "product_type": "moisturizer", "slot": "both"}
SUNSCREEN = {"name": "Day fluid", "ingredients": "Aqua, Octocrylene, Bis-Ethylhexyloxyphenol Methoxyphenyl Triazine"}
RETINOL = {"name": "Night Retinol", "ingredients": "Aqua, Squalane, Retinol, Tocopherol"}


def test_products_take_and_give_type_slots_and_areas(api):
    body = api.post("/api/v1/products", json={**MOISTURIZER, "areas": ["neck", "face"]}).get_json()
    assert (body["product_type"], body["type"], body["slot"], body["areas"]) == ("moisturizer", "moisturizer", "both",
                                                                                 ["face", "neck"])
    fluid = api.post("/api/v1/products", json=SUNSCREEN).get_json()
    assert (fluid["product_type"], fluid["type"], fluid["areas"]) == (None, "sunscreen", ["face"])
    assert fluid["classification"]["classes"] == ["sunscreen"]
    replaced = api.put(f"/api/v1/products/{body['id']}", json={**MOISTURIZER, "slot": None, "product_type": None},
                       headers={"If-Match": api.get(f"/api/v1/products/{body['id']}").headers["ETag"]}).get_json()
    assert (replaced["product_type"], replaced["type"], replaced["slot"], replaced["areas"]) == (None, None, None,
                                                                                                 ["face"])


def test_bad_types_slots_and_areas_are_422(api):
    for bad in ({"product_type": "potion"}, {"slot": "noon"}, {"areas": []}, {"areas": ["face", "face"]},
                {"areas": ["elbow"]}):
        assert_problem(api.post("/api/v1/products", json={**RETINOL, **bad}), 422)
    assert_problem(api.post("/api/v1/procedures", json={"kind": "laser_hair_removal", "performed_on": "2026-03-12",
                                                        "area": "elbow"}), 422)


def test_the_plan_has_a_morning_with_the_sunscreen_last_and_a_step_per_slot(api, user):
    barrier = api.post("/api/v1/products", json=MOISTURIZER).get_json()
    api.post("/api/v1/products", json=SUNSCREEN)
    day = api.get("/api/v1/plan?start=2026-03-02&days=1").get_json()["days"][0]
    morning = [s for s in day["steps"] if s["slot"] == "morning"]
    assert [(s["product_name"], s["order"]) for s in morning] == [("Barrier", 1), ("Day fluid", 2)]
    keys = [s["key"] for s in day["steps"] if s["product_id"] == barrier["id"]]
    assert keys == [f"product:{barrier['id']}:morning", f"product:{barrier['id']}:evening"]
    assert api.put(f"/api/v1/plan/days/2026-03-02/marks/{keys[0]}", json={"status": "done"}).status_code == 200
    assert adherence_marks(user, dt.date(2026, 3, 2), dt.date(2026, 3, 3)) == {(dt.date(2026, 3, 2), keys[0]): "done"}
    again = api.get("/api/v1/plan?start=2026-03-02&days=1").get_json()["days"][0]
    assert [s["mark"] for s in again["steps"] if s["product_id"] == barrier["id"]] == ["done", None]


def test_a_leg_procedure_leaves_the_facial_retinol_in_the_plan(api):
    retinol = api.post("/api/v1/products", json=RETINOL).get_json()
    created = api.post("/api/v1/procedures", json={"kind": "laser_hair_removal", "performed_on": "2026-03-12",
                                                   "area": "body"})
    assert created.status_code == 201 and created.get_json()["area"] == "body"
    day = api.get("/api/v1/plan?start=2026-03-13&days=1").get_json()["days"][0]
    assert any(s["product_id"] == retinol["id"] for s in day["steps"])
    assert day["pauses"] == []
    assert day["markers"][0]["label"].startswith("Recovery after laser hair removal on your body")
    face = api.post("/api/v1/procedures", json={"kind": "laser_hair_removal", "performed_on": "2026-03-12"}).get_json()
    assert face["area"] == "face"
