"""URL converters: record ids that the database can hold, so a huge id is a 404 and not a crash.

PostgreSQL's integer columns stop at 2^31 - 1 and SQLite's at 2^63 - 1; binding a larger
number raises (DataError, OverflowError) before any query runs. No record id ever reaches
2^31, so one bound serves both databases.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_RECORD_ID = 2**31 - 1


class RecordIdConverter(IntegerConverter):
    """``<id:product_id>``: a positive integer up to MAX_RECORD_ID; anything else does not match (404)."""

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, min=1, max=MAX_RECORD_ID)
