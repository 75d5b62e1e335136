"""Calendar feed adapter: the plan as a private iCalendar subscription.

tokens.py     private links (HMAC of a stored nonce; only a hash of the token is stored)
events.py     plan days → FeedEvents (monthly RRULE series, single days, windows) — pure
ical.py       FeedEvents → RFC 5545 text, VTIMEZONE cache
state.py      SEQUENCE / LAST-MODIFIED per event UID, the feed's version
lookup.py     token → one query → fingerprint (ETag) — cached per process for at most 1 s
changes.py    this process's own commits drop its cached lookups at once (others: within 1 s)
fetches.py    "last fetched" per link: written coarsely, in bounded batches
publish.py    the feed's bytes: this worker's cache, or a cold render (plan_for → events → text)
(planner/ratelimit.py gives the per-token and per-address limits, in the shared store)
http.py       /feed/<token>.ics and /healthz
conditional.py  the feed's 304s answered in front of Flask (the rest goes on to http.py)
calendar_page.py  the Calendar page: links, instructions, regenerate, revoke, settings
"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Attach the feed and the Calendar page to the app."""
    from planner.feed import calendar_page, http

    http.init_app(app)
    app.register_blueprint(http.bp)
    app.register_blueprint(calendar_page.bp)
    http.init_fast_path(app)
