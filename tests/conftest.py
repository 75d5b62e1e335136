"""Shared fixtures: the app on SQLite and PostgreSQL, a client, a logged-in user,
data factories, and real servers (PostgreSQL, a live app, chromium, SMTP)."""

from __future__ import annotations

import datetime as dt
import re
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.globals import _cv_app
from flask.testing import FlaskClient

from planner import create_app
from planner.extensions import db
from planner.feed import http as feed_http
from planner.storage.models import Procedure, Product, User
from tests.support.services import chromium_path, free_port, start_postgres, start_redis, unavailable, wait_for_port
from tests.support.smtp import SmtpSink

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PASSWORD = "correct horse battery"


def base_config(tmp_path: Path, database_url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "EMBEDDED_SCHEDULER": False,
        "PUBLIC_BASE_URL": "http://afterglow.test",
        **extra,
    }


# --------------------------------------------------------------------------- databases


@pytest.fixture(scope="session")
def postgres():
    cluster = start_postgres()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres) -> str:
    """One database for the session; tables are emptied before each test."""
    url = postgres.create_database("afterglow_test")
    engine = sa.create_engine(url)
    db.metadata.create_all(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def redis_server():
    server = start_redis()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server) -> str:
    """The shared store, emptied before each test."""
    redis_server.flush()
    return redis_server.url()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_backend(request) -> str:
    return request.param


def _empty_tables() -> None:
    names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    db.session.commit()


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, as in production.

    The app fixture keeps an app context pushed for test code; Flask would
    otherwise reuse it for every request, sharing `g` (and Flask-Login's cached
    user) between requests and between two clients.
    """

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


@pytest.fixture
def app(db_backend, tmp_path, request):
    if db_backend == "postgres":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path / 'test.sqlite3'}"
    app = create_app(base_config(tmp_path, url, **getattr(request, "param", {})))
    app.test_client_class = IsolatedClient
    with app.app_context():
        if db_backend == "postgres":
            _empty_tables()
        else:
            db.create_all()
        yield app
        feed_http.close(app)  # its timer and lookup pool must not outlive the test
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --------------------------------------------------------------------------- data


class Factory:
    """Creates rows with sensible defaults; keyword arguments override any column."""

    def __init__(self):
        self.counter = 0

    def user(self, email: str | None = None, password: str = PASSWORD, **columns) -> User:
        self.counter += 1
        defaults = {"timezone": "Europe/Berlin", "email_verified_at": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)}
        user = User(email=email or f"user{self.counter}@example.com", **{**defaults, **columns})
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    def procedure(self, user: User, kind: str = "microneedling", performed_on: dt.date = dt.date(2026, 3, 12), **columns) -> Procedure:
        row = Procedure(user_id=user.id, kind=kind, performed_on=performed_on, **columns)
        db.session.add(row)
        db.session.commit()
        return row

    def product(self, user: User, name: str = "Night cream", ingredients: str = "Aqua, Glycerin, Squalane", **columns) -> Product:
        row = Product(user_id=user.id, name=name, ingredients=ingredients, **columns)
        db.session.add(row)
        db.session.commit()
        return row


@pytest.fixture
def factory(app) -> Factory:
    return Factory()


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str = PASSWORD):
        return self.client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def user(factory) -> User:
    return factory.user(email="ada@example.com")


@pytest.fixture
def logged_in(user, auth) -> User:
    response = auth.login(user.email)
    assert response.status_code == 302, response.text
    return user


# --------------------------------------------------------------------------- servers


@pytest.fixture
def smtp_server():
    with SmtpSink(free_port()) as sink:
        yield sink


class LiveServer:
    """The real app behind werkzeug's threaded server, on SQLite migrated by Alembic."""

    def __init__(self, app, port: int):
        from werkzeug.serving import make_server

        self.app = app
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.server = make_server("127.0.0.1", port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "LiveServer":
        self.thread.start()
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        self.server.shutdown()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    from flask_migrate import upgrade

    root = tmp_path_factory.mktemp("live")
    port = free_port()
    app = create_app(
        base_config(root, f"sqlite:///{root / 'live.sqlite3'}", WTF_CSRF_ENABLED=True, PUBLIC_BASE_URL=f"http://127.0.0.1:{port}")
    )
    with app.app_context():
        upgrade()
    server = LiveServer(app, port).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        unavailable("Debian's chromium is not installed: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser context per test; a screenshot of the last page is saved for review."""
    context = browser.new_context(base_url=live_server.url, timezone_id="Europe/Berlin", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid.split("::", 1)[-1])
    try:
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    finally:
        context.close()


def screenshot(page, name: str) -> None:
    """Save a named screenshot in the middle of a browser test."""
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
