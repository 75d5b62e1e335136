"""Sessions: what a session cookie names, and how a session starts and ends on the server.

Flask's session is a signed cookie, so "logging out" in the browser alone would leave a copied
cookie working. The session id therefore names the account's id, its ``account_key`` (random,
never reused: a deleted account's cookie can never open an account that later got its id) and
its session generation (``login_version``). Logging out and changing the password bump the
generation, which ends every session of the account, on every browser, at once.

Starting a session also replaces the CSRF secret, so a token seen before log-in (on a shared
computer, or planted by another site) is useless after it.
"""

from __future__ import annotations

import secrets

from flask import current_app, g, session
from flask_login import login_user, logout_user

from planner.extensions import db, login_manager
from planner.storage.models import User


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The account a session cookie names, if the cookie is still that account's current session."""
    user_id, _, rest = session_id.partition(":")
    account_key, _, generation = rest.partition(":")
    if not user_id.isdigit() or not generation.isdigit() or len(user_id) > 18:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.login_version != int(generation):
        return None
    if not secrets.compare_digest(user.account_key.encode(), account_key.encode()):
        return None
    return user


def log_in(user: User) -> None:
    _new_csrf_secret()
    login_user(user)


def log_out(user: User) -> None:
    """End every session of this account (the generation moves on), then this browser's."""
    user.login_version += 1
    db.session.commit()
    logout_user()
    _new_csrf_secret()


def end_other_sessions(user: User) -> None:
    """After a password change: every other browser is logged out, this one stays in."""
    user.login_version += 1
    db.session.commit()
    log_in(user)


def _new_csrf_secret() -> None:
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    session.pop(field, None)
    g.pop(field, None)
