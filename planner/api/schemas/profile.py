"""The profile: time zone, routine times, safety answers, email and feed choices."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from planner.api.schemas.common import RequestModel
from planner.accounts.rules import zone_names

ZoneName = Literal[zone_names()]  # type: ignore[valid-type]
TIME_PATTERN = r"^(?:[01]\d|2[0-3]):[0-5]\d$"


def _time(description: str):
    return Field(pattern=TIME_PATTERN, description=f"{description}, HH:MM in the user's zone.", examples=["07:30"])


class ProfileIn(RequestModel):
    """Every setting the profile page holds (PUT replaces them all)."""

    timezone: ZoneName = Field(description="IANA zone; every plan is made in it.")
    serum_slot: Literal["morning", "evening"] = Field(description="When the daily exosome serum goes on.")
    morning_time: str = _time("Morning routine")
    evening_time: str = _time("Evening routine")
    reminder_time: str = _time("Daily reminder email")
    active_cancer: bool = False
    active_skin_infection: bool = False
    pregnant: bool = False
    breastfeeding: bool = False
    skin_cancer_history: bool = False
    isotretinoin_last_6_months: bool = False
    dermatologist_approved: bool = Field(False, description="A dermatologist approved an exosome serum plan.")
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
