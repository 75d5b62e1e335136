"""Finding and creating accounts, with the same rules and the same work whoever asks."""

from __future__ import annotations

import functools

import sqlalchemy as sa
from flask import Config
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from planner.accounts import places, rules
from planner.extensions import db
from planner.storage.models import User


def find_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == rules.normalise_email(email)))


@functools.cache
def _dummy_hash() -> str:
    return generate_password_hash("not anyone's password")


def spend_a_password_check(password: str) -> None:
    """The work of checking a password, for an address with no account: both answers take as long."""
    check_password_hash(_dummy_hash(), password)


def _zone_or_default(zone: str | None, config: Config) -> str:
    """The zone the browser reported (or a place typed), else the default: the profile corrects it."""
    try:
        return places.find_zone(zone or "")
    except places.UnknownZone:
        return config["DEFAULT_TIMEZONE"]


def create(email: str, password: str, zone: str | None, config: Config, *, verified_at=None) -> User | None:
    """A new account with the default times; None when the address was taken a moment ago."""
    user = User(email=email, timezone=_zone_or_default(zone, config), email_verified_at=verified_at)
    rules.apply_default_times(user, config)
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # the same address signed up twice at once
        db.session.rollback()
        return None
    return user


def sign_up(email: str, password: str, zone: str | None, config: Config) -> tuple[User | None, bool]:
    """(the account with this address, whether it was just created), with the same work either way.

    An existing account is left exactly as it was; hashing a dummy password costs what hashing
    the new account's would have.
    """
    existing = find_by_email(email)
    if existing is None:
        created = create(email, password, zone, config)
        if created is not None:
            return created, True
        return find_by_email(email), False  # the same address signed up twice at once
    spend_a_password_check(password)
    return existing, False
