"""Types every resource shares: dates, text, pages of a list, problems."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

#: A real calendar date from 1990-01-01 to 2100-12-31 (leap years included, 2100 is not one).
#: The pattern is the whole rule, so the document and the validation cannot disagree.
DAY_PATTERN = (
    r"^(?:(?:199\d|20\d\d|2100)-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)"
    r"|(?:0[13578]|1[02])-31)|(?:199[26]|20(?:[02468][048]|[13579][26]))-02-29)$"
)
_DAY = re.compile(DAY_PATTERN)
#: No control characters (they break databases and terminals), at least one visible character.
_CONTROL = "\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F"
TEXT_PATTERN = rf"^[^{_CONTROL}]*$"
NAME_PATTERN = rf"^[^{_CONTROL}]*[^\s{_CONTROL}][^{_CONTROL}]*$"


def _parse_day(value: object) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD, from 1990-01-01 to 2100-12-31")
    return dt.date.fromisoformat(value)


Day = Annotated[
    dt.date,
    BeforeValidator(_parse_day),
    WithJsonSchema({"type": "string", "pattern": DAY_PATTERN, "examples": ["2026-03-12"]}),
]
"""A local calendar date, as the user lives it (their own zone)."""


def _integral(value: object) -> object:
    """JSON Schema counts 3.0 as an integer: accept it as 3 (strict mode still refuses "3" and true)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def Whole(minimum: int, maximum: int) -> type:
    """A whole number in [minimum, maximum], as JSON Schema means it (3.0 included).

    The bounds sit inside the validator, so the document states them as minimum/maximum.
    """
    return Annotated[int, Field(ge=minimum, le=maximum), BeforeValidator(_integral)]


def Text(max_length: int) -> type:
    """Free text up to ``max_length`` characters, surrounding spaces trimmed."""
    return Annotated[str, Field(max_length=max_length, pattern=TEXT_PATTERN), AfterValidator(str.strip)]


def Name(max_length: int) -> type:
    """Like Text, but with at least one visible character."""
    return Annotated[str, Field(min_length=1, max_length=max_length, pattern=NAME_PATTERN), AfterValidator(str.strip)]


class RequestModel(BaseModel):
    """Request bodies: strict types (no "true" for true), unknown fields refused."""

    model_config = ConfigDict(strict=True, extra="forbid")


class ResponseModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class PageQuery(BaseModel):
    """?limit=&offset= for every list."""

    model_config = ConfigDict(extra="ignore")

    limit: int = Field(50, ge=1, le=100, description="How many items to return (1–100).")
    offset: int = Field(0, ge=0, le=1_000_000, description="How many items to skip.")


class PageMeta(ResponseModel):
    total: int = Field(description="Items in the whole list.")
    limit: int
    offset: int
    next_offset: int | None = Field(description="The offset of the next page, or null on the last page.")


class FieldError(BaseModel):
    detail: str
    pointer: str | None = Field(None, description="JSON pointer to the body field, e.g. #/performed_on.")
    parameter: str | None = Field(None, description="The query or path parameter at fault.")


class Problem(BaseModel):
    """An error, as RFC 9457 describes it."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] | None = Field(None, description="Validation failures, one per field.")


class Empty(BaseModel):
    """No body (204)."""
