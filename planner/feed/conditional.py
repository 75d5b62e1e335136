"""The feed's conditional requests answered in front of Flask: a 304 without the request machinery.

Calendar apps poll their feeds, and almost every poll carries the ETag they hold, so almost
every feed request is a 304. Flask's handling of a request (a request context, URL matching,
the input guard, the session and Flask-Login's cookie check, the security-header hook) costs
about as much as the lookup query itself, and a 304 needs none of it: it reads no cookie,
writes no session and its headers are fixed. So a GET or HEAD of the feed's URL with an
If-None-Match is answered here, inside the app's WSGI callable (and inside ProxyFix, so the
per-address limit sees the client): the same rate limits, the same lookup, the same "last
fetched" bookkeeping, the same headers as the view.

Anything that is not a 304 (a first fetch, a changed feed, an unknown token, a 429, a database
error) goes on to Flask's view in http.py with what was already done attached to the request
(``CHECKED``): the limits are counted once and the lookup runs once per request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask
from werkzeug.http import parse_etags

from planner.feed.lookup import Lookup
from planner.web.headers import ALWAYS

log = logging.getLogger(__name__)

#: The environ key under which the fast path hands what it did to the view.
CHECKED = "afterglow.feed.checked"


@dataclass(frozen=True)
class Checked:
    """What the fast path did before handing a request on: the limits' answer and, when it got that
    far, the lookup's (``looked_up`` False: the view looks the token up itself)."""

    wait: float
    found: Lookup | None = None
    looked_up: bool = False


def not_modified(sent: str | None, etag: str) -> bool:
    """If-None-Match (RFC 9110 §13.1.2, weak comparison) against our ETag."""
    if not sent:
        return False
    if sent == f'"{etag}"':  # what a client that kept our ETag sends back: skip the parser
        return True
    return parse_etags(sent).contains_weak(etag)


def not_modified_headers(etag: str) -> list[tuple[str, str]]:
    """RFC 9110 §15.4.5: a 304 repeats ETag and Cache-Control (Last-Modified is left out), with the
    security headers every response of the app carries (web/headers.py) and the ``Vary: Cookie``
    Flask adds to every response of a request that looked at the session."""
    return [("ETag", f'"{etag}"'), ("Cache-Control", "private, no-cache"), *ALWAYS.items(), ("Vary", "Cookie")]


class ConditionalFeed:
    """WSGI middleware: ``app.wsgi_app = ConditionalFeed(app, app.wsgi_app)`` (see the docstring)."""

    def __init__(self, app: Flask, wrapped: Callable):
        from planner.feed import http

        self.app = app
        self.wrapped = wrapped  # Flask's own handling: what the fast path falls back to
        rule = next(app.url_map.iter_rules("feed.feed")).rule  # the router's URL, not one spelled here
        self.prefix, _, self.suffix = rule.partition("<token>")
        self.http = http

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        sent = environ.get("HTTP_IF_NONE_MATCH")
        path = environ.get("PATH_INFO", "")
        if (sent and path.startswith(self.prefix) and path.endswith(self.suffix)
                and environ.get("REQUEST_METHOD") in ("GET", "HEAD") and not environ.get("QUERY_STRING")):
            token = path[len(self.prefix):len(path) - len(self.suffix)]
            with self.app.app_context():
                etag = self._answer(environ, token, sent)
            if etag is not None:
                start_response("304 NOT MODIFIED", not_modified_headers(etag))
                return [b""]
        return self.wrapped(environ, start_response)

    def _answer(self, environ: dict, token: str, sent: str) -> str | None:
        """The ETag to answer 304 with, or None after leaving what was done in ``environ``."""
        http = self.http
        state = http.runtime()
        wait = http.count_request(state, token, environ)
        if wait:
            environ[CHECKED] = Checked(wait)
            return None
        try:
            found = http.lookup(token, cache=state.lookups)
        except Exception:  # noqa: BLE001 — the view looks again and answers as the app answers errors
            log.warning("Feed lookup failed in the fast path; handing the request to the view", exc_info=False)
            environ[CHECKED] = Checked(0.0)
            return None
        if found is not None and found.is_current and not_modified(sent, found.etag):
            http.note_fetch(state, token, found, environ)
            return found.etag
        environ[CHECKED] = Checked(0.0, found, looked_up=True)
        return None
