"""The private calendar feed link."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from planner.api.schemas.common import ResponseModel


class FeedLink(ResponseModel):
    url: str = Field(description="The private https (or http) link; treat it like a password.")
    webcal_url: str
    created_at: dt.datetime
    last_fetched_at: dt.datetime | None
    fetch_count: int
