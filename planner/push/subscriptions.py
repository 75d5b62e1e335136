"""A user's push subscriptions: add (from the browser), list (to send), remove (gone, or turned off)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

import sqlalchemy as sa

from planner.extensions import db
from planner.storage.models import PushSubscription, User

MAX_PER_USER = 10
_table = PushSubscription.__table__


class SubscriptionError(ValueError):
    """What the browser sent is not a usable subscription; the message says why."""


def _key(value, name: str, length: int) -> str:
    if not isinstance(value, str) or len(value) > 200:
        raise SubscriptionError(f"The subscription's {name} key is missing.")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise SubscriptionError(f"The subscription's {name} key is not base64url.") from None
    if len(raw) != length:
        raise SubscriptionError(f"The subscription's {name} key has the wrong length.")
    return value


def parse(data) -> tuple[str, str, str]:
    """(endpoint, p256dh, auth) from a browser's ``PushSubscription.toJSON()``."""
    if not isinstance(data, dict):
        raise SubscriptionError("Send the subscription as a JSON object.")
    endpoint = data.get("endpoint")
    if not isinstance(endpoint, str) or len(endpoint) > 1000:
        raise SubscriptionError("The subscription has no endpoint.")
    parts = urlsplit(endpoint)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise SubscriptionError("The subscription's endpoint is not a web address.")
    keys = data.get("keys")
    if not isinstance(keys, dict):
        raise SubscriptionError("The subscription has no keys.")
    return endpoint, _key(keys.get("p256dh"), "p256dh", 65), _key(keys.get("auth"), "auth", 16)


def save(user: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Store (or move to this user, refreshing its keys) one browser's subscription; switch push on."""
    row = db.session.scalar(sa.select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if row is None:
        count = db.session.scalar(sa.select(sa.func.count()).where(PushSubscription.user_id == user.id))
        if count >= MAX_PER_USER:
            raise SubscriptionError(f"At most {MAX_PER_USER} browsers can get notifications; turn one off first.")
        row = PushSubscription(user_id=user.id, endpoint=endpoint, p256dh=p256dh, auth=auth)
        db.session.add(row)
    else:  # the same browser, re-subscribed, or signed in to another account now
        row.user_id, row.p256dh, row.auth = user.id, p256dh, auth
    user.push_enabled = True
    db.session.commit()
    return row


def remove(user: User, endpoint: str | None = None) -> int:
    """Forget one of the user's browsers (or all); push goes off when none is left."""
    condition = [_table.c.user_id == user.id]
    if endpoint is not None:
        condition.append(_table.c.endpoint == endpoint)
    removed = db.session.execute(sa.delete(_table).where(*condition)).rowcount
    if not count(user.id):
        user.push_enabled = False
    db.session.commit()
    return removed


def count(user_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(_table).where(_table.c.user_id == user_id))


def of_users(user_ids: Sequence[int]) -> dict[int, list]:
    """Each user's subscriptions (Core rows), for a dispatch batch."""
    found: dict[int, list] = {}
    for start in range(0, len(user_ids), 1000):
        for row in db.session.execute(sa.select(_table).where(_table.c.user_id.in_(list(user_ids[start:start + 1000])))
                                      .order_by(_table.c.id)):
            found.setdefault(row.user_id, []).append(row)
    return found


def forget_gone(subscription_ids: Iterable[int]) -> None:
    """Delete subscriptions the push service answered 404 or 410 (expired, unsubscribed); not committed."""
    ids = list(subscription_ids)
    if not ids:
        return
    owners = set(db.session.scalars(sa.select(_table.c.user_id).where(_table.c.id.in_(ids))))
    db.session.execute(sa.delete(_table).where(_table.c.id.in_(ids)))
    for user_id in owners:
        if not count(user_id):
            db.session.execute(sa.update(User.__table__).where(User.__table__.c.id == user_id).values(push_enabled=False))


def mark_delivered(subscription_ids: Iterable[int], at) -> None:
    ids = list(subscription_ids)
    if ids:
        db.session.execute(sa.update(_table).where(_table.c.id.in_(ids)).values(last_success_at=at))
