"""Everything the API knows about a user, in one document made of the resources' own schemas."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from planner.api.schemas.checkins import CheckIn
from planner.api.schemas.common import ResponseModel
from planner.api.schemas.feed import FeedLink
from planner.api.schemas.plan import Mark
from planner.api.schemas.procedures import Procedure
from planner.api.schemas.products import Product
from planner.api.schemas.profile import Profile


class TokenSummary(ResponseModel):
    name: str
    scope: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None


class Export(ResponseModel):
    exported_at: dt.datetime
    format_version: int = Field(1, description="Bumped when a field changes meaning or goes away.")
    profile: Profile
    procedures: list[Procedure]
    products: list[Product]
    adherence_marks: list[Mark]
    checkins: list[CheckIn] = Field(description="The skin check-in answers of every procedure, by day.")
    feed_link: FeedLink | None
    api_tokens: list[TokenSummary] = Field(description="Names and dates only: tokens are never stored.")
