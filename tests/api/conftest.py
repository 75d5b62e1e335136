"""API fixtures: a user with a write token and a read token, and a client that sends them."""

from __future__ import annotations

import pytest

from planner.api import tokens


class ApiClient:
    """The test client with a bearer token on every request."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.token = token

    def _headers(self, headers: dict | None) -> dict:
        found = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**found, **(headers or {})}

    def get(self, url, headers=None, **kw):
        return self.client.get(url, headers=self._headers(headers), **kw)

    def post(self, url, json=None, headers=None, **kw):
        return self.client.post(url, json=json, headers=self._headers(headers), **kw)

    def put(self, url, json=None, headers=None, **kw):
        return self.client.put(url, json=json, headers=self._headers(headers), **kw)

    def delete(self, url, headers=None, **kw):
        return self.client.delete(url, headers=self._headers(headers), **kw)


@pytest.fixture
def write_token(user) -> str:
    return tokens.create(user, "Test script", "write")[1]


@pytest.fixture
def read_token(user) -> str:
    return tokens.create(user, "Read-only dashboard", "read")[1]


@pytest.fixture
def api(client, write_token) -> ApiClient:
    return ApiClient(client, write_token)


@pytest.fixture
def reader(app, read_token) -> ApiClient:
    return ApiClient(app.test_client(), read_token)


def assert_problem(response, status: int) -> dict:
    """The answer is an RFC 9457 problem with this status, and a detail a person can act on."""
    assert response.status_code == status, response.text
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status and body["title"] and body["detail"]
    return body


@pytest.fixture(scope="module")
def api_server(tmp_path_factory):
    """The real app behind a real server thread (SQLite migrated by Alembic), with a write token.

    The rate limit is lifted: a fuzzer sends thousands of requests a minute on purpose.
    """
    from flask_migrate import upgrade

    from planner import create_app
    from planner.extensions import db
    from planner.storage.models import User
    from tests.conftest import LiveServer, base_config
    from tests.support.services import free_port

    root = tmp_path_factory.mktemp("api-live")
    port = free_port()
    app = create_app(base_config(
        root, f"sqlite:///{root / 'api.sqlite3'}", WTF_CSRF_ENABLED=True,
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}", API_RATE_LIMIT_PER_MINUTE=10_000_000,
    ))
    with app.app_context():
        upgrade()
        user = User(email="fuzz@example.com", timezone="Europe/Berlin")
        user.set_password("fuzzing password")
        db.session.add(user)
        db.session.commit()
        token = tokens.create(user, "schemathesis", "write")[1]
    server = LiveServer(app, port).start()
    server.token = token
    yield server
    server.stop()
