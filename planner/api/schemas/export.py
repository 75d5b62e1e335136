"""The data export's document, described from the tables it is read from.

planner/accounts/export.py writes every column of the person's rows but the secrets; the models
here are made from the same tables and the same list of exported columns, so a new column shows
up in the document and in the OpenAPI schema at once, and the API validates each answer against
them.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, create_model

from planner.accounts.export import FORMAT_VERSION, exported_columns
from planner.api.schemas.common import ResponseModel
from planner.storage.models import (
    AdherenceMark, ApiToken, FeedState, FeedToken, Procedure, Product, ReminderSend, SkinCheckIn, User,
)


#: A local wall-clock time as the export writes it, "07:30:00".
WallClockTime = Annotated[dt.time, WithJsonSchema({
    "type": "string", "pattern": r"^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?$",
    "description": "A local wall-clock time in the user's zone, HH:MM:SS.",
})]


def _python_type(column) -> Any:
    try:
        python = column.type.python_type
    except NotImplementedError:
        return Any
    if issubclass(python, enum.Enum):
        return str  # written as its value
    if python is dt.time:
        return WallClockTime  # JSON Schema's "time" format wants an offset: these are local times
    return python


def _row_model(model, name: str, skip: frozenset[str] = frozenset(), **extra) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for column in exported_columns(model.__table__):
        if column.name in skip:
            continue
        python = _python_type(column)
        fields[column.name] = (python | None, ...) if column.nullable else (python, ...)
    return create_model(name, __base__=ResponseModel, __doc__=f"A row of {model.__tablename__}, as exported.",
                        **fields, **extra)


class DetectedClass(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    product_class: str = Field(alias="class")
    ingredient: str
    position: int
    note: str | None


class IgnoredIngredient(BaseModel):
    ingredient: str
    why: str


class ExportedClassification(BaseModel):
    classes: list[str]
    detected: list[DetectedClass]
    ignored: list[IgnoredIngredient]
    corrected_by_you: bool


ExportedProfile = _row_model(User, "ExportedProfile")
ExportedProcedure = _row_model(Procedure, "ExportedProcedure")
ExportedProduct = _row_model(Product, "ExportedProduct", classification=(ExportedClassification, ...))
ExportedMark = _row_model(AdherenceMark, "ExportedMark")
ExportedReminder = _row_model(ReminderSend, "ExportedReminder")
#: A check-in names its procedure by kind and date (record ids are not exported).
ExportedCheckIn = _row_model(SkinCheckIn, "ExportedCheckIn", skip=frozenset({"procedure_id"}),
                             procedure_kind=(str, ...), procedure_performed_on=(dt.date, ...))
ExportedApiToken = _row_model(ApiToken, "ExportedApiToken")
ExportedFeedLink = _row_model(FeedToken, "ExportedFeedLink")
ExportedFeedState = _row_model(FeedState, "ExportedFeedState")


class ExportedCalendarFeed(BaseModel):
    link: ExportedFeedLink | None = Field(description="When and by which client it was fetched; never the link itself.")
    published: ExportedFeedState | None


class Export(ResponseModel):
    """Everything Afterglow holds about the person but secrets (the settings page's download too)."""

    format: str = Field("afterglow-export", description="Always afterglow-export.")
    version: int = Field(FORMAT_VERSION, description="Bumped when a field changes meaning or goes away.")
    exported_at: dt.datetime
    profile: ExportedProfile
    procedures: list[ExportedProcedure]
    products: list[ExportedProduct]
    adherence_marks: list[ExportedMark]
    skin_checkins: list[ExportedCheckIn] = Field(description="The skin check-in answers of every procedure, by day.")
    reminders_sent: list[ExportedReminder]
    api_tokens: list[ExportedApiToken] = Field(description="Names and dates only: a token is never stored.")
    calendar_feed: ExportedCalendarFeed
