"""Products: the ingredient list, how often an exfoliant is used, and what the classifier found."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from planner.api.schemas.common import Name, PageMeta, RequestModel, ResponseModel, Text, Whole
from planner.core.model import Area, ProductClass, ProductType

ClassName = Literal[tuple(c.value for c in ProductClass)]  # type: ignore[valid-type]
SourceName = Literal["human", "animal", "plant", "unknown"]
SlotName = Literal["morning", "evening", "both"]
TypeName = Literal[tuple(t.value for t in ProductType)]  # type: ignore[valid-type]
AreaName = Literal[tuple(a.value for a in Area)]  # type: ignore[valid-type]
MAX_INGREDIENTS_CHARS = 20_000


def _distinct(values: list) -> list:
    if len(set(values)) != len(values):
        raise ValueError("list each value once")
    return values


class Daily(RequestModel):
    kind: Literal["daily"]


class EveryOtherDay(RequestModel):
    kind: Literal["every_other_day"]


class Weekdays(RequestModel):
    kind: Literal["weekdays"]
    weekdays: Annotated[
        list[Whole(0, 6)],
        Field(min_length=1, max_length=7, json_schema_extra={"uniqueItems": True},
              description="0 = Monday … 6 = Sunday."),
        AfterValidator(_distinct),
    ]


class EveryNDays(RequestModel):
    kind: Literal["every_n_days"]
    every_n_days: Whole(2, 30)


Cadence = Annotated[Daily | EveryOtherDay | Weekdays | EveryNDays, Field(discriminator="kind")]
"""How often an exfoliant is used; the plan never makes up a missed day."""


class ProductIn(RequestModel):
    """A product as the user records it (POST creates, PUT replaces)."""

    name: Name(120)
    brand: Text(120) = ""
    ingredients: Text(MAX_INGREDIENTS_CHARS) = Field("", description="The INCI list as printed on the box.")
    exosome_source: SourceName | None = Field(None, description="Set for an exosome serum.")
    is_plated: bool | None = Field(None, description="Plated (cultured) exosomes; null when unknown.")
    slot: SlotName | None = Field(
        None, description="Morning, evening or both; null: as usual for its type. An exfoliant goes on once a day "
                          "(both: the evening), a sunscreen in the morning.")
    product_type: TypeName | None = Field(None, description="Where it goes in a routine; null: guessed from the name.")
    areas: Annotated[
        list[AreaName],
        Field(min_length=1, max_length=len(Area), json_schema_extra={"uniqueItems": True},
              description="Where it is used: a procedure's windows pause it only on these areas."),
        AfterValidator(_distinct),
    ] = Field(default_factory=lambda: ["face"])
    cadence: Cadence = Field(default_factory=lambda: Daily(kind="daily"))
    classes_override: Annotated[
        list[ClassName] | None,
        Field(json_schema_extra={"uniqueItems": True},
              description="The user's correction of the detected classes; null (or empty) trusts the ingredients."),
        AfterValidator(lambda v: _distinct(v) if v else v),
    ] = None
    is_active: bool = Field(True, description="False keeps the product listed but out of the plan.")


class Trigger(ResponseModel):
    product_class: str
    ingredient: str
    position: int = Field(description="1-based position in the ingredient list.")
    note: str


class IgnoredIngredient(ResponseModel):
    ingredient: str
    reason: str


class Classification(ResponseModel):
    detected_classes: list[str] = Field(description="What the ingredient list says.")
    classes: list[str] = Field(description="What the plan uses: the user's correction wins.")
    retinoid_strength: str | None
    triggers: list[Trigger] = Field(description="The ingredients that put the product in each class.")
    ignored: list[IgnoredIngredient] = Field(description="Recognised ingredients deliberately not counted, with why.")


class CadenceOut(ResponseModel):
    kind: str
    every_n_days: int | None = None
    weekdays: list[int] | None = None
    anchor: dt.date = Field(description="The day the count starts from.")


class Product(ResponseModel):
    id: int
    name: str
    brand: str
    ingredients: str
    exosome_source: str | None
    is_plated: bool | None
    slot: str | None = Field(description="morning, evening, both, or null (as usual for its type).")
    product_type: str | None = Field(description="The type the user chose; null when it is guessed.")
    type: str | None = Field(description="The type the plan uses: the user's, else guessed from the name; null: unknown.")
    areas: list[str]
    cadence: CadenceOut
    classes_override: list[str] | None
    is_active: bool
    classification: Classification
    created_at: dt.datetime
    updated_at: dt.datetime


class ProductPage(PageMeta):
    items: list[Product]
