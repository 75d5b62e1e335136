"""GET/HEAD /feed/<token>.ics — the private calendar feed — and /healthz.

Kept thin: rate limits, one lookup, a conditional answer or the (usually cached) feed. The
feed is never gzip-compressed (Outlook has failed on compressed feeds), and an unknown,
revoked or malformed token gets exactly the 404 page of any other missing URL.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Blueprint, Flask, Response, abort, current_app, request
from werkzeug.http import http_date

from planner.extensions import db
from planner.feed import changes, publish
from planner.feed.lookup import Lookup, LookupCache, lookup
from planner.ratelimit import RateLimiter, retry_after
from planner.storage.models import FeedToken
from planner.storage.types import utcnow

bp = Blueprint("feed", __name__)

CONTENT_TYPE = "text/calendar; charset=utf-8"
#: "Last fetched" is written at most this often per token (or when the client changes), not per request.
FETCH_WRITE_EVERY = dt.timedelta(minutes=5)
FETCH_WRITE_SECONDS = FETCH_WRITE_EVERY.total_seconds()


@dataclass
class FeedRuntime:
    """Per-app, per-process state: caches, rate limiters, and the fetches not yet written down."""

    by_token: RateLimiter
    by_address: RateLimiter
    lookups: LookupCache
    cache: publish.FeedCache = field(default_factory=publish.FeedCache)
    pending_fetches: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    #: token → (when, client, monotonic when) this process last wrote "last fetched"
    #: (cached lookups lag behind it).
    written: dict[str, tuple[dt.datetime, str | None, float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def init_app(app: Flask) -> None:
    changes.init_app(app)
    limit = int(app.config["FEED_RATE_LIMIT_PER_MINUTE"])
    lookups = LookupCache(app.extensions["afterglow_feed_stamp"])
    app.extensions["afterglow_feed"] = FeedRuntime(RateLimiter(limit, name="feed-token"), RateLimiter(limit, name="feed-address"), lookups)


def runtime() -> FeedRuntime:
    return current_app.extensions["afterglow_feed"]


@bp.get("/feed/<token>.ics")
def feed(token: str):
    state = runtime()
    wait = state.by_address.hit(request.environ.get("REMOTE_ADDR", "")) or state.by_token.hit(token[:64])
    if wait:
        return _too_many(wait)
    found = lookup(token, cache=state.lookups)
    if found is None:
        abort(404)
    if found.is_current and _not_modified(found.etag, found.changed_at):
        _note_fetch(state, token, found)
        return _not_modified_response(found.etag, found.changed_at)
    rendered = publish.feed_for(found, state.cache)
    _note_fetch(state, token, found)
    if _not_modified(rendered.etag, rendered.last_modified):
        return _not_modified_response(rendered.etag, rendered.last_modified)
    response = Response(rendered.body, content_type=CONTENT_TYPE, headers=_validators(rendered.etag, rendered.last_modified))
    response.headers["Content-Disposition"] = 'inline; filename="afterglow.ics"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/healthz")
def healthz():
    """Liveness for load balancers (and the bench's hello-world baseline)."""
    return Response("ok\n", content_type="text/plain; charset=utf-8")


def _not_modified(etag: str, last_modified: dt.datetime) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when present; otherwise If-Modified-Since."""
    sent = request.environ.get("HTTP_IF_NONE_MATCH")
    if sent == f'"{etag}"':  # what a client that kept our ETag sends back: skip the parser
        return True
    if sent:
        return request.if_none_match.contains_weak(etag)
    since = request.if_modified_since
    return since is not None and last_modified.replace(microsecond=0) <= since


@functools.lru_cache(maxsize=1024)  # the same few validators answer most requests
def _validators(etag: str, last_modified: dt.datetime) -> tuple[tuple[str, str], ...]:
    return (("ETag", f'"{etag}"'), ("Last-Modified", http_date(last_modified)), ("Cache-Control", "private, no-cache"))


@functools.lru_cache(maxsize=1024)
def _not_modified_headers(etag: str) -> tuple[tuple[str, str], ...]:
    """RFC 9110 §15.4.5: a 304 repeats ETag and Cache-Control (werkzeug drops Last-Modified anyway)."""
    return (("ETag", f'"{etag}"'), ("Cache-Control", "private, no-cache"))


def _not_modified_response(etag: str, last_modified: dt.datetime) -> Response:
    return Response(status=304, headers=_not_modified_headers(etag))


def _too_many(wait: float) -> Response:
    response = Response("Too many requests for this calendar feed. Try again later.\n", status=429,
                        content_type="text/plain; charset=utf-8")
    response.headers["Retry-After"] = retry_after(wait)
    return response


def _note_fetch(state: FeedRuntime, token: str, found: Lookup) -> None:
    """Remember when and by which client the feed was fetched, writing at most every few minutes.

    Kept per token (not per row): a regenerated link starts afresh."""
    agent = request.environ.get("HTTP_USER_AGENT", "")[:200] or None
    recent = state.written.get(token)
    if recent is not None and recent[1] == agent and time.monotonic() - recent[2] < FETCH_WRITE_SECONDS:
        with state.lock:  # the usual case: this process wrote it down moments ago
            state.pending_fetches[token] += 1
        return
    now = utcnow()
    with state.lock:
        state.pending_fetches[token] += 1
        last_at, last_agent, _ = state.written.get(token, (found.last_fetched_at, found.last_user_agent, 0.0))
        if found.last_fetched_at is not None and (last_at is None or found.last_fetched_at > last_at):
            last_at, last_agent = found.last_fetched_at, found.last_user_agent  # another worker wrote later
        due = last_at is None or now - last_at >= FETCH_WRITE_EVERY or agent != last_agent
        count = state.pending_fetches.pop(token) if due else 0
        if due:
            state.written[token] = (now, agent, time.monotonic())
    if not due:
        return
    db.session.execute(
        sa.update(FeedToken).where(FeedToken.id == found.token_id)
        .values(last_fetched_at=now, last_user_agent=agent, fetch_count=FeedToken.fetch_count + count)
    )
    db.session.commit()
