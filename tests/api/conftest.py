"""API fixtures: a user with a write token and a read token, and a client that sends them."""

from __future__ import annotations

import pytest

from planner.api import tokens
from tests.support.api import ApiClient


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


@pytest.fixture(scope="module")
def api_server(tmp_path_factory):
    """The real app behind a real server thread (SQLite migrated by Alembic), with a write token.

    The rate limit is lifted: a fuzzer sends thousands of requests a minute on purpose.
    """
    from flask_migrate import upgrade

    from planner import create_app
    from planner.extensions import db
    from planner.storage.models import User
    from tests.support.app import base_config
    from tests.support.services import LiveServer
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
