"""Every throttle on an account action, in one module, so the rules read in one place.

- **Log-in**: per account *and* client address, plus per address. A stranger who guesses at
  someone's password slows only their own address down: the owner, elsewhere, still logs in.
- **Password reset requests**: their own buckets, so a throttled log-in never closes the way
  back in.
- **Password checks** of a logged-in session (password change, account deletion): per account.
- **Sign-up**: per client address and hour.
- **Account emails** (confirmation, reset, "someone tried to sign up"): at most a few per
  recipient address and hour, whatever asks for them.

In-process (see planner/ratelimit.py for the multi-worker caveat): enough to turn a guessing
loop into a crawl; a reverse-proxy limit belongs in front of it in production.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import Flask, current_app, request

from planner.accounts.rules import normalise_email
from planner.ratelimit import RateLimiter, retry_after

EXTENSION = "afterglow_throttles"
HOUR = 3600.0


def init_app(app: Flask, clock: Callable[[], float] = time.monotonic) -> None:
    """Fresh buckets for every throttle; ``clock`` is the time they count in (tests hold it still)."""
    config = app.config
    per_minute = int(config.get("LOGIN_ATTEMPTS_PER_MINUTE", 10))
    app.extensions[EXTENSION] = {
        "login": RateLimiter(per_minute, clock),
        "login_address": RateLimiter(per_minute * 3, clock),
        "reset": RateLimiter(per_minute, clock),
        "reset_address": RateLimiter(per_minute * 3, clock),
        "password_check": RateLimiter(int(config.get("PASSWORD_CHECKS_PER_MINUTE", 5)), clock),
        "signup_address": RateLimiter(int(config.get("SIGNUPS_PER_ADDRESS_PER_HOUR", 10)), clock, period_seconds=HOUR),
        "account_email": RateLimiter(int(config.get("ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR", 3)), clock,
                                     period_seconds=HOUR),
    }


def _hit(name: str, key: str) -> float:
    return current_app.extensions[EXTENSION][name].hit(key)


def _client() -> str:
    return request.remote_addr or ""


def _answer(wait: float) -> str | None:
    return retry_after(wait) if wait else None


def login(email: str) -> str | None:
    """Count a log-in attempt; the seconds to wait (Retry-After), or None."""
    address = _client()
    return _answer(_hit("login_address", address) or _hit("login", f"{normalise_email(email)}|{address}"))


def reset_request(email: str) -> str | None:
    address = _client()
    return _answer(_hit("reset_address", address) or _hit("reset", f"{normalise_email(email)}|{address}"))


def password_check(user_id: int) -> str | None:
    """Count a password check of a logged-in session (change password, delete account)."""
    return _answer(_hit("password_check", str(user_id)))


def signup() -> str | None:
    return _answer(_hit("signup_address", _client()))


def account_email(email: str) -> str | None:
    """Count an account email to this address; when it had its share this hour, the wait."""
    return _answer(_hit("account_email", normalise_email(email)))


def in_words(wait: str) -> str:
    """A Retry-After value as people read it: "40 seconds", "12 minutes"."""
    seconds = int(wait)
    return f"{seconds} seconds" if seconds < 120 else f"{-(-seconds // 60)} minutes"
