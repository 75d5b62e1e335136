"""The profile: time zone, routine times, safety answers, email and feed choices.

The safety answers are the core's SafetyAnswers (planner/core/model.py), the one list of the
screening questions: their fields here are made from its dataclass fields (name, type, default),
so a question added to the core is a field of the API, its document and its validation at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from typing import Any, Literal

from pydantic import Field, create_model

from planner.api.schemas.common import RequestModel
from planner.accounts.rules import zone_names
from planner.core.model import SafetyAnswers

ZoneName = Literal[zone_names()]  # type: ignore[valid-type]
TIME_PATTERN = r"^(?:[01]\d|2[0-3]):[0-5]\d$"


def _time(description: str):
    return Field(pattern=TIME_PATTERN, description=f"{description}, HH:MM in the user's zone.", examples=["07:30"])


#: The screening questions, in the core's order.
SAFETY_QUESTIONS = tuple(field.name for field in dataclasses.fields(SafetyAnswers))
#: What the document says of a question beyond its name, where its name is not enough.
SAFETY_DESCRIPTIONS = {"dermatologist_approved": "A dermatologist approved an exosome serum plan."}


def _safety_fields() -> dict[str, Any]:
    """Each SafetyAnswers field as a pydantic field: its type, its default, our description."""
    types = typing.get_type_hints(SafetyAnswers)
    return {field.name: (types[field.name], Field(field.default, description=SAFETY_DESCRIPTIONS.get(field.name)))
            for field in dataclasses.fields(SafetyAnswers)}


class _Routine(RequestModel):
    timezone: ZoneName = Field(description="IANA zone; every plan is made in it.")
    serum_slot: Literal["morning", "evening"] = Field(description="When the daily exosome serum goes on.")
    morning_time: str = _time("Morning routine")
    evening_time: str = _time("Evening routine")
    reminder_time: str = _time("Daily reminder email")


#: The routine's settings, then the safety answers (the profile page's order).
_RoutineAndSafety = create_model("_RoutineAndSafety", __base__=_Routine, __module__=__name__, **_safety_fields())


class ProfileIn(_RoutineAndSafety):
    """Every setting the profile page holds (PUT replaces them all)."""

    remind_daily: bool = True
    remind_washout: bool = True
    remind_recovery_end: bool = True
    emails_enabled: bool = Field(True, description="False stops every email (like the unsubscribe link).")
    feed_alarms: bool = Field(False, description="Alarms on calendar feed events.")
    discreet_titles: bool = Field(False, description="Feed and email titles that name no procedure or product.")


class Profile(ProfileIn):
    """The profile as stored, with what only the server sets."""

    model_config = {"strict": False, "extra": "ignore", "from_attributes": True}

    timezone: str  # a zone the server later lost (tzdata) is still shown as stored
    email: str
    email_confirmed: bool
    dermatologist_approved_at: dt.datetime | None
