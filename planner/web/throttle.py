"""Slowing down password guessing: log-in and password-reset attempts per account and per address.

Counted in RATELIMIT_STORAGE_URI (planner/ratelimit.py): per process with memory://, shared
by every worker on every host with Redis, which is what production uses.
"""

from __future__ import annotations

from flask import Flask, current_app, request

from planner.ratelimit import RateLimiter, retry_after

EXTENSION = "afterglow_throttle"


def init_app(app: Flask) -> None:
    per_account = int(app.config.get("LOGIN_ATTEMPTS_PER_MINUTE", 10))
    app.extensions[EXTENSION] = {
        "account": RateLimiter(per_account),
        "address": RateLimiter(per_account * 3),
    }


def wait_seconds(kind: str, email: str) -> str | None:
    """Count an attempt of `kind` ("login", "reset") for this email and client; seconds to wait, or None."""
    limiters = current_app.extensions[EXTENSION]
    address = request.remote_addr or ""
    wait = limiters["address"].hit(f"{kind}:{address}") or limiters["account"].hit(f"{kind}:{email.strip().lower()}")
    return retry_after(wait) if wait else None
