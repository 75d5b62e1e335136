"""Done and skipped marks on a day's steps: the only thing the plan records about the user's days."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from planner.core.model import Step, StepRole
from planner.extensions import db
from planner.storage.models import AdherenceMark, Product, User


class AdherenceStatus(enum.StrEnum):
    DONE = "done"
    SKIPPED = "skipped"


ADHERENCE_STATUSES = tuple(AdherenceStatus)


def step_key(step: Step) -> str:
    """Stable key of a step for adherence marks: the serum is one thing whatever product it is."""
    if step.role is StepRole.SERUM or step.product_id is None:
        return "serum"
    if step.twice:  # a product used morning and evening: each use is marked on its own
        return f"{product_step_key(step.product_id)}:{step.slot.value}"
    return product_step_key(step.product_id)


def product_step_key(product_id: int) -> str:
    return f"product:{product_id}"


def forget_product_marks(product: Product) -> None:
    """A deleted product's done/skip marks go with it (they would otherwise name its id forever)."""
    db.session.execute(sa.delete(AdherenceMark).where(
        AdherenceMark.user_id == product.user_id,
        AdherenceMark.step_key.in_([product_step_key(product.id)] + [
            f"{product_step_key(product.id)}:{slot}" for slot in ("morning", "evening")])))


#: Built once: every plan page and API plan runs it.
_MARKS_IN_RANGE = sa.select(AdherenceMark.local_day, AdherenceMark.step_key, AdherenceMark.status).where(
    AdherenceMark.user_id == sa.bindparam("user_id"), AdherenceMark.local_day >= sa.bindparam("start"),
    AdherenceMark.local_day < sa.bindparam("end"),
)


def adherence_marks(user: User, start: dt.date, end: dt.date) -> dict[tuple[dt.date, str], str]:
    rows = db.session.execute(_MARKS_IN_RANGE, {"user_id": user.id, "start": start, "end": end})
    return {(day, key): status for day, key, status in rows}


def record_marks(user: User, day: dt.date, keys: list[str], status: str | None) -> None:
    """Set (or clear, with None) the marks of some steps of one day, and commit.

    A double click or a double tap races the unique constraint at most once: retry once.
    """
    for attempt in range(2):
        try:
            for key in keys:
                set_mark(user, day, key, status)
            db.session.commit()
            return
        except IntegrityError:
            db.session.rollback()
            if attempt:
                raise


def set_mark(user: User, day: dt.date, key: str, status: str | None) -> None:
    """Record done/skipped for one step of one day; None clears the mark. Caller commits."""
    existing = db.session.scalar(
        sa.select(AdherenceMark).where(
            AdherenceMark.user_id == user.id, AdherenceMark.local_day == day, AdherenceMark.step_key == key
        )
    )
    if status is None:
        if existing is not None:
            db.session.delete(existing)
        return
    if status not in ADHERENCE_STATUSES:
        raise ValueError(f"unknown adherence status {status!r}")
    status = AdherenceStatus(status).value
    if existing is None:
        db.session.add(AdherenceMark(user_id=user.id, local_day=day, step_key=key, status=status))
    else:
        existing.status = status
