"""The plan for a range of local dates, and the done/skipped marks on its steps."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from planner.api.schemas.common import Day, RequestModel, ResponseModel
from planner.api.schemas.procedures import ResolvedWindows

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


class PlanDay(ResponseModel):
    date: dt.date
    steps: list[Step]
    pauses: list[Pause]
    markers: list[Marker]
    notes: list[str]


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
    washout_start: dt.date
    recovery_end: dt.date


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
