"""The feed's 304s answered in front of Flask: the same answer as the view, counted once, and
everything that is not a 304 handed on to the view."""

from __future__ import annotations

import datetime as dt
import secrets
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from werkzeug.test import Client

from planner.feed import tokens
from planner.feed.conditional import ConditionalFeed
from planner.feed.lookup import lookup_engine
from tests.support.feed import make_plan_user


@pytest.fixture
def feed(factory):
    user = make_plan_user(factory, dt.datetime.now(ZoneInfo("Europe/Berlin")).date())
    return user, f"/feed/{tokens.issue(user)}.ics"


def flask_only(app) -> Client:
    """A client of Flask's own handling, without the fast path in front (what it falls back to)."""
    layer = app.wsgi_app
    while not isinstance(layer, ConditionalFeed):
        layer = layer.app
    return Client(layer.wrapped, app.response_class)


def test_the_fast_path_answers_exactly_as_the_view(app, client, feed):
    _, path = feed
    etag = client.get(path).headers["ETag"]
    for method in ("GET", "HEAD"):
        for sent in (etag, f'"other", W/{etag}', "*"):
            fast = client.open(path, method=method, headers={"If-None-Match": sent})
            view = flask_only(app).open(path, method=method, headers={"If-None-Match": sent})
            assert fast.status_code == view.status_code == 304
            assert sorted(fast.headers.items()) == sorted(view.headers.items())
            assert fast.headers["ETag"] == etag and fast.data == b""


def test_the_fast_path_needs_no_request_context(app, client, feed, count_checkouts):
    """A 304 from the fast path runs no view: no app database connection, one lookup connection."""
    _, path = feed
    etag = client.get(path).headers["ETag"]
    called = []
    app.before_request_funcs.setdefault(None, []).insert(0, lambda: called.append(1))
    app.extensions["afterglow_feed"].lookups.clear()
    count_checkouts.clear()
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert called == [] and len(count_checkouts) == 1
    assert client.get(path).status_code == 200 and called == [1]  # no validator: Flask's view


def test_a_changed_feed_is_handed_to_the_view_with_one_lookup(app, client, feed):
    _, path = feed
    client.get(path)
    app.extensions["afterglow_feed"].lookups.clear()
    lookups = []
    listener = lambda *args: lookups.append(1)  # noqa: E731
    sa.event.listen(lookup_engine(), "checkout", listener)
    try:
        response = client.get(path, headers={"If-None-Match": '"an-old-etag"'})
    finally:
        sa.event.remove(lookup_engine(), "checkout", listener)
    assert response.status_code == 200 and response.data.startswith(b"BEGIN:VCALENDAR")
    assert lookups == [1]  # the fast path's lookup reached the view, which did not look again


def test_unknown_tokens_get_the_app_404_through_the_fast_path(client, feed):
    user, path = feed
    page_404 = client.get("/no-such-page").data
    tokens.revoke(user)
    response = client.get(path, headers={"If-None-Match": '"x"'})
    assert response.status_code == 404 and response.data == page_404


@pytest.mark.parametrize("app", [{"FEED_RATE_LIMIT_PER_MINUTE": 3}], indirect=True)
def test_conditional_requests_are_counted_once(client, feed):
    """Three 304s then a 429 with a limit of 3: the fast path counts, the view does not count again."""
    _, path = feed
    etag = client.get(path, environ_base={"REMOTE_ADDR": "10.0.0.1"}).headers["ETag"]
    codes = [client.get(path, headers={"If-None-Match": etag}, environ_base={"REMOTE_ADDR": f"10.0.1.{n}"}).status_code
             for n in range(3)]
    assert codes == [304, 304, 429]  # 1 render + 2 304s use the token's 3
    other = client.get(path.replace(".ics", "x.ics"), headers={"If-None-Match": etag},
                       environ_base={"REMOTE_ADDR": "10.0.2.1"})
    assert other.status_code == 404  # a path that is no feed token: Flask's 404, not limited by this token
    stale = client.get(path, headers={"If-None-Match": '"stale"'}, environ_base={"REMOTE_ADDR": "10.0.3.1"})
    assert stale.status_code == 429 and 1 <= int(stale.headers["Retry-After"]) <= 60


@pytest.mark.parametrize("app", [{"PROXY_COUNT": 1, "FEED_RATE_LIMIT_PER_MINUTE": 2}], indirect=True)
def test_behind_a_proxy_the_fast_path_limits_the_client_address(client):
    """ProxyFix wraps the fast path: the per-address limit counts each client, not the proxy."""
    def ask(client_address: str) -> int:
        return client.get(f"/feed/{secrets.token_urlsafe(32)}.ics", headers={
            "If-None-Match": '"x"', "X-Forwarded-For": client_address}).status_code

    assert [ask(f"198.51.100.{n}") for n in range(3)] == [404, 404, 404]  # three clients behind one proxy
    assert [ask("198.51.100.9") for _ in range(3)] == [404, 404, 429]  # one client: its own limit of 2


def test_without_its_database_the_fast_path_hands_over_and_the_app_answers_503(tmp_path):
    """A lookup that fails in front of Flask is retried by the view, which answers as every page does."""
    from planner import create_app
    from planner.extensions import db
    from planner.feed import http
    from tests.support.app import base_config
    from tests.support.services import free_port

    app = create_app(base_config(tmp_path, f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/afterglow"))
    response = app.test_client().get(f"/feed/{secrets.token_urlsafe(32)}.ics", headers={"If-None-Match": '"x"'})
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "cannot reach its database" in response.text
    with app.app_context():
        http.close(app)
        db.engine.dispose()
