"""GET/HEAD /feed/<token>.ics — the private calendar feed — and /healthz.

Kept thin: rate limits, one lookup, a conditional answer or the (usually cached) feed; most
304s are answered before Flask by conditional.py, which hands the rest on to this view. The
feed is never gzip-compressed (Outlook has failed on compressed feeds), and an unknown,
revoked or malformed token gets exactly the 404 page of any other missing URL.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

from flask import Blueprint, Flask, Response, abort, current_app, request
from werkzeug.http import http_date

from planner.feed import changes, conditional, publish, tokens
from planner.feed.fetches import FetchLog
from planner.feed.lookup import Lookup, LookupCache, close_lookup_engine, lookup
from planner.ratelimit import RateLimiter, hit_all, retry_after
from planner.storage.types import utcnow

bp = Blueprint("feed", __name__)

CONTENT_TYPE = "text/calendar; charset=utf-8"


@dataclass
class FeedRuntime:
    """Per-app, per-process state, every part of it bounded: limiters, caches, unwritten fetches."""

    by_token: RateLimiter
    by_address: RateLimiter
    lookups: LookupCache
    fetches: FetchLog
    cache: publish.FeedCache = field(default_factory=publish.FeedCache)


def init_app(app: Flask) -> None:
    changes.init_app(app)
    limit = int(app.config["FEED_RATE_LIMIT_PER_MINUTE"])
    runtime = FeedRuntime(RateLimiter(limit, name="feed-token"), RateLimiter(limit, name="feed-address"),
                          LookupCache(), FetchLog(app))
    changes.on_change(app, runtime.lookups.clear)  # this process's own commits are seen at once
    app.extensions["afterglow_feed"] = runtime


def init_fast_path(app: Flask) -> None:
    """Answer conditional feed requests in front of Flask (conditional.py); after the blueprint."""
    app.wsgi_app = conditional.ConditionalFeed(app, app.wsgi_app)


def close(app: Flask) -> None:
    """Write pending fetches and close the lookup pool (before the app's engine is disposed)."""
    app.extensions["afterglow_feed"].fetches.close()
    close_lookup_engine(app)


def runtime() -> FeedRuntime:
    return current_app.extensions["afterglow_feed"]


@bp.get("/feed/<token>.ics")
def feed(token: str):
    state = runtime()
    checked = request.environ.get(conditional.CHECKED)  # what the fast path did (conditional.py)
    wait = checked.wait if checked is not None else count_request(state, token, request.environ)
    if wait:
        return _too_many(wait)
    found = checked.found if checked is not None and checked.looked_up else lookup(token, cache=state.lookups)
    if found is None:
        abort(404)
    if found.is_current and _not_modified(found.etag, found.changed_at):
        note_fetch(state, token, found, request.environ)
        return _not_modified_response(found.etag)
    rendered = publish.feed_for(found, state.cache)
    note_fetch(state, token, found, request.environ)
    if _not_modified(rendered.etag, rendered.last_modified):
        return _not_modified_response(rendered.etag)
    response = Response(rendered.body, content_type=CONTENT_TYPE, headers=_validators(rendered.etag, rendered.last_modified))
    response.headers["Content-Disposition"] = 'inline; filename="afterglow.ics"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def count_request(state: FeedRuntime, token: str, environ: dict) -> float:
    """Count the request against the per-address and per-token limits (one round trip to Redis);
    the wait if over one."""
    return hit_all((state.by_address, environ.get("REMOTE_ADDR", "")), (state.by_token, token[:64]))


@bp.get("/healthz")
def healthz():
    """Liveness for load balancers (and the bench's hello-world baseline)."""
    return Response("ok\n", content_type="text/plain; charset=utf-8")


def _not_modified(etag: str, last_modified: dt.datetime) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when present; otherwise If-Modified-Since."""
    sent = request.environ.get("HTTP_IF_NONE_MATCH")
    if sent:
        return conditional.not_modified(sent, etag)
    since = request.if_modified_since
    return since is not None and last_modified.replace(microsecond=0) <= since


@functools.lru_cache(maxsize=1024)  # the same few validators answer most requests
def _validators(etag: str, last_modified: dt.datetime) -> tuple[tuple[str, str], ...]:
    return (("ETag", f'"{etag}"'), ("Last-Modified", http_date(last_modified)), ("Cache-Control", "private, no-cache"))


@functools.lru_cache(maxsize=1024)
def _not_modified_headers(etag: str) -> tuple[tuple[str, str], ...]:
    """RFC 9110 §15.4.5: a 304 repeats ETag and Cache-Control (werkzeug drops Last-Modified anyway)."""
    return (("ETag", f'"{etag}"'), ("Cache-Control", "private, no-cache"))


def _not_modified_response(etag: str) -> Response:
    return Response(status=304, headers=_not_modified_headers(etag))  # conditional.py answers most 304s


def _too_many(wait: float) -> Response:
    response = Response("Too many requests for this calendar feed. Try again later.\n", status=429,
                        content_type="text/plain; charset=utf-8")
    response.headers["Retry-After"] = retry_after(wait)
    return response


def note_fetch(state: FeedRuntime, token: str, found: Lookup, environ: dict) -> None:
    """Count the fetch; "last fetched" reaches the database coarsely and in batches (fetches.py)."""
    agent = environ.get("HTTP_USER_AGENT", "")[:200] or None
    state.fetches.note(tokens.token_sha256(token), found.token_id, found.last_fetched_at, found.last_user_agent,
                       agent, utcnow())
