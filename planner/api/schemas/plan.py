"""The plan for a range of local dates, and the done/skipped marks on its steps."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from planner.api.schemas.common import Day, RequestModel, ResponseModel
from planner.api.schemas.procedures import ResolvedWindows
from planner.core.model import AftercareTopic

#: The longest range one request plans: a year and a day (a leap year's worth).
MAX_DAYS = 366
#: A product used morning and evening has one step per slot: "product:<id>:morning".
STEP_PATTERN = r"^(?:serum|product:[1-9]\d{0,9}(?::(?:morning|evening))?)$"


class PlanQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    start: Day | None = Field(None, description="First local date; the user's today when left out.")
    days: int = Field(7, ge=1, le=MAX_DAYS, description=f"How many days to plan (1–{MAX_DAYS}).")


class Step(ResponseModel):
    key: str = Field(description='What adherence marks name: "serum", "product:<id>", or '
                                 '"product:<id>:morning" / ":evening" for a product used in both.')
    product_id: int | None
    product_name: str
    slot: str
    role: str = Field(description="serum, layer or exfoliant.")
    order: int = Field(description="Application order within the slot, from 1.")
    note: str
    twice: bool = Field(description="The product has a step in the other slot too that day (a morning-and-evening "
                                    "moisturizer): its marks are kept per slot, as the key says.")
    mark: Literal["done", "skipped"] | None = Field(description="The user's mark for this day, if any.")


class Pause(ResponseModel):
    product_id: int
    product_name: str
    product_class: str
    reason: str
    procedure_id: int | None


class Marker(ResponseModel):
    kind: str = Field(description="washout, procedure, recovery or ramp.")
    procedure_id: int
    label: str
    day_number: int
    days_total: int


class Advice(ResponseModel):
    """Aftercare beyond products for this day, after one procedure, with concrete times."""

    topic: Literal[tuple(t.value for t in AftercareTopic)] = Field(  # type: ignore[valid-type]
        description="sun (sunscreen and no direct sun), makeup, sweat (sweating and exercise), heat (sauna, "
                    "steam, hot showers), swimming or picking (picking or peeling flaking skin).")
    procedure_id: int
    text: str = Field(description='As it reads on this day: "No makeup until tomorrow evening (after …)".')
    summary: str = Field(description='As it reads on any day: "No makeup until the evening of Wed 11 March".')
    last_day: dt.date = Field(description="The last local date the advice applies.")
    sources: list[str] = Field(description="Keys of the sources behind it (GET /api/v1/catalog/procedures lists them).")
    is_warning: bool = Field(description="A warning that needs the user to act (no sunscreen on the shelf).")


class CheckInAsk(ResponseModel):
    """The day asks "Is your skin still red, peeling, stinging or broken?" about one procedure.

    Answer it with POST ``answer_url`` (the createCheckIn operation) and ``{"day": <this date>,
    "answer": "still" | "settled"}``; GET the same address (listCheckIns) lists the answers.
    """

    procedure_id: int
    label: str = Field(description='The procedure as it reads mid-sentence ("microneedling").')
    procedure_date: dt.date
    question: str
    answer: Literal["still", "settled"] | None = Field(description="The answer given for this day, or null.")
    extended: bool = Field(description="This day is one the user's \"still\" answers added to the recovery.")
    answer_url: str = Field(description="The procedure's check-ins (listCheckIns, createCheckIn), "
                                        "/api/v1/procedures/{id}/checkins.")


class PlanDay(ResponseModel):
    date: dt.date
    steps: list[Step]
    pauses: list[Pause]
    markers: list[Marker]
    notes: list[str]
    advice: list[Advice] = Field(description="Aftercare beyond products (sun, makeup, sweat, heat, swimming, "
                                             "picking) on the procedure day and the recovery days.")
    checkins: list[CheckInAsk] = Field(description="The skin check-ins this day asks (the last days of a "
                                                   "recovery, and the days the answers added).")


class Finding(ResponseModel):
    severity: str = Field(description="block, needs_approval, warning or info.")
    code: str
    message: str


class ProcedureFacts(ResponseModel):
    id: int
    kind: str
    label: str
    date: dt.date
    intensity: str
    windows: ResolvedWindows
    area: str = Field(description="The treated area: its windows pause only the products used there.")
    washout_start: dt.date
    recovery_end: dt.date = Field(description="Last day of the recovery, with the days check-in answers added.")
    extended_days: int = Field(description="Days the user's \"still\" answers added to the planned recovery.")
    extended_on: dt.date | None = Field(description="The local day of the last answer that extended it, or null.")
    checkins_url: str = Field(description="The procedure's check-ins (listCheckIns, createCheckIn).")


class Plan(ResponseModel):
    start: dt.date
    days_count: int = Field(description="How many days the plan covers.")
    today: dt.date = Field(description="The user's local today, in their zone.")
    timezone: str = Field(description="The zone the plan was made in (UTC when the server does not know the user's).")
    withheld: bool = Field(description="True when safety withholds the exosome serum, or approval is missing.")
    findings: list[Finding]
    notes: list[str]
    procedures: list[ProcedureFacts]
    days: list[PlanDay]
    disclaimer: str


class MarkIn(RequestModel):
    status: Literal["done", "skipped"]


class Mark(ResponseModel):
    date: dt.date
    step: str
    status: Literal["done", "skipped"] | None = Field(description="null once the mark is cleared.")
