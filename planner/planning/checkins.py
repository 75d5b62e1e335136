"""Answering the skin check-in, by one rule for every face (day page, email link, API).

An answer is taken only for a day the plan asks on (the last days of a recovery window and the
days it was extended: core/checkins.py) and never for a day still ahead: nobody knows how their
skin will be tomorrow. A refused answer says why, so no face can store an answer the plan would
silently ignore.
"""

from __future__ import annotations

import datetime as dt

from planner.core.checkins import QUESTION
from planner.core.model import CheckInAnswer
from planner.planning.service import UserPlanner
from planner.storage import checkins as stored
from planner.storage.models import SkinCheckIn

__all__ = ["QUESTION", "CheckInRefused", "answer", "asked_on"]


class CheckInRefused(ValueError):
    """The answer cannot be taken; the message says why, in the user's words."""


def asked_on(planner: UserPlanner, procedure_id: int, day: dt.date) -> bool:
    """True when the plan asks about this procedure on ``day``."""
    plan = planner.plan(day, day + dt.timedelta(days=1))
    return any(a.procedure_id == procedure_id for d in plan.days for a in d.checkins)


def answer(planner: UserPlanner, procedure_id: int, day: dt.date, value: str) -> SkinCheckIn:
    """Record the user's answer for ``day``; CheckInRefused when the plan does not ask it."""
    try:
        answer_value = CheckInAnswer(value)
    except ValueError:
        raise CheckInRefused("Answer “still” (still red, peeling, stinging or broken) or “settled”.") from None
    if day > planner.today:
        raise CheckInRefused(f"You can answer for today or an earlier day, not for {day.isoformat()}.")
    if not any(p.id == procedure_id for p in planner.inputs.procedures):
        raise CheckInRefused("That procedure is not one of yours.")
    if not asked_on(planner, procedure_id, day):
        raise CheckInRefused(
            f"Your plan does not ask about your skin after that procedure on {day.isoformat()}: it asks on the "
            "last days of the recovery window and on every day an answer added to it.")
    return stored.record(planner.user.id, procedure_id, day, answer_value.value)
