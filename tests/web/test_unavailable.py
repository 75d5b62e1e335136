"""The database goes away: pages answer 503 with Retry-After and a page that needs no database,
/healthz stays up, /readyz says not ready, and everything works again when it is back."""

from __future__ import annotations

import pytest

from planner import create_app
from planner.extensions import db
from tests.support.app import PASSWORD, Factory, base_config
from tests.support.services import free_port
from tests.web.test_records import product_form

pytestmark = pytest.mark.postgres


def assert_unavailable(response, *, saved_note: bool) -> None:
    assert response.status_code == 503, response.text[:300]
    assert response.headers["Retry-After"] == "30"
    assert "cannot reach its database" in response.text
    assert ("What you just sent was not saved" in response.text) is saved_note
    assert "Nothing you entered was lost" not in response.text
    assert response.headers["Content-Security-Policy"]  # the security headers need no database either


def test_pages_answer_503_while_postgres_is_stopped_and_recover(outage_app, stoppable_postgres):
    user = Factory().user(email="ada@example.com")
    client = outage_app.test_client()
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    assert client.get("/plan/").status_code == 200
    stoppable_postgres.stop_server()
    try:
        for path in ("/plan/", "/products/", "/settings/profile"):
            assert_unavailable(client.get(path), saved_note=False)
        assert_unavailable(client.post("/products/new", data=product_form()), saved_note=True)
        assert_unavailable(client.post("/login", data={"email": "bo@example.com", "password": PASSWORD}), saved_note=True)
        assert client.get("/healthz").status_code == 200  # alive: no restart loop during an outage
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.headers["Retry-After"] == "30"
        assert ready.text == "database unavailable\n"
    finally:
        stoppable_postgres.start_server()
    assert client.get("/readyz").text == "ready\n"
    assert client.get("/plan/").status_code == 200  # the pool let go of its dead connections
    assert client.post("/products/new", data=product_form()).status_code == 302


@pytest.mark.parametrize("url", ["postgresql+psycopg://postgres@127.0.0.1:{port}/afterglow",
                                 "sqlite:////nonexistent-folder/afterglow.sqlite3"])
def test_an_unreachable_database_url_answers_503_not_500(tmp_path, url):
    app = create_app(base_config(tmp_path, url.format(port=free_port())))
    client = app.test_client()
    assert client.get("/login").status_code == 200  # an anonymous page needs no database
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 503
    assert_unavailable(client.post("/login", data={"email": "ada@example.com", "password": PASSWORD}), saved_note=True)
    assert_unavailable(client.post("/signup", data={"email": "ada@example.com", "password": PASSWORD,
                                                    "confirm": PASSWORD}), saved_note=True)
    json = client.get("/plan/", headers={"Accept": "application/json", "Cookie": "session=x"})
    assert json.status_code in (302, 503)
    with app.app_context():
        db.engine.dispose()


def test_a_bug_on_a_get_says_sorry_without_claims_about_saving(app):
    @app.get("/_bug")
    def bug():
        raise RuntimeError("a bug")

    response = app.test_client().get("/_bug")
    assert response.status_code == 500 and "Something went wrong on our side" in response.text
    assert "saved" not in response.text and "lost" not in response.text
