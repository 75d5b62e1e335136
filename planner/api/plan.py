"""/api/v1/plan and the marks on its steps: the same plan service as the pages.

A year's plan is the API's one large answer (~570 KB: ~1,700 steps, ~300 pauses, ~340 pieces of
advice, a marker on most days). Validating it against its own response model on every request
would cost more than planning it, so this one view writes the engine's values straight to JSON
with orjson (see _DaysJson: it writes the engine's dataclasses itself, with no Python row per
value) and checks its query with the same PlanQuery that spectree documents. The answer's shape
is still the document's Plan model: tests validate real answers against it and compare them with
what the models write, and schemathesis checks every answer it gets against the document.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from flask import url_for
import orjson
from orjson import Fragment
from spectree import Response

from planner.api import auth
from planner.api.blueprint import MAX_ID, bp
from planner.api.http import no_content
from planner.api.problems import ApiProblem
from planner.api.procedures import windows_of
from planner.api.schemas.common import DAY_PATTERN
from planner.api.schemas.plan import STEP_PATTERN, Mark, MarkIn, Plan, PlanQuery
from planner.api.spec import spec, validated_query
from planner.core.checkins import QUESTION
from planner.core.model import (
    AftercareTopic, Area, CheckInAnswer, CheckInAsk, DayPlan, MarkerKind, ProductClass, Slot, Step, StepRole,
)
from planner.planning import planner_for
from planner.storage.adherence import adherence_marks, record_marks, step_key

TAGS = ("Plan",)
DISCLAIMER = "General information, not medical advice: your clinician's instructions always come first."
_DAY, _STEP = re.compile(DAY_PATTERN), re.compile(STEP_PATTERN)
_JSON = {"Content-Type": "application/json"}
#: Enum member → its value by dict lookup: cheaper than ``.value`` (a descriptor).
_VALUE = {member: member.value for kind in (Slot, StepRole, ProductClass, MarkerKind, AftercareTopic, Area, CheckInAnswer)
          for member in kind}


@bp.get("/plan")
@spec.validate(query=PlanQuery, resp=Response(HTTP_200=Plan), tags=TAGS, operation_id="getPlan", skip_validation=True)
def get_plan():
    """The plan for a range of days

    Each day's steps (with the user's done/skipped marks), pauses with their reasons, the
    washout/procedure/recovery/ramp markers, the aftercare advice (sun, makeup, sweat, heat, swimming,
    picking) and the skin check-ins the day asks, and the safety findings.
    """
    query = validated_query(PlanQuery)
    user = auth.current()
    planner = planner_for(user)
    start = query.start or planner.today
    end = start + dt.timedelta(days=query.days)
    plan = planner.plan(start, end)
    marks = adherence_marks(user, start, end)
    urls = checkins_urls(f.id for f in plan.procedures)
    answer = {
        "start": start, "days_count": query.days, "today": planner.today,
        "timezone": planner.zone.key, "withheld": plan.withheld,
        "findings": [{"severity": f.severity.value, "code": f.code, "message": f.message}
                     for f in plan.screening.findings],
        "notes": plan.notes,
        "procedures": [{
            "id": f.id, "kind": f.kind, "label": f.label, "date": f.date, "intensity": f.intensity.value,
            "windows": windows_of(f).model_dump(), "area": _VALUE[f.area], "washout_start": f.washout_start,
            "recovery_end": f.recovery_end, "extended_days": f.extended_days, "extended_on": f.extended_on,
            "checkins_url": urls[f.id],
        } for f in plan.procedures],
        "disclaimer": DISCLAIMER,
        "days": _DaysJson(marks, urls).days(plan.days),
    }
    # The bytes, not a Response: spectree copies a Response's body out and makes another around it.
    return orjson.dumps(answer), 200, _JSON


def checkins_url(procedure_id: int) -> str:
    """Where a procedure's check-ins are listed and answered (the listCheckIns operation)."""
    return url_for("api.list_checkins", procedure_id=procedure_id)


def checkins_urls(procedure_ids: Iterable[int]) -> dict[int, str]:
    """checkins_url for each id, the router asked once: its URL for a placeholder id with the ids
    put in its place (a decimal id needs no quoting, so the URL is the same)."""
    before, _, after = checkins_url(MAX_ID).rpartition(str(MAX_ID))
    return {i: f"{before}{i}{after}" for i in procedure_ids}


