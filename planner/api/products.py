"""/api/v1/products: list, create, read, replace, delete; each with what its ingredients say."""

from __future__ import annotations

from collections.abc import Iterable

from flask import url_for
from spectree import Response

from planner.api import auth
from planner.api.blueprint import ID, MAX_ID, bp
from planner.api.http import no_content, page_of, require_match, with_etag
from planner.api.problems import ApiProblem
from planner.api.schemas.common import PageQuery
from planner.api.schemas.products import (
    CadenceOut, Classification, IgnoredIngredient, Product, ProductIn, ProductPage, Trigger,
)
from planner.api.spec import IfMatchHeaders, spec
from planner.core import layering
from planner.core.model import Area, CadenceKind, ProductClass, ProductType
from planner.extensions import db
from planner.planning import effective_classes, local_today, product_classification
from planner.storage import models
from planner.storage import queries
from planner.storage.queries import get_owned

TAGS = ("Products",)


def products_out(rows: Iterable[models.Product]) -> list[Product]:
    return [_one(row) for row in rows]


def _one(row: models.Product) -> Product:
    detected = product_classification(row)
    classes = effective_classes(row, detected)
    return Product(
        id=row.id, name=row.name, brand=row.brand, ingredients=row.ingredients,
        exosome_source=row.exosome_source, is_plated=row.is_plated, slot=row.slot,
        product_type=row.product_type, type=_type(row, classes), areas=[a for a in row.areas.split(",") if a],
        cadence=_cadence(row), is_active=row.is_active,
        classes_override=row.classes_override.split(",") if row.classes_override else None,
        classification=Classification(
            detected_classes=sorted(c.value for c in detected.classes),
            classes=sorted(c.value for c in classes),
            retinoid_strength=detected.retinoid_strength.value if detected.retinoid_strength else None,
            triggers=[Trigger(product_class=m.product_class.value, ingredient=m.ingredient, position=m.position,
                              note=m.note) for m in detected.matches],
            ignored=[IgnoredIngredient(ingredient=name, reason=why) for name, why in detected.ignored],
        ),
        created_at=row.created_at, updated_at=row.updated_at,
    )


def _type(row: models.Product, classes: frozenset[ProductClass]) -> str | None:
    kind = row.product_type or layering.guess_type(row.name, classes)
    return None if kind is None else ProductType(kind).value


def _cadence(row: models.Product) -> CadenceOut:
    kind = row.cadence_kind
    return CadenceOut(
        kind=kind, anchor=row.cadence_anchor,
        every_n_days=row.cadence_every_n if kind == CadenceKind.EVERY_N_DAYS.value else None,
        weekdays=[int(d) for d in row.cadence_weekdays.split(",") if d] if kind == CadenceKind.WEEKDAYS.value else None,
    )


def _owned(product_id: int) -> models.Product:
    row = get_owned(models.Product, product_id, auth.current()) if 1 <= product_id <= MAX_ID else None
    if row is None:
        raise ApiProblem(404, f"You have no product {product_id}.")
    return row


def _fill(row: models.Product, body: ProductIn) -> None:
    """The same rules as the product form: an override equal to detection is no override."""
    row.name, row.brand, row.ingredients = body.name, body.brand, body.ingredients
    row.exosome_source, row.is_plated, row.slot, row.is_active = body.exosome_source, body.is_plated, body.slot, body.is_active
    row.product_type = body.product_type
    row.areas = ",".join(a.value for a in Area if a.value in body.areas)
    cadence = body.cadence
    row.cadence_kind = cadence.kind
    row.cadence_every_n = getattr(cadence, "every_n_days", 2)
    row.cadence_weekdays = ",".join(str(d) for d in sorted(getattr(cadence, "weekdays", [])))
    row.classes_override = None
    chosen = frozenset(ProductClass(c) for c in body.classes_override or [])
    if chosen and chosen != effective_classes(row):
        row.classes_override = ",".join(sorted(c.value for c in chosen))


@bp.get("/products")
@spec.validate(query=PageQuery, resp=Response(HTTP_200=ProductPage), tags=TAGS, operation_id="listProducts")
def list_products(query: PageQuery):
    """List products

    By name, with their classification: the classes the ingredient list gives, the
    ingredients that triggered each, and the user's correction.
    """
    rows, meta = page_of(queries.list_products(auth.current()), query)
    return ProductPage(items=products_out(rows), **meta)


@bp.post("/products")
@spec.validate(json=ProductIn, resp=Response(HTTP_201=Product), tags=TAGS, operation_id="createProduct")
def create_product(json: ProductIn):
    """Add a product"""
    user = auth.current()
    row = models.Product(user_id=user.id, cadence_anchor=local_today(user))
    _fill(row, json)
    db.session.add(row)
    db.session.commit()
    return with_etag(_one(row), 201, {"Location": url_for("api.get_product", product_id=row.id)})


@bp.get(f"/products/<{ID}:product_id>")
@spec.validate(resp=Response(HTTP_200=Product), tags=TAGS, operation_id="getProduct")
def get_product(product_id: int):
    """Read a product"""
    return with_etag(_one(_owned(product_id)))


@bp.put(f"/products/<{ID}:product_id>")
@spec.validate(json=ProductIn, headers=IfMatchHeaders, resp=Response(HTTP_200=Product), tags=TAGS,
               operation_id="replaceProduct")
def replace_product(product_id: int, json: ProductIn):
    """Replace a product

    Send every field (those left out take their defaults). With If-Match, a product changed
    since your read answers 412.
    """
    row = _owned(product_id)
    require_match(_one(row))
    _fill(row, json)
    db.session.commit()
    return with_etag(_one(row))


@bp.delete(f"/products/<{ID}:product_id>")
@spec.validate(headers=IfMatchHeaders, resp=Response("HTTP_204"), tags=TAGS, operation_id="deleteProduct")
def delete_product(product_id: int):
    """Delete a product"""
    row = _owned(product_id)
    require_match(_one(row))
    db.session.delete(row)
    db.session.commit()
    return no_content()
