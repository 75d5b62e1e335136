"""Skin check-ins: "Is your skin still red, peeling, stinging or broken?" per procedure and day."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from planner.api.schemas.common import Day, PageMeta, RequestModel, ResponseModel

AnswerName = Literal["still", "settled"]
ANSWER_HELP = ("\"still\": the skin is still red, peeling, stinging or broken (the pause goes on through the next "
               "day, which asks again); \"settled\": it has settled (the ramp back begins after the window).")


class CheckInIn(RequestModel):
    """An answer for one day the plan asks on (the last days of the recovery window, and every day an
    answer added), today or earlier. A new answer for the same day replaces the old one."""

    day: Day = Field(description="The local date the answer is for.")
    answer: AnswerName = Field(description=ANSWER_HELP)


class CheckIn(ResponseModel):
    procedure_id: int
    day: dt.date = Field(validation_alias="local_day")
    answer: str = Field(description=ANSWER_HELP)
    recorded_at: dt.datetime


class CheckInResult(CheckIn):
    """The answer, and the procedure's recovery end as the answers now leave it."""

    recovery_end: dt.date = Field(description="Last day of the recovery, with the days the answers added.")
    extended_days: int = Field(description="Days the answers added to the planned recovery.")


class AskedDay(ResponseModel):
    day: dt.date
    answer: str | None = Field(description="The answer given for the day, or null.")


class CheckInPage(PageMeta):
    items: list[CheckIn]
    recovery_end: dt.date | None = Field(description="Last day of the recovery, with the days the answers added "
                                                     "(null only for a kind the catalog no longer has).")
    extended_days: int = Field(description="Days the answers added to the planned recovery.")
    asked_days: list[AskedDay] = Field(description="The days the plan asks the question, with their answers.")
