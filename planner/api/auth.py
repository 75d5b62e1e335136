"""Who is calling: a personal access token (Authorization: Bearer …) or the browser session.

A token reaches only its own user's data, and a read token only reads. The browser session
works too (the pages' own scripts, or a person exploring the API), with full access but, for
anything that changes data, the same CSRF token the forms use (X-CSRFToken header): a cookie
alone is never enough to write. Bearer requests need no CSRF token, since no browser attaches
them by itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, request
from flask_login import current_user

from planner.api import limits, tokens
from planner.api.problems import ApiProblem
from planner.api.tokens import Scope
from planner.extensions import csrf
from planner.storage.models import User

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Endpoints anyone may read: the document and its reference page.
PUBLIC_ENDPOINTS = frozenset({"api.openapi_document", "api.reference"})


@dataclass(frozen=True)
class Caller:
    user: User
    scope: Scope
    via_token: bool


def caller() -> Caller:
    return g.api_caller


def current() -> User:
    """The user every API view acts for."""
    return g.api_caller.user


def authenticate() -> None:
    """Before every API request: rate limit, find the caller, check scope and CSRF."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.method == "OPTIONS":
        limits.check(f"address:{request.remote_addr}")
        return
    header = request.headers.get("Authorization")
    if header is not None:
        found = _from_token(header)
    elif current_user.is_authenticated:
        found = Caller(current_user._get_current_object(), Scope.WRITE, via_token=False)
    else:
        limits.check(f"address:{request.remote_addr}")
        raise _unauthorized("Send a personal access token: Authorization: Bearer agw_…", error=None)
    limits.check(f"user:{found.user.id}")
    if request.method not in SAFE_METHODS:
        if found.scope is not Scope.WRITE:
            raise ApiProblem(403, "This token can only read. Create a token with the write scope to change data.",
                             headers={"WWW-Authenticate": 'Bearer error="insufficient_scope", scope="write"'})
        if not found.via_token and current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()  # the forms' own check, which the blueprint's exemption skipped
    g.api_caller = found


def _from_token(header: str) -> Caller:
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        limits.check(f"address:{request.remote_addr}")
        raise _unauthorized("The Authorization header must read: Bearer <token>.", error="invalid_request")
    found = tokens.find_with_user(token.strip())
    if found is None:
        limits.check(f"address:{request.remote_addr}")  # guessing tokens is rate limited per address
        raise _unauthorized("This token is unknown or was revoked.", error="invalid_token")
    row, user = found
    tokens.note_use(row)
    return Caller(user, Scope(row.scope), via_token=True)


def _unauthorized(detail: str, error: str | None) -> ApiProblem:
    challenge = 'Bearer realm="afterglow"' + (f', error="{error}"' if error else "")
    return ApiProblem(401, detail, headers={"WWW-Authenticate": challenge})