class _DaysJson:
    """The ``days`` array of one answer as JSON, each distinct engine value serialised once.

    Steps and check-in asks need fields the engine's values lack (the step's key and mark, the
    question and its address), so each distinct tuple of them becomes a JSON fragment once (the
    engine shares them between days: a year has ~95 distinct step tuples made of ~125 distinct
    Steps); pauses, markers and advice are written by orjson straight from the engine's
    dataclasses, without a Python row per value. A day with marks gets its own step array.

    Pauses, markers and advice are not shared that way: each belongs to one day (their reasons
    count the days, "day 3 of 7"), so writing them once per tuple would only add a call per day;
    measured, writing every array of a day as bytes and joining them took 1.6 ms against 1.1 ms.
    """

    def __init__(self, marks: dict[tuple[dt.date, str], str], checkins_urls: dict[int, str]):
        self.marks = marks
        self.marked_days = {date for date, _ in marks}
        self.urls = checkins_urls
        self.arrays: dict[int, Fragment] = {}  # id of a tuple the plan holds → its JSON array
        self.steps: dict[int, bytes] = {}  # id of a Step in such a tuple → its JSON object

    def days(self, days: tuple[DayPlan, ...]) -> list[dict]:
        """The days for orjson: pauses, markers, notes and advice as the engine's own values (orjson
        writes a slotted dataclass's fields in order, its str enums as their values and its dates as
        YYYY-MM-DD: exactly the Pause, Marker and Advice rows of the document, which the tests hold
        it to), steps and check-in asks as JSON fragments made once per distinct tuple."""
        # One plain loop with local names: it runs for every day of the answer.
        arrays, marked_days, steps_of, asks_of = self.arrays, self.marked_days, self._steps, self._asks
        get = arrays.get
        out = []
        for day in days:
            steps, asks = day.steps, day.checkins
            if day.date in marked_days:
                step_json = self._marked_steps(day)
            elif (step_json := get(id(steps))) is None:
                step_json = steps_of(steps)
            if (ask_json := get(id(asks))) is None:
                ask_json = asks_of(asks)
            out.append({"date": day.date, "steps": step_json, "pauses": day.pauses, "markers": day.markers,
                        "notes": day.notes, "advice": day.advice, "checkins": ask_json})
        return out

    def _steps(self, steps: tuple[Step, ...]) -> Fragment:
        """A step tuple as a JSON array, remembered for the tuple; each Step is written once."""
        known = self.steps
        items = []
        for step in steps:
            if (item := known.get(id(step))) is None:
                item = known[id(step)] = orjson.dumps(_step_row(step))
            items.append(item)
        array = self.arrays[id(steps)] = Fragment(b"[" + b",".join(items) + b"]")
        return array

    def _marked_steps(self, day: DayPlan) -> Fragment:
        return Fragment(orjson.dumps([_step_row(s, self.marks.get((day.date, step_key(s)))) for s in day.steps]))

    def _asks(self, asks: tuple[CheckInAsk, ...]) -> Fragment:
        """A check-in tuple as a JSON array, remembered for the tuple."""
        array = self.arrays[id(asks)] = Fragment(orjson.dumps([self._ask_row(a) for a in asks]))
        return array

    def _ask_row(self, a: CheckInAsk) -> dict:
        return {"procedure_id": a.procedure_id, "label": a.label, "procedure_date": a.procedure_date,
                "question": QUESTION, "answer": _VALUE[a.answer] if a.answer else None, "extended": a.extended,
                "answer_url": self.urls.get(a.procedure_id) or checkins_url(a.procedure_id)}


def _step_row(s: Step, mark: str | None = None) -> dict:
    return {"key": step_key(s), "product_id": s.product_id, "product_name": s.product_name, "slot": _VALUE[s.slot],
            "role": _VALUE[s.role], "order": s.order, "note": s.note, "twice": s.twice, "mark": mark}


def _planned(day: str, step: str) -> tuple[dt.date, str]:
    """The day and step, if the step is in the user's plan that day (else 404)."""
    if not _DAY.fullmatch(day):
        raise ApiProblem(404, f"{day!r} is not a date between 1990-01-01 and 2100-12-31 (YYYY-MM-DD).")
    if not _STEP.fullmatch(step):
        raise ApiProblem(404, 'A step is "serum", "product:<id>" or "product:<id>:morning|evening".')
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
