"""Queries scoped to one user, and the translation of rows into the core's plain values.

Every read of a user's data goes through here, so "another user's id answers
404" is enforced in one place, and the web pages, feed and reminders all hand
the engine identical inputs.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TypeVar

import sqlalchemy as sa

from planner.core.ingredients import classify
from planner.core.model import (
    Cadence,
    CadenceKind,
    Classification,
    ExosomeSource,
    Intensity,
    Overrides,
    ProcedureInput,
    ProductClass,
    ProductInput,
    Profile,
    SafetyAnswers,
    Slot,
)
from planner.extensions import db
from planner.storage.models import Procedure, Product, User

Owned = TypeVar("Owned", Procedure, Product)


def get_owned(model: type[Owned], record_id: int, user: User) -> Owned | None:
    """The record if it belongs to this user, else None (callers answer 404)."""
    return db.session.scalar(sa.select(model).where(model.id == record_id, model.user_id == user.id))


def list_procedures(user: User) -> list[Procedure]:
    return list(
        db.session.scalars(
            sa.select(Procedure).where(Procedure.user_id == user.id).order_by(Procedure.performed_on, Procedure.id)
        )
    )


def list_products(user: User, *, active_only: bool = False) -> list[Product]:
    query = sa.select(Product).where(Product.user_id == user.id)
    if active_only:
        query = query.where(Product.is_active.is_(True))
    return list(db.session.scalars(query.order_by(Product.name, Product.id)))


def profile_of(user: User) -> Profile:
    return Profile(
        timezone=user.timezone,
        serum_slot=Slot(user.serum_slot),
        safety=SafetyAnswers(
            active_cancer=user.active_cancer,
            active_skin_infection=user.active_skin_infection,
            pregnant=user.pregnant,
            breastfeeding=user.breastfeeding,
            skin_cancer_history=user.skin_cancer_history,
            isotretinoin_last_6_months=user.isotretinoin_last_6_months,
            dermatologist_approved=user.dermatologist_approved_at is not None,
        ),
    )


def procedure_input(row: Procedure) -> ProcedureInput:
    return ProcedureInput(
        id=row.id,
        kind=row.kind,
        date=row.performed_on,
        intensity=Intensity(row.intensity),
        overrides=Overrides(
            washout_days_before=row.washout_days_override,
            retinoid_days_after=row.retinoid_days_override,
            actives_days_after=row.actives_days_override,
        ),
    )


def product_classification(row: Product) -> Classification:
    return _classify_cached(row.ingredients or "")


@functools.lru_cache(maxsize=2048)
def _classify_cached(text: str) -> Classification:
    """Every page, feed and email classifies the same few lists again: remember them.

    Keys are bounded by the product form (20,000 characters), so the cache stays small.
    """
    return classify(text)


def effective_classes(row: Product, detected: Classification | None = None) -> frozenset[ProductClass]:
    """The user's correction wins over detection; an exosome source marks an exosome serum."""
    if row.classes_override:
        return frozenset(ProductClass(c) for c in row.classes_override.split(",") if c)
    classes = set((detected or product_classification(row)).classes)
    if row.exosome_source:
        classes.add(ProductClass.EXOSOME)
        classes.discard(ProductClass.GENTLE)
    return frozenset(classes)


def cadence_of(row: Product) -> Cadence:
    weekdays = frozenset(int(d) for d in row.cadence_weekdays.split(",") if d.strip().isdigit())
    kind = CadenceKind(row.cadence_kind)
    every_n = 2 if kind is CadenceKind.EVERY_OTHER_DAY else max(1, row.cadence_every_n or 1)
    return Cadence(kind=kind, every_n_days=every_n, weekdays=weekdays, anchor=row.cadence_anchor)


def product_input(row: Product) -> ProductInput:
    detected = product_classification(row)
    classes = effective_classes(row, detected)
    return ProductInput(
        id=row.id,
        name=row.name,
        classes=classes,
        retinoid_strength=detected.retinoid_strength if ProductClass.RETINOID in classes else None,
        cadence=cadence_of(row),
        slot=Slot(row.slot) if row.slot else None,
        exosome_source=ExosomeSource(row.exosome_source) if row.exosome_source else None,
        is_plated=row.is_plated,
    )


def engine_inputs(user: User) -> tuple[Profile, list[ProcedureInput], list[ProductInput]]:
    """Everything the engine needs for one user, in two queries."""
    procedures = [procedure_input(p) for p in list_procedures(user)]
    products = [product_input(p) for p in list_products(user, active_only=True)]
    return profile_of(user), procedures, products


def local_today(user: User, now: dt.datetime | None = None) -> dt.date:
    from zoneinfo import ZoneInfo

    now = now or dt.datetime.now(dt.timezone.utc)
    return now.astimezone(ZoneInfo(user.timezone)).date()
