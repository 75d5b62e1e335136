"""The API's rate limit: the one place the API touches the limiter.

It uses the same limiter as the pages (planner/ratelimit.py): counted in RATELIMIT_STORAGE_URI,
so with Redis every worker on every host shares one count.
"""

from __future__ import annotations

from flask import Flask, current_app

from planner.api.problems import ApiProblem
from planner.ratelimit import RateLimiter, retry_after

EXTENSION = "afterglow_api_limiter"


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = RateLimiter(int(app.config.get("API_RATE_LIMIT_PER_MINUTE", 120)), name="api")


def check(key: str) -> None:
    """Count one request for ``key`` (a user, or a client address before it has proved who it is)."""
    wait = current_app.extensions[EXTENSION].hit(key)
    if wait:
        seconds = retry_after(wait)
        raise ApiProblem(429, f"Too many requests. Wait {seconds} seconds, then try again.",
                         headers={"Retry-After": seconds})
