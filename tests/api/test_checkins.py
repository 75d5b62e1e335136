"""/api/v1/procedures/<id>/checkins: the same check-in rule as the day page."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.api import assert_problem

NOW = dt.datetime(2026, 12, 9, 9, 0, tzinfo=dt.timezone.utc)  # 10:00 in Berlin
#: Recovery 2 … 8 December (the clinician's 7 days).
NEEDLING = {"kind": "microneedling", "performed_on": "2026-12-01", "retinoid_days_override": 7,
            "actives_days_override": 7}


@pytest.fixture
def procedure_id(app, api) -> int:
    app.config["CLOCK"] = lambda: NOW
    created = api.post("/api/v1/procedures", json=NEEDLING)
    assert created.status_code == 201, created.text
    return created.get_json()["id"]


def test_still_twice_extends_the_recovery_by_two_days(api, procedure_id):
    url = f"/api/v1/procedures/{procedure_id}/checkins"
    listed = api.get(url).get_json()
    assert listed["items"] == [] and listed["recovery_end"] == "2026-12-08" and listed["extended_days"] == 0
    assert listed["asked_days"] == [{"day": "2026-12-07", "answer": None}, {"day": "2026-12-08", "answer": None}]

    first = api.post(url, json={"day": "2026-12-08", "answer": "still"})
    assert first.status_code == 201, first.text
    assert first.get_json()["recovery_end"] == "2026-12-09" and first.get_json()["day"] == "2026-12-08"
    second = api.post(url, json={"day": "2026-12-09", "answer": "still"})
    assert second.status_code == 201, second.text
    assert second.get_json()["recovery_end"] == "2026-12-10" and second.get_json()["extended_days"] == 2

    listed = api.get(url).get_json()
    assert [(c["day"], c["answer"]) for c in listed["items"]] == [("2026-12-08", "still"), ("2026-12-09", "still")]
    assert listed["total"] == 2 and listed["extended_days"] == 2
    assert api.get(f"/api/v1/procedures/{procedure_id}").get_json()["recovery_end"] == "2026-12-10"
    plan = api.get("/api/v1/plan?start=2026-12-10&days=1").get_json()
    assert "Recovery after microneedling (day 9 of 9" in str(plan)
    assert "recovery extended: on 9 December you said your skin was still red" in str(plan)

    # A new answer for a day replaces the old one.
    assert api.post(url, json={"day": "2026-12-09", "answer": "settled"}).get_json()["recovery_end"] == "2026-12-09"
    assert api.get(url).get_json()["total"] == 2
    exported = api.get("/api/v1/export").get_json()["skin_checkins"]  # the profile's download, too
    assert [(c["procedure_kind"], c["local_day"], c["answer"]) for c in exported] == [
        ("microneedling", "2026-12-08", "still"), ("microneedling", "2026-12-09", "settled")]


@pytest.mark.parametrize(("body", "status"), [
    ({"day": "2026-12-05", "answer": "still"}, 409),  # not one of the last days
    ({"day": "2026-12-10", "answer": "still"}, 409),  # a day ahead
    ({"day": "2026-12-08", "answer": "maybe"}, 422),
    ({"day": "2026-02-30", "answer": "still"}, 422),
    ({"day": "2026-12-08"}, 422),
])
def test_refused_answers_say_why(api, procedure_id, body, status):
    problem = assert_problem(api.post(f"/api/v1/procedures/{procedure_id}/checkins", json=body), status)
    if status == 409:
        assert "ask" in problem["detail"] or "not for" in problem["detail"]


def test_read_tokens_cannot_answer_and_others_procedures_are_404(api, reader, procedure_id, factory):
    url = f"/api/v1/procedures/{procedure_id}/checkins"
    assert_problem(reader.post(url, json={"day": "2026-12-08", "answer": "still"}), 403)
    assert reader.get(url).status_code == 200
    stranger = factory.user(email="eve@example.com")
    theirs = factory.procedure(stranger, performed_on=dt.date(2026, 12, 1))
    assert_problem(api.get(f"/api/v1/procedures/{theirs.id}/checkins"), 404)
    assert_problem(api.post(f"/api/v1/procedures/{theirs.id}/checkins", json={"day": "2026-12-08", "answer": "still"}),
                   404)


def test_the_document_lists_both_operations(api):
    doc = api.get("/api/v1/openapi.json").get_json()
    item = doc["paths"]["/api/v1/procedures/{procedure_id}/checkins"]
    assert item["get"]["operationId"] == "listCheckIns" and item["post"]["operationId"] == "createCheckIn"
    assert "application/problem+json" in item["post"]["responses"]["409"]["content"]
