"""Your data: everything Afterglow holds about one person, as JSON, and their plan as iCalendar.

One document, from ``as_json``, for the settings page's download and the API's /api/v1/export
alike; the API describes it with models made from the same tables (api/schemas/export.py).

Every column of every table that belongs to the account is written, except the secrets
(``SECRET_COLUMNS``): the password hash, the account key and the session generation, the feed
link's nonce and token hash. A test checks that the export has every other column, so a new
column shows up here without anyone having to remember.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa

from planner.extensions import db
from planner.feed import publish
from planner.storage.models import (
    AdherenceMark, ApiToken, FeedState, FeedToken, Procedure, Product, ReminderSend, SkinCheckIn, User,
)
from planner.planning import effective_classes, product_classification

FORMAT_VERSION = 1
#: Never exported: credentials, or enough to make one.
SECRET_COLUMNS = {
    "users": {"password_hash", "account_key", "login_version"},
    "feed_tokens": {"nonce", "token_sha256"},
    "api_tokens": {"token_sha256"},
}
#: Bookkeeping that names rows or other machines, not the person.
INTERNAL_COLUMNS = {"id", "user_id", "claimed_by"}


def as_json(user: User, now_at: dt.datetime) -> dict:
    """The account's data, JSON-ready (dates and instants as ISO 8601, instants in UTC)."""
    return {
        "format": "afterglow-export",
        "version": FORMAT_VERSION,
        "exported_at": _value(now_at),
        "profile": _row(user),
        "procedures": [_row(row) for row in _rows(Procedure, user, Procedure.performed_on)],
        "products": [_product(row) for row in _rows(Product, user, Product.name)],
        "adherence_marks": [_row(row) for row in _rows(AdherenceMark, user, AdherenceMark.local_day)],
        "skin_checkins": _checkins(user),
        "reminders_sent": [_row(row) for row in _rows(ReminderSend, user, ReminderSend.local_day)],
        "api_tokens": [_row(row) for row in _rows(ApiToken, user, ApiToken.created_at)],
        "calendar_feed": {
            "link": _one(FeedToken, user),
            "published": _one(FeedState, user),
        },
    }


def as_ics(user: User) -> bytes:
    """The same calendar the private feed serves (without needing a feed link)."""
    published = db.session.scalar(sa.select(FeedState.inputs_sha256).where(FeedState.user_id == user.id))
    return publish.render(user, published or "export").body


def _checkins(user: User) -> list[dict]:
    """The skin check-in answers, each naming its procedure by kind and date (ids are not exported)."""
    rows = db.session.execute(
        sa.select(SkinCheckIn, Procedure.kind, Procedure.performed_on).join(Procedure)
        .where(SkinCheckIn.user_id == user.id).order_by(SkinCheckIn.local_day, SkinCheckIn.id))
    return [{**{k: v for k, v in _row(row).items() if k != "procedure_id"},
             "procedure_kind": kind, "procedure_performed_on": _value(performed_on)}
            for row, kind, performed_on in rows]


def _rows(model, user: User, order):
    return db.session.scalars(sa.select(model).where(model.user_id == user.id).order_by(order, model.id))


def _one(model, user: User) -> dict | None:
    row = db.session.scalar(sa.select(model).where(model.user_id == user.id))
    return _row(row) if row is not None else None


def exported_columns(table: sa.Table) -> list[sa.Column]:
    """The columns of ``table`` the export writes: all but secrets and internal bookkeeping."""
    hidden = SECRET_COLUMNS.get(table.name, set()) | INTERNAL_COLUMNS
    return [column for column in table.columns if column.name not in hidden]


def _row(row) -> dict:
    return {column.name: _value(getattr(row, column.key)) for column in exported_columns(row.__table__)}


def _product(row: Product) -> dict:
    detected = product_classification(row)
    return {
        **_row(row),
        "classification": {
            "classes": sorted(c.value for c in effective_classes(row, detected)),
            "detected": [
                {"class": m.product_class.value, "ingredient": m.ingredient, "position": m.position, "note": m.note}
                for m in detected.matches
            ],
            "ignored": [{"ingredient": name, "why": why} for name, why in detected.ignored],
            "corrected_by_you": row.classes_override is not None,
        },
    }


def _value(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value
