"""Queries scoped to one user.

Every read of a user's records for the pages goes through here, so "another user's id answers
404" is enforced in one place. The engine's inputs are loaded by the plan service
(planner.planning.inputs).
"""

from __future__ import annotations

from typing import TypeVar

import sqlalchemy as sa

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
