"""Slowing down password guessing: log-in and password-reset attempts per account and per address.

In-process (see planner/ratelimit.py for the multi-worker caveat): enough to turn a
guessing loop into a crawl; a reverse proxy limit belongs in front of it in production.
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
