"""The one place Afterglow reads the wall clock.

Everything that depends on "now" (a user's local today, a link's age, what reminder is due)
takes an instant as an argument and defaults to ``utc_now()``. Tests pass instants; a running
app can be given a clock of its own through ``app.config["CLOCK"]`` (a callable returning an
aware UTC datetime), which is how the browser tests pin the date the pages see.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app, has_app_context

UTC = dt.timezone.utc


def utc_now() -> dt.datetime:
    """The current instant, aware, in UTC (the app's CLOCK when it has one)."""
    if has_app_context():
        clock = current_app.config.get("CLOCK")
        if clock is not None:
            return clock()
    return dt.datetime.now(UTC)
