"""HTTP behaviour of /feed/<token>.ics: headers, conditional requests, HEAD, 404, rate limits."""

from __future__ import annotations

import datetime as dt
import secrets
from zoneinfo import ZoneInfo

import icalendar
import pytest
import sqlalchemy as sa
from werkzeug.http import http_date

from planner.extensions import db
from planner.feed import publish, tokens
from planner.ratelimit import RateLimiter, retry_after
from planner.storage.models import FeedEventState
from planner.storage.queries import list_products
from tests.support.feed import make_plan_user


@pytest.fixture
def feed(factory):
    """A user with a real plan around today, and their feed's path."""
    user = make_plan_user(factory, dt.datetime.now(ZoneInfo("Europe/Berlin")).date())
    return user, f"/feed/{tokens.issue(user)}.ics"


def random_path() -> str:
    return f"/feed/{secrets.token_urlsafe(32)}.ics"


def test_the_feed_is_calendar_text_with_validators(client, feed):
    _, path = feed
    response = client.get(path, headers={"User-Agent": "Google-Calendar-Importer"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["ETag"].startswith('"') and response.headers["ETag"].endswith('"')
    assert response.headers["Last-Modified"].endswith(" GMT")
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert "Content-Encoding" not in response.headers  # Outlook has failed on compressed feeds
    assert "Set-Cookie" not in response.headers
    assert int(response.headers["Content-Length"]) == len(response.data)
    assert icalendar.Calendar.from_ical(response.data).walk("VEVENT")


def forget_published_events(app, user) -> None:
    """Empty the SEQUENCE table and give this worker an empty cache of rendered feeds, as a freshly
    started worker has: a render would refill the table."""
    db.session.execute(sa.delete(FeedEventState).where(FeedEventState.user_id == user.id))
    db.session.commit()
    app.extensions["afterglow_feed"].cache = publish.FeedCache()


def published_rows(user) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(FeedEventState.user_id == user.id))


def test_if_none_match_answers_304_without_rendering(app, client, feed):
    user, path = feed
    etag = client.get(path).headers["ETag"]
    forget_published_events(app, user)
    response = client.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 304 and response.data == b""
    assert response.headers["ETag"] == etag  # RFC 9110 §15.4.5: ETag and Cache-Control, no body headers
    assert published_rows(user) == 0  # nothing was rendered
    assert client.get(path, headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert client.get(path, headers={"If-None-Match": "*"}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    assert published_rows(user) > 0  # that one had to render: the cache was empty


def test_if_modified_since_answers_304_without_rendering(app, client, feed):
    user, path = feed
    last_modified = client.get(path).headers["Last-Modified"]
    forget_published_events(app, user)
    response = client.get(path, headers={"If-Modified-Since": last_modified})
    assert response.status_code == 304 and published_rows(user) == 0
    earlier = http_date(dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1))
    assert client.get(path, headers={"If-Modified-Since": earlier}).status_code == 200
    # If-None-Match decides when both are sent (RFC 9110).
    both = {"If-Modified-Since": last_modified, "If-None-Match": '"stale"'}
    assert client.get(path, headers=both).status_code == 200


def test_repeated_requests_are_answered_from_memory(app, client, feed, count_checkouts):
    from planner.feed.lookup import LOOKUP_TTL_SECONDS

    _, path = feed
    clock = [50.0]  # the lookup cache's clock, moved by hand: no dependence on the machine's speed
    app.extensions["afterglow_feed"].lookups.clock = lambda: clock[0]
    etag = client.get(path).headers["ETag"]
    client.get(path, headers={"If-None-Match": etag})  # looks the token up again after the render
    count_checkouts.clear()
    for _ in range(5):
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
        assert client.get(path).status_code == 200
    assert count_checkouts == []
    clock[0] += LOOKUP_TTL_SECONDS  # a second later the database is asked again
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert len(count_checkouts) == 1


def test_an_edit_changes_the_etag_and_the_feed(client, feed):
    user, path = feed
    first = client.get(path)
    product = next(p for p in list_products(user) if p.name == "Exo serum")
    product.name = "Night exosome serum"
    db.session.commit()
    second = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200 and second.headers["ETag"] != first.headers["ETag"]
    assert b"Night exosome serum" in second.data


def test_head_has_the_headers_and_no_body(client, feed):
    _, path = feed
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == 200 and head.data == b""
    for name in ("Content-Type", "ETag", "Last-Modified", "Content-Length"):
        assert head.headers[name] == get.headers[name]
    assert client.head(path, headers={"If-None-Match": get.headers["ETag"]}).status_code == 304


def test_unknown_revoked_and_malformed_tokens_get_the_same_404(client, feed):
    user, path = feed
    tokens.revoke(user)
    bodies = {client.get(p).data for p in (path, random_path(), "/feed/abc.ics", "/feed/%00.ics", "/no-such-page")}
    statuses = {client.get(p).status_code for p in (path, random_path(), "/feed/abc.ics")}
    assert statuses == {404} and len(bodies) == 1


@pytest.mark.parametrize("app", [{"FEED_RATE_LIMIT_PER_MINUTE": 3}], indirect=True)
def test_requests_are_limited_per_token(client, feed):
    _, path = feed
    codes = [client.get(path, environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}).status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get(path, environ_base={"REMOTE_ADDR": "10.0.1.1"})
    assert limited.status_code == 429 and 1 <= int(limited.headers["Retry-After"]) <= 60


@pytest.mark.parametrize("app", [{"FEED_RATE_LIMIT_PER_MINUTE": 3}], indirect=True)
def test_requests_are_limited_per_address_before_any_lookup(client, count_checkouts):
    codes = [client.get(random_path()).status_code for _ in range(3)]
    count_checkouts.clear()
    limited = client.get(random_path())
    assert codes == [404, 404, 404] and limited.status_code == 429
    assert count_checkouts == [] and "Retry-After" in limited.headers
    other = client.get(random_path(), environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 404


def test_the_rate_limiter_counts_per_key_and_says_how_long_to_wait():
    limiter = RateLimiter(60, name="test-refill")
    assert all(limiter.hit("k") == 0 for _ in range(60))
    wait = limiter.hit("k")
    assert 0 < wait <= 60 and 1 <= int(retry_after(wait)) <= 60
    assert limiter.hit("other") == 0


def test_last_fetch_and_client_are_recorded_sparingly(app, client, feed, count_queries):
    user, path = feed
    fetches = app.extensions["afterglow_feed"].fetches
    client.get(path, headers={"User-Agent": "Google-Calendar-Importer"})  # after a quiet second: written at once
    row = tokens.token_row(user)
    db.session.refresh(row)
    assert row.last_user_agent == "Google-Calendar-Importer" and row.fetch_count == 1
    fetched_at = row.last_fetched_at
    assert dt.datetime.now(dt.timezone.utc) - fetched_at < dt.timedelta(minutes=1)
    count_queries.clear()
    client.get(path, headers={"User-Agent": "Google-Calendar-Importer"})
    assert not any(s.lstrip().upper().startswith("UPDATE") for s in count_queries.statements)
    client.get(path, headers={"User-Agent": "iOS/17.4 (21E219) dataaccessd/1.0"})  # a new client: due, batched
    db.session.refresh(row)
    assert row.last_user_agent == "Google-Calendar-Importer"  # waits for the batch (at most a second)
    fetches.flush()
    db.session.refresh(row)
    assert row.last_user_agent.startswith("iOS/17.4") and row.fetch_count == 3

    new_path = f"/feed/{tokens.issue(user)}.ics"  # a new link starts afresh, and its first fetch shows
    client.get(new_path, headers={"User-Agent": "iOS/17.4 (21E219) dataaccessd/1.0"})
    fetches.flush()
    db.session.refresh(row)
    assert row.last_fetched_at is not None and row.fetch_count == 1
    assert len(fetches) <= fetches.max_entries * 2

def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.data == b"ok\n"
