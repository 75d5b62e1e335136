"""/api/v1/procedures/<id>/checkins: the skin check-ins of a procedure, listed and answered.

The same rule as the day page and the email link (planning/checkins.py): an answer is taken only
for a day the plan asks on, today or earlier; otherwise 409 says why (the day is valid, the plan's
state refuses it).
"""

from __future__ import annotations

import datetime as dt

from spectree import Response

from planner.api import auth
from planner.api.blueprint import ID, bp
from planner.api.http import page_of
from planner.api.problems import ApiProblem
from planner.api.procedures import _owned
from planner.api.schemas.checkins import AskedDay, CheckIn, CheckInIn, CheckInPage, CheckInResult
from planner.api.schemas.common import PageQuery, Problem
from planner.api.spec import spec
from planner.core.model import ProcedureFacts
from planner.planning import UserPlanner, planner_for
from planner.planning.checkins import CheckInRefused, answer
from planner.storage.checkins import checkins_of

TAGS = ("Check-ins",)


def _facts(planner: UserPlanner, procedure_id: int) -> ProcedureFacts | None:
    return next((f for f in planner.facts() if f.id == procedure_id), None)


def _asked(planner: UserPlanner, facts: ProcedureFacts | None) -> list[AskedDay]:
    """The days the plan asks about this procedure (all within its recovery's last days)."""
    if facts is None or not facts.has_recovery:
        return []
    start = max(facts.date, facts.recovery_end - dt.timedelta(days=2))
    plan = planner.plan(start, facts.recovery_end + dt.timedelta(days=1))
    return [AskedDay(day=d.date, answer=a.answer.value if a.answer else None)
            for d in plan.days for a in d.checkins if a.procedure_id == facts.id]


@bp.get(f"/procedures/<{ID}:procedure_id>/checkins")
@spec.validate(query=PageQuery, resp=Response(HTTP_200=CheckInPage), tags=TAGS, operation_id="listCheckIns")
def list_checkins(procedure_id: int, query: PageQuery):
    """List a procedure's skin check-ins

    Answers to "Is your skin still red, peeling, stinging or broken?", by day, with the recovery
    end they leave and the days the plan asks.
    """
    user = auth.current()
    _owned(procedure_id)
    planner = planner_for(user)
    facts = _facts(planner, procedure_id)
    rows, meta = page_of(checkins_of(user.id, procedure_id), query)
    return CheckInPage(
        items=[CheckIn.model_validate(row) for row in rows], **meta,
        recovery_end=facts.recovery_end if facts else None, extended_days=facts.extended_days if facts else 0,
        asked_days=_asked(planner, facts),
    )


@bp.post(f"/procedures/<{ID}:procedure_id>/checkins")
@spec.validate(json=CheckInIn, resp=Response(HTTP_201=CheckInResult, HTTP_409=Problem), tags=TAGS,
               operation_id="createCheckIn")
def create_checkin(procedure_id: int, json: CheckInIn):
    """Answer the skin check-in for a day

    "still" keeps exfoliants paused through the next day, which asks again; "settled" lets the
    ramp back begin after the window. 409 when the plan does not ask on that day (not the last
    days of the recovery, a day ahead, or after "settled").
    """
    user = auth.current()
    _owned(procedure_id)
    try:
        row = answer(planner_for(user), procedure_id, json.day, json.answer)
    except CheckInRefused as why:
        raise ApiProblem(409, str(why)) from None
    facts = _facts(planner_for(user), procedure_id)
    return CheckInResult(
        procedure_id=row.procedure_id, local_day=row.local_day, answer=row.answer, recorded_at=row.recorded_at,
        recovery_end=facts.recovery_end, extended_days=facts.extended_days,
    ), 201
