"""Personal access tokens: made, found, listed and revoked; only their SHA-256 is stored.

A token is ``agw_`` + 43 URL-safe characters (256 random bits). The prefix lets a person, a
log scrubber or a secret scanner recognise it; the randomness makes a plain SHA-256 enough
(nothing to brute-force), so a request finds its row through a unique index in one query.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import re
import secrets

import sqlalchemy as sa

from planner.extensions import db
from planner.storage.models import ApiToken, User
from planner.storage.types import utcnow

PREFIX = "agw_"
TOKEN_PATTERN = re.compile(r"agw_[A-Za-z0-9_-]{43}")
MAX_NAME_LENGTH = 80
#: last_used_at is written at most this often per token, so reads stay reads.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class Scope(enum.StrEnum):
    READ = "read"  # GET only
    WRITE = "write"  # read and write


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(user: User, name: str, scope: Scope | str = Scope.READ) -> tuple[ApiToken, str]:
    """A new token for ``user``; the plain token is returned once and never stored. Commits."""
    name = name.strip()
    if not 1 <= len(name) <= MAX_NAME_LENGTH:
        raise ValueError(f"Give the token a name of 1 to {MAX_NAME_LENGTH} characters.")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, scope=Scope(scope).value, token_sha256=token_sha256(token))
    db.session.add(row)
    db.session.commit()
    return row, token


def find(token: str) -> ApiToken | None:
    """The row of a presented token, or None; malformed tokens cost no query."""
    if TOKEN_PATTERN.fullmatch(token) is None:
        return None
    return db.session.scalar(sa.select(ApiToken).where(ApiToken.token_sha256 == token_sha256(token)))


#: find_with_user's statement, built once (every API request runs it).
_TOKEN_WITH_USER = (sa.select(ApiToken, User).join(User, User.id == ApiToken.user_id)
                    .where(ApiToken.token_sha256 == sa.bindparam("sha256")))


def find_with_user(token: str) -> tuple[ApiToken, User] | None:
    """The token's row and its user in one query (every API request asks this)."""
    if TOKEN_PATTERN.fullmatch(token) is None:
        return None
    found = db.session.execute(_TOKEN_WITH_USER, {"sha256": token_sha256(token)}).first()
    return (found[0], found[1]) if found else None


def note_use(row: ApiToken) -> None:
    """Record that the token was used now (at most once per LAST_USED_RESOLUTION). Commits."""
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        row.last_used_at = now
        db.session.commit()


def list_for(user: User) -> list[ApiToken]:
    return list(db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def revoke(user: User, token_id: int) -> bool:
    """Delete one of the user's tokens; False when it is not theirs or already gone. Commits."""
    result = db.session.execute(sa.delete(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))
    db.session.commit()
    return bool(result.rowcount)
