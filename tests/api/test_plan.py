"""/api/v1/plan and the marks on its steps: the same plan service and marks as the pages."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.planning import plan_for
from planner.storage.adherence import adherence_marks
from tests.support.api import assert_problem

NOW = dt.datetime(2026, 3, 1, 12, tzinfo=dt.timezone.utc)


@pytest.fixture
def routine(app, user, factory):
    """Microneedling on 12 March, an exosome serum and a nightly retinol."""
    app.config["CLOCK"] = lambda: NOW
    factory.procedure(user, performed_on=dt.date(2026, 3, 12))
    serum = factory.product(user, name="Glow Exosomes", ingredients="Water, Human Adipocyte Conditioned Media Extract",
                            exosome_source="human")
    retinol = factory.product(user, name="Night Retinol", ingredients="Aqua, Squalane, Retinol")
    return serum, retinol


def test_plan_matches_the_plan_service_day_by_day(api, user, routine):
    body = api.get("/api/v1/plan?start=2026-03-01&days=30").get_json()
    assert body["start"] == "2026-03-01" and body["days_count"] == 30 and len(body["days"]) == 30
    assert body["today"] == "2026-03-01" and body["timezone"] == "Europe/Berlin"
    assert "not medical advice" in body["disclaimer"]
    expected = plan_for(user, dt.date(2026, 3, 1), dt.date(2026, 3, 31), NOW)
    for got, want in zip(body["days"], expected.days, strict=True):
        assert got["date"] == want.date.isoformat()
        assert [s["product_name"] for s in got["steps"]] == [s.product_name for s in want.steps]
        assert [p["reason"] for p in got["pauses"]] == [p.reason for p in want.pauses]
        assert [m["label"] for m in got["markers"]] == [m.label for m in want.markers]
    procedure_day = next(d for d in body["days"] if d["date"] == "2026-03-12")
    assert any(m["kind"] == "procedure" for m in procedure_day["markers"])
    washout_day = next(d for d in body["days"] if d["date"] == "2026-03-10")
    assert any("retinoid" in p["product_class"] for p in washout_day["pauses"])
    assert body["procedures"][0]["kind"] == "microneedling" and body["procedures"][0]["date"] == "2026-03-12"


def test_plan_defaults_to_a_week_from_the_users_today(api, routine):
    body = api.get("/api/v1/plan").get_json()
    assert body["start"] == "2026-03-01" and [d["date"] for d in body["days"]][-1] == "2026-03-07"


@pytest.mark.parametrize(("query", "parameter"), [
    ("days=367", "days"), ("days=0", "days"), ("days=x", "days"), ("start=2026-13-01", "start"), ("start=2101-01-01", "start"),
])
def test_plan_range_is_checked_and_capped(api, query, parameter):
    problem = assert_problem(api.get(f"/api/v1/plan?{query}"), 422)
    assert [e["parameter"] for e in problem["errors"]] == [parameter]


def test_a_whole_leap_year_plans(api, routine):
    body = api.get("/api/v1/plan?start=2028-01-01&days=366").get_json()
    assert len(body["days"]) == 366 and body["days"][-1]["date"] == "2028-12-31"


def test_mark_done_skipped_and_undone(api, user, routine):
    serum, retinol = routine
    url = "/api/v1/plan/days/2026-03-02/marks/serum"
    done = api.put(url, json={"status": "done"})
    assert done.status_code == 200 and done.get_json() == {"date": "2026-03-02", "step": "serum", "status": "done"}
    assert adherence_marks(user, dt.date(2026, 3, 2), dt.date(2026, 3, 3)) == {(dt.date(2026, 3, 2), "serum"): "done"}
    day = api.get("/api/v1/plan?start=2026-03-02&days=1").get_json()["days"][0]
    assert next(s for s in day["steps"] if s["key"] == "serum")["mark"] == "done"
    retinol_step = next(s for s in day["steps"] if s["product_id"] == retinol.id)
    assert retinol_step["mark"] is None
    assert api.put(f"/api/v1/plan/days/2026-03-02/marks/{retinol_step['key']}", json={"status": "skipped"}).status_code == 200
    assert api.delete(url).status_code == 204
    assert adherence_marks(user, dt.date(2026, 3, 2), dt.date(2026, 3, 3)) == {(dt.date(2026, 3, 2), f"product:{retinol.id}"): "skipped"}


def test_marking_a_step_not_in_that_days_plan_answers_404(api, routine):
    serum, retinol = routine
    # The retinol is paused in the washout before the procedure.
    problem = assert_problem(api.put(f"/api/v1/plan/days/2026-03-11/marks/product:{retinol.id}", json={"status": "done"}), 404)
    assert "not in your plan" in problem["detail"]
    assert_problem(api.put("/api/v1/plan/days/2026-03-11/marks/product:999", json={"status": "done"}), 404)
    assert_problem(api.put("/api/v1/plan/days/2026-02-30/marks/serum", json={"status": "done"}), 404)
    assert_problem(api.put("/api/v1/plan/days/2026-03-11/marks/retinol", json={"status": "done"}), 404)


def test_mark_status_must_be_done_or_skipped(api, routine):
    problem = assert_problem(api.put("/api/v1/plan/days/2026-03-02/marks/serum", json={"status": "maybe"}), 422)
    assert problem["errors"][0]["pointer"] == "#/status"


def test_a_years_answer_is_exactly_the_documented_plan_schema(api, routine):
    from planner.api.schemas.plan import Plan

    response = api.get("/api/v1/plan?start=2026-01-01&days=365")
    assert response.mimetype == "application/json"
    plan = Plan.model_validate_json(response.data)  # the view skips this on every request; the test does not
    assert len(plan.days) == 365 and sum(len(d.steps) for d in plan.days) > 365
    assert plan.model_dump(mode="json") == response.get_json()
