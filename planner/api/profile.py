"""/api/v1/profile: read and replace the profile page's settings."""

from __future__ import annotations

from spectree import Response

from planner.api import auth
from planner.api.blueprint import bp
from planner.api.http import require_match, with_etag
from planner.api.schemas.profile import SAFETY_QUESTIONS, Profile, ProfileIn
from planner.api.spec import IfMatchHeaders, spec
from planner.extensions import db
from planner.storage.models import User
from planner.storage.types import utcnow
from planner.accounts.rules import parse_hhmm

TAGS = ("Profile",)


def profile_out(user: User) -> Profile:
    return Profile(
        email=user.email, email_confirmed=user.email_verified_at is not None,
        timezone=user.timezone, serum_slot=user.serum_slot,
        morning_time=f"{user.morning_time:%H:%M}", evening_time=f"{user.evening_time:%H:%M}",
        reminder_time=f"{user.reminder_time:%H:%M}",
        **{question: getattr(user, question) for question in _STORED_ANSWERS},
        dermatologist_approved=user.dermatologist_approved_at is not None,
        dermatologist_approved_at=user.dermatologist_approved_at,
        remind_daily=user.remind_daily, remind_washout=user.remind_washout,
        remind_recovery_end=user.remind_recovery_end, emails_enabled=user.emails_allowed,
        feed_alarms=user.feed_alarms, discreet_titles=user.discreet_titles,
    )


#: The screening answers stored as they are given (an approval is stored as the instant it was given).
_STORED_ANSWERS = tuple(question for question in SAFETY_QUESTIONS if question != "dermatologist_approved")
_PLAIN = (
    "timezone", "serum_slot", *_STORED_ANSWERS, "remind_daily", "remind_washout", "remind_recovery_end",
    "feed_alarms", "discreet_titles",
)


@bp.get("/profile")
@spec.validate(resp=Response(HTTP_200=Profile), tags=TAGS, operation_id="getProfile")
def get_profile():
    """Read the profile"""
    return with_etag(profile_out(auth.current()))


@bp.put("/profile")
@spec.validate(json=ProfileIn, headers=IfMatchHeaders, resp=Response(HTTP_200=Profile), tags=TAGS,
               operation_id="replaceProfile")
def replace_profile(json: ProfileIn):
    """Replace the profile

    The same rules as the profile page: approval and unsubscribing keep the instant they
    were first set.
    """
    user = auth.current()
    require_match(profile_out(user))
    for name in _PLAIN:
        setattr(user, name, getattr(json, name))
    user.morning_time, user.evening_time = parse_hhmm(json.morning_time), parse_hhmm(json.evening_time)
    user.reminder_time = parse_hhmm(json.reminder_time)
    if json.dermatologist_approved and user.dermatologist_approved_at is None:
        user.dermatologist_approved_at = utcnow()
    elif not json.dermatologist_approved:
        user.dermatologist_approved_at = None
    if json.emails_enabled:
        user.email_unsubscribed_at = None
    elif user.email_unsubscribed_at is None:
        user.email_unsubscribed_at = utcnow()
    db.session.commit()
    return with_etag(profile_out(user))
