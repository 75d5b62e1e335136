"""Shared fixtures: the app on SQLite and PostgreSQL, a client, a logged-in user,
data factories, and real servers (PostgreSQL, a live app, chromium, SMTP)."""

from __future__ import annotations

import itertools
import re
import shutil

import pytest
import sqlalchemy as sa

from planner import create_app
from planner.accounts import emails as account_emails
from planner.extensions import db
from planner.feed import http as feed_http
from planner.storage.models import User
from tests.support.app import AuthActions, Factory, IsolatedClient, base_config, empty_tables
from tests.support.browser import SCREENSHOTS
from tests.support.queries import QueryCounter, counting_queries
from tests.support.services import LiveServer, chromium_path, free_port, start_postgres, start_redis, unavailable
from tests.support.smtp import SmtpSink


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


@pytest.fixture(scope="module")
def stoppable_postgres():
    """A cluster of the module's own, for tests that stop the database under a running app."""
    cluster = start_postgres()
    yield cluster
    cluster.stop()


@pytest.fixture
def outage_app(stoppable_postgres, tmp_path):
    """The app on its own PostgreSQL database, which the test may stop (and restart) mid-test."""
    url = stoppable_postgres.create_database(f"outage_{next(_outage_databases)}")
    app = create_app(base_config(tmp_path, url))
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
        yield app
        try:
            db.session.remove()
        except sa.exc.OperationalError:  # the test's own session held a connection the outage cut
            db.session.remove()
        db.engine.dispose()


_outage_databases = itertools.count()


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


@pytest.fixture(scope="session")
def sqlite_schema(tmp_path_factory):
    """An empty SQLite database with every table, made once: each test starts from a copy of the
    file (a millisecond) instead of creating the tables again (about 40 ms, a thousand times)."""
    path = tmp_path_factory.mktemp("schema") / "schema.sqlite3"
    engine = sa.create_engine(f"sqlite:///{path}")
    db.metadata.create_all(engine)
    engine.dispose()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_backend(request) -> str:
    return request.param


@pytest.fixture
def app(db_backend, tmp_path, request):
    if db_backend == "postgres":
        url = request.getfixturevalue("postgres_url")
    else:
        database = tmp_path / "test.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_schema"), database)
        url = f"sqlite:///{database}"
    app = create_app(base_config(tmp_path, url, **getattr(request, "param", {})))
    app.test_client_class = IsolatedClient
    with app.app_context():
        if db_backend == "postgres":
            empty_tables()
        yield app
        account_emails.flush(app)  # nothing still sending when the database goes away
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


@pytest.fixture
def factory(app) -> Factory:
    return Factory()


@pytest.fixture
def count_queries(app) -> QueryCounter:
    """Every SQL statement the app sends during the test (clear() it to start counting afresh)."""
    with counting_queries(db.engine) as counter:
        yield counter


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


@pytest.fixture
def mail_app(app, smtp_server):
    """The app sending to the test's aiosmtpd on 127.0.0.1."""
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, SMTP_SECURITY="none", SMTP_USERNAME="")
    return app


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    from flask_migrate import upgrade

    root = tmp_path_factory.mktemp("live")
    port = free_port()
    # Every browser test signs its people up from 127.0.0.1: the per-address sign-up limit (which
    # tests/web/test_auth.py tests) would stop the suite's later sign-ups, not a stranger.
    app = create_app(
        base_config(root, f"sqlite:///{root / 'live.sqlite3'}", WTF_CSRF_ENABLED=True, PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
                    SIGNUPS_PER_ADDRESS_PER_HOUR=10_000)
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
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid.split("::", 1)[-1])
    try:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    finally:
        context.close()

