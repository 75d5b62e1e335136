"""/api/v1/plan and the marks on its steps: the same plan service as the pages.

The plan is the heaviest answer (a year is ~3,000 steps), so its rows are built as plain
dicts and validated by pydantic-core in one pass rather than one model call per step.
"""

from __future__ import annotations

import datetime as dt
import re

from spectree import Response

from planner.api import auth
from planner.api.blueprint import bp
from planner.api.http import no_content
from planner.api.problems import ApiProblem
from planner.api.procedures import windows_of
from planner.api.schemas.plan import STEP_PATTERN, Mark, MarkIn, Plan, PlanQuery
from planner.api.schemas.common import DAY_PATTERN
from planner.api.spec import spec
from planner.planning import planner_for
from planner.storage.adherence import adherence_marks, record_marks, step_key

TAGS = ("Plan",)
DISCLAIMER = "General information, not medical advice: your clinician's instructions always come first."
_DAY, _STEP = re.compile(DAY_PATTERN), re.compile(STEP_PATTERN)


@bp.get("/plan")
@spec.validate(query=PlanQuery, resp=Response(HTTP_200=Plan), tags=TAGS, operation_id="getPlan")
def get_plan(query: PlanQuery):
    """The plan for a range of days

    Each day's steps (with the user's done/skipped marks), pauses with their reasons, the
    washout/procedure/recovery/ramp markers, and the safety findings.
    """
    user = auth.current()
    planner = planner_for(user)
    start = query.start or planner.today
    end = start + dt.timedelta(days=query.days)
    plan = planner.plan(start, end)
    marks = adherence_marks(user, start, end)
    days = []
    for day in plan.days:
        date = day.date
        days.append({
            "date": date,
            "steps": [{
                "key": (key := step_key(s)), "product_id": s.product_id, "product_name": s.product_name,
                "slot": s.slot.value, "role": s.role.value, "order": s.order, "note": s.note,
                "mark": marks.get((date, key)),
            } for s in day.steps],
            "pauses": [{
                "product_id": p.product_id, "product_name": p.product_name, "product_class": p.product_class.value,
                "reason": p.reason, "procedure_id": p.procedure_id,
            } for p in day.pauses],
            "markers": [{
                "kind": m.kind.value, "procedure_id": m.procedure_id, "label": m.label, "day_number": m.day_number,
                "days_total": m.days_total,
            } for m in day.markers],
            "notes": list(day.notes),
        })
    return Plan.model_validate({
        "start": start, "days_count": query.days, "today": planner.today,
        "timezone": planner.zone.key, "withheld": plan.withheld,
        "findings": [{"severity": f.severity.value, "code": f.code, "message": f.message} for f in plan.screening.findings],
        "notes": list(plan.notes),
        "procedures": [{
            "id": f.id, "kind": f.kind, "label": f.label, "date": f.date, "intensity": f.intensity.value,
            "windows": windows_of(f), "washout_start": f.washout_start, "recovery_end": f.recovery_end,
        } for f in plan.procedures],
        "days": days,
        "disclaimer": DISCLAIMER,
    })


def _planned(day: str, step: str) -> tuple[dt.date, str]:
    """The day and step, if the step is in the user's plan that day (else 404)."""
    if not _DAY.fullmatch(day):
        raise ApiProblem(404, f"{day!r} is not a date between 1990-01-01 and 2100-12-31 (YYYY-MM-DD).")
    if not _STEP.fullmatch(step):
        raise ApiProblem(404, 'A step is "serum" or "product:<id>".')
    date = dt.date.fromisoformat(day)
    plan = planner_for(auth.current()).plan(date, date + dt.timedelta(days=1))
    if step not in {step_key(s) for d in plan.days for s in d.steps}:
        raise ApiProblem(404, f"{step} is not in your plan for {date.isoformat()}.")
    return date, step


@bp.put("/plan/days/<day>/marks/<step>")
@spec.validate(json=MarkIn, resp=Response(HTTP_200=Mark), tags=TAGS, operation_id="markStep")
def mark_step(day: str, step: str, json: MarkIn):
    """Mark a step done or skipped

    The step must be in the plan that day; the key is the step's `key` from the plan.
    """
    date, key = _planned(day, step)
    record_marks(auth.current(), date, [key], json.status)
    return Mark(date=date, step=key, status=json.status)


@bp.delete("/plan/days/<day>/marks/<step>")
@spec.validate(resp=Response("HTTP_204"), tags=TAGS, operation_id="clearMark")
def clear_mark(day: str, step: str):
    """Clear a step's mark (undone)"""
    date, key = _planned(day, step)
    record_marks(auth.current(), date, [key], None)
    return no_content()
