"""Signed, expiring tokens that name a user: password-reset and email-confirmation links.

One place decodes them, so an expired, tampered or malformed token is refused the same
way everywhere; each caller adds its own check of what the token is bound to.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from planner.extensions import db
from planner.storage.models import User


def make(salt: str, user: User, **bound) -> str:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt).dumps({"u": user.id, **bound})


def load(salt: str, token: str, max_age_seconds: int) -> tuple[User, dict] | None:
    """The user and the token's data, or None when expired, tampered, malformed or the user is gone."""
    try:
        data = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt).loads(token, max_age=max_age_seconds)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    return (user, data) if user is not None else None
