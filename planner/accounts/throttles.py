"""Every throttle on an account action, in one module, so the rules read in one place.

- **Log-in**: per account *and* client address, plus per address. A stranger who guesses at
  someone's password slows only their own address down: the owner, elsewhere, still logs in.
- **Password reset requests**: their own buckets, so a throttled log-in never closes the way
  back in.
- **Password checks** of a logged-in session (password change, account deletion): per account.
- **Sign-up**: per client address and hour.
- **Account emails** (confirmation, reset, "someone tried to sign up"): at most a few per
  recipient address and hour, whatever asks for them.

Counted in the rate-limit store (planner/ratelimit.py): in each process with the default
``memory://``, shared by every worker and host through Redis in production.
"""

from __future__ import annotations

from flask import Flask, current_app, request

from planner.accounts.rules import normalise_email
from planner.ratelimit import RateLimiter, hit_all, retry_after

EXTENSION = "afterglow_throttles"
HOUR = 3600


def init_app(app: Flask) -> None:
    """The throttles' limiters, each with its own name in the shared store."""
    config = app.config
    per_minute = int(config.get("LOGIN_ATTEMPTS_PER_MINUTE", 10))
    limits = {
        "login": per_minute,
        "login_address": per_minute * 3,
        "reset": per_minute,
        "reset_address": per_minute * 3,
        "password_check": int(config.get("PASSWORD_CHECKS_PER_MINUTE", 5)),
    }
    per_hour = {
        "signup_address": int(config.get("SIGNUPS_PER_ADDRESS_PER_HOUR", 10)),
        "account_email": int(config.get("ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR", 3)),
    }
    app.extensions[EXTENSION] = {
        **{name: RateLimiter(limit, name=name) for name, limit in limits.items()},
        **{name: RateLimiter(limit, period_seconds=HOUR, name=name) for name, limit in per_hour.items()},
    }


def _hit(name: str, key: str) -> float:
    return current_app.extensions[EXTENSION][name].hit(key)


def _hit_both(first: tuple[str, str], then: tuple[str, str]) -> float:
    """Count ``first``, then (unless it refused) ``then``: one round trip to a shared store."""
    limiters = current_app.extensions[EXTENSION]
    return hit_all((limiters[first[0]], first[1]), (limiters[then[0]], then[1]))


def _client() -> str:
    return request.remote_addr or ""


def _answer(wait: float) -> str | None:
    return retry_after(wait) if wait else None


def login(email: str) -> str | None:
    """Count a log-in attempt; the seconds to wait (Retry-After), or None."""
    address = _client()
    return _answer(_hit_both(("login_address", address), ("login", f"{normalise_email(email)}|{address}")))


def reset_request(email: str) -> str | None:
    address = _client()
    return _answer(_hit_both(("reset_address", address), ("reset", f"{normalise_email(email)}|{address}")))


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
