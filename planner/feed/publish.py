"""The feed's bytes for a looked-up token: from this worker's cache, or rendered cold.

A cold render asks plan_for (the one engine every face uses) for the horizon's days, turns them
into events (events.py), records what is published so SEQUENCE moves only with a change
(state.py), and writes the text (ical.py). The result is cached per process under its ETag,
which is derived from the inputs fingerprint (lookup.py) and the published version, never
from the token.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app

from planner.extensions import db
from planner.feed import ical, state, tokens
from planner.feed.events import Prefs, build_events
from planner.feed.lookup import Lookup, horizon, make_etag
from planner.planning import planner_for
from planner.storage.models import User

CALENDAR_NAME = "Afterglow"
CALENDAR_DESCRIPTION = ("Your Afterglow plan: serum, exfoliant nights, procedures, washout and recovery windows. "
                        "General information, not medical advice.")
#: With discreet titles on, the calendar's own description says nothing about skin either.
DISCREET_DESCRIPTION = "Your Afterglow plan."
CACHE_ENTRIES = 256


@dataclass(frozen=True)
class Rendered:
    body: bytes
    etag: str
    last_modified: dt.datetime


class FeedCache:
    """A small LRU of rendered feeds per (user, ETag); safe for threaded servers."""

    def __init__(self, size: int = CACHE_ENTRIES):
        self.size = size
        self._entries: OrderedDict[tuple[int, str], Rendered] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, user_id: int, etag: str) -> Rendered | None:
        with self._lock:
            found = self._entries.get((user_id, etag))
            if found is not None:
                self._entries.move_to_end((user_id, etag))
            return found

    def put(self, user_id: int, rendered: Rendered) -> None:
        with self._lock:
            self._entries[user_id, rendered.etag] = rendered
            self._entries.move_to_end((user_id, rendered.etag))
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


def feed_for(found: Lookup, cache: FeedCache) -> Rendered:
    """The feed for a looked-up token: from the cache when this worker has it, else rendered."""
    if found.is_current:
        cached = cache.get(found.user_id, found.etag)
        if cached is not None:
            return cached
    user = db.session.get(User, found.user_id)
    rendered = render(user, found.inputs_sha256)
    cache.put(user.id, rendered)
    return rendered


def render(user: User, inputs_sha256: str, today: dt.date | None = None, now: dt.datetime | None = None) -> Rendered:
    """Render the user's feed cold: plan, events, SEQUENCE states, text.

    ``today`` (the user's local date) and ``now`` (UTC) default to the clock; tests pin them."""
    planner = planner_for(user, now)
    zone = ical.Zone(planner.zone.key)
    start, end = horizon(today or planner.today)
    plan = planner.plan(start, end)
    prefs = Prefs(user.morning_time, user.evening_time, discreet=user.discreet_titles, alarms=user.feed_alarms)
    events = build_events(plan.days, {facts.id: facts for facts in plan.procedures}, prefs)
    bodies = {event.key: ical.event_body(event, zone) for event in events}
    published = state.publish(user.id, {key: ical.content_hash(body) for key, body in bodies.items()}, inputs_sha256,
                              now)
    suffix = "." + tokens.uid_suffix(user.id, urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "afterglow")
    vevents = (ical.vevent(key + suffix, body, *published.events[key]) for key, body in bodies.items())
    description = DISCREET_DESCRIPTION if prefs.discreet else CALENDAR_DESCRIPTION
    if plan.awaiting_approval and not prefs.discreet:
        description += (" The exosome serum is on hold until you confirm a dermatologist approved it; every "
                        "pause around your procedures is in the calendar.")
    body = ical.vcalendar(name=CALENDAR_NAME, description=description, zone=zone,
                          refresh_minutes=int(current_app.config["FEED_REFRESH_MINUTES"]),
                          years=(start.year, end.year), vevents=vevents)
    return Rendered(body, make_etag(inputs_sha256, published.version), published.changed_at)
