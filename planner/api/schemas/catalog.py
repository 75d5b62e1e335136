"""The procedure catalog: each kind's windows per intensity, the sourced range, and the sources."""

from __future__ import annotations

from pydantic import Field

from planner.api.schemas.common import ResponseModel


class Source(ResponseModel):
    key: str
    url: str
    kind: str = Field(description="Quality tag: peer_reviewed, clinic, association, regulator…")
    kind_label: str
    note: str


class Window(ResponseModel):
    light: int
    standard: int
    aggressive: int
    range: list[int] | None = Field(description="[min, max] days the sources give; null when none does.")
    sources: list[str] = Field(description="Keys of the sources behind the range.")
    basis: str = Field(description="Why the numbers are what they are, when no source gives a range.")


class ProcedureKind(ResponseModel):
    key: str
    label: str
    description: str
    group: str
    washout_days_before: Window
    retinoid_days_after: Window
    actives_days_after: Window
    downtime_days: Window
    serum_on_procedure_day: bool
    follow_clinician: bool
    notes: list[str]
    area_note: str
    sources: list[Source]


class Catalog(ResponseModel):
    items: list[ProcedureKind]
