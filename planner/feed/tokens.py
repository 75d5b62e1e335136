"""Private feed links: a token per user that can be shown again, rotated and revoked.

The token is HMAC-SHA256(secret key, nonce), 256 bits, URL-safe. The database
keeps the nonce (so the Calendar page can show the link again) and a SHA-256 of
the token (so a request finds its row through an index). A leaked database holds
neither a token nor enough to make one without the secret key; a leaked secret
key without the database names no nonce. Rotating the secret key therefore cuts
every link, as the README says. A request is accepted only when the HMAC
recomputed from the row's nonce equals the presented token (`hmac.compare_digest`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

import sqlalchemy as sa
from flask import current_app

from planner.extensions import db
from planner.feed import changes
from planner.links import Links
from planner.storage.models import FeedToken, User
from planner.storage.types import utcnow

#: 43 URL-safe characters: base64 of a 32-byte HMAC, unpadded.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
NONCE_BYTES = 32
_TOKEN_CONTEXT = b"afterglow feed token\x00"
_UID_CONTEXT = b"afterglow feed uid\x00"


def _key() -> bytes:
    return str(current_app.config["SECRET_KEY"]).encode()


def derive_token(nonce: str) -> str:
    """The link token for a stored nonce (needs the secret key)."""
    digest = hmac.new(_key(), _TOKEN_CONTEXT + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_well_formed(token: str) -> bool:
    return TOKEN_PATTERN.fullmatch(token) is not None


def matches(token: str, nonce: str) -> bool:
    """Constant-time check that ``token`` was made from ``nonce`` with this server's key."""
    return hmac.compare_digest(derive_token(nonce).encode(), token.encode())


def uid_suffix(user_id: int, host: str) -> str:
    """A stable, opaque per-user part of every event UID (no user id in the feed)."""
    tag = hmac.new(_key(), _UID_CONTEXT + str(user_id).encode(), hashlib.sha256).hexdigest()[:16]
    return f"{tag}@{host}"


def token_row(user: User) -> FeedToken | None:
    return db.session.scalar(sa.select(FeedToken).where(FeedToken.user_id == user.id))


def current_token(user: User) -> str | None:
    """The user's working token, or None (no link yet, revoked, or cut by a new secret key)."""
    row = token_row(user)
    if row is None:
        return None
    token = derive_token(row.nonce)
    return token if hmac.compare_digest(token_sha256(token), row.token_sha256) else None


def issue(user: User) -> str:
    """Create the user's link, or replace it: the old token stops working at once. Commits."""
    row = token_row(user)
    if row is None:
        row = FeedToken(user_id=user.id)
        db.session.add(row)
    row.nonce = secrets.token_urlsafe(NONCE_BYTES)
    token = derive_token(row.nonce)
    row.token_sha256 = token_sha256(token)
    row.created_at = utcnow()
    row.last_fetched_at = None
    row.last_user_agent = None
    row.fetch_count = 0
    db.session.commit()
    changes.bump()  # every worker drops its cached answer for the old token
    return token


def revoke(user: User) -> bool:
    """Delete the user's link; True when there was one. Commits."""
    result = db.session.execute(sa.delete(FeedToken).where(FeedToken.user_id == user.id))
    db.session.commit()
    changes.bump()
    return bool(result.rowcount)


def feed_links(token: str) -> tuple[str, str]:
    """The https (or configured http) link and its webcal:// twin."""
    url = Links.for_app(current_app).url("feed.feed", token=token)
    return url, "webcal://" + url.split("://", 1)[1]
