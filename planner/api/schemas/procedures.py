"""Procedures: what the user sends, and what the API returns (with the engine's resolved facts)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from planner.api.schemas.common import Day, PageMeta, RequestModel, ResponseModel, Text, Whole
from planner.core import catalog
from planner.core.model import Area

#: Catalog keys, in picker order: the document lists them, validation accepts only them.
KindName = Literal[tuple(kind.key for kind in catalog.procedure_kinds())]  # type: ignore[valid-type]
IntensityName = Literal["light", "standard", "aggressive"]
AreaName = Literal[tuple(a.value for a in Area)]  # type: ignore[valid-type]
OverrideDays = Whole(0, catalog.MAX_OVERRIDE_DAYS) | None


def _override(what: str):
    return Field(None, description=f"A clinician's own number of days {what}; null uses the catalog.")


class ProcedureIn(RequestModel):
    """A procedure as the user records it (POST creates, PUT replaces)."""

    kind: KindName = Field(description="The catalog key; see GET /api/v1/catalog/procedures.")
    performed_on: Day = Field(description="The local date of the treatment.")
    intensity: IntensityName = "standard"
    area: AreaName = Field("face", description="The treated area (arms, legs and back are the body): its windows "
                                               "pause only the products used there.")
    clinic: Text(120) = ""
    notes: Text(4000) = ""
    washout_days_override: OverrideDays = _override("to stop exfoliants before")
    retinoid_days_override: OverrideDays = _override("without retinoids after")
    actives_days_override: OverrideDays = _override("without acids, scrubs and other actives after")


class ResolvedWindows(ResponseModel):
    """The day counts the plan uses for this procedure (catalog, intensity and overrides)."""

    washout_days_before: int
    retinoid_days_after: int
    actives_days_after: int
    downtime_days: int
    serum_on_procedure_day: bool
    follow_clinician: bool = Field(description="Evidence is thin: follow the clinician's instructions.")
    overridden: list[str] = Field(description="Which counts a clinician's number set.")


class Procedure(ResponseModel):
    id: int
    kind: str
    label: str = Field(description="The procedure's name, as a title.")
    performed_on: dt.date
    intensity: str
    area: str
    clinic: str
    notes: str
    washout_days_override: int | None
    retinoid_days_override: int | None
    actives_days_override: int | None
    windows: ResolvedWindows | None = Field(description="Null only for a kind the catalog no longer has.")
    washout_start: dt.date | None = Field(description="First day of the washout (the procedure day when none).")
    recovery_end: dt.date | None = Field(description="Last day of the recovery (the procedure day when none).")
    created_at: dt.datetime
    updated_at: dt.datetime


class ProcedurePage(PageMeta):
    items: list[Procedure]
