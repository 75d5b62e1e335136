"""Every failure under /api/v1 is application/problem+json, whatever the input."""

from __future__ import annotations

import pytest

from tests.support.api import assert_problem


def test_unknown_path_and_wrong_method(api):
    assert_problem(api.get("/api/v1/nothing-here"), 404)
    assert_problem(api.get("/api/v1/procedures/"), 404)
    response = api.client.patch("/api/v1/procedures", headers={"Authorization": f"Bearer {api.token}"})
    assert_problem(response, 405)
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_unknown_path_is_a_problem_even_without_a_token(client):
    assert_problem(client.post("/api/v1/nothing-here"), 404)


def test_body_must_be_a_json_object(api):
    assert_problem(api.post("/api/v1/procedures", data="kind=microneedling",
                            headers={"Content-Type": "application/x-www-form-urlencoded"}), 415)
    assert_problem(api.client.post("/api/v1/procedures", data="{not json", content_type="application/json",
                                   headers={"Authorization": f"Bearer {api.token}"}), 400)
    for body in ("[]", '"text"', "3", "null"):
        problem = assert_problem(api.post("/api/v1/procedures", data=body, headers={"Content-Type": "application/json"}), 422)
        assert problem["errors"] == [{"detail": "must be an object", "pointer": "#"}]


def test_deeply_nested_json_is_refused_not_crashed_on(api):
    problem = assert_problem(api.post("/api/v1/products", data="[" * 100_000, headers={"Content-Type": "application/json"}), 400)
    assert "nests" in problem["detail"]


@pytest.mark.parametrize("text", ["\ud800", "\x00", "a" * 200_000])
def test_odd_text_never_breaks_the_api(api, text):
    response = api.post("/api/v1/procedures", json={"kind": "microneedling", "performed_on": "2026-03-12", "clinic": text})
    assert_problem(response, 422)
    assert api.get("/api/v1/procedures").get_json()["total"] == 0


def test_validation_errors_name_the_field_without_echoing_input(api):
    secret = "I am pregnant and take isotretinoin"
    problem = assert_problem(api.post("/api/v1/procedures", json={"kind": secret, "performed_on": "2026-03-12"}), 422)
    assert problem["errors"][0]["pointer"] == "#/kind"
    assert secret not in str(problem)


def test_database_down_answers_503_problem(tmp_path):
    """A database that cannot be reached is a 503 with Retry-After, never a crash page."""
    from planner import create_app
    from tests.support.app import base_config
    from tests.support.services import free_port

    url = f"postgresql://nobody@127.0.0.1:{free_port()}/nothing?connect_timeout=2"
    app = create_app(base_config(tmp_path, url))
    response = app.test_client().get("/api/v1/procedures", headers={"Authorization": "Bearer agw_" + "a" * 43})
    body = assert_problem(response, 503)
    assert response.headers["Retry-After"] == "60" and "database" in body["detail"]
