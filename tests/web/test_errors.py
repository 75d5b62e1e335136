"""Error answers: a reason in the page, or in JSON for a client that asks only for JSON."""

from __future__ import annotations


def test_a_missing_page_explains_itself_in_html(client, logged_in):
    response = client.get("/plan/day/not-a-day")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "There is nothing here" in response.text


def test_a_client_asking_for_json_gets_the_reason_as_json(client, logged_in):
    response = client.get("/plan/month?month=2026-13", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.get_json() == {"error": "'2026-13' is not a month. Use year-month, e.g. 2026-03.", "status": 400}
    response = client.get("/plan/day/not-a-day", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"].startswith("There is nothing here")
