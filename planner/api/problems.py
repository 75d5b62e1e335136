"""Errors as application/problem+json (RFC 9457), for every failure under /api/v1.

Each answer names its status, a short title and a detail a person can act on; validation
failures add ``errors``, one entry per field (a JSON pointer into the body, or the name of a
query parameter). Unexpected exceptions become a 500 problem without a trace, and a database
that cannot be reached a 503: the API never answers with an HTML page.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from flask import Blueprint, Flask, Response, current_app, request
from flask_wtf.csrf import CSRFError
from pydantic import ValidationError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from planner.extensions import db

MEDIA_TYPE = "application/problem+json"


class ApiProblem(Exception):
    """Raise anywhere in an API view to answer with a problem document."""

    def __init__(self, status: int, detail: str, *, errors: list[dict] | None = None,
                 headers: dict[str, str] | None = None, title: str | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        self.title = title or HTTPStatus(status).phrase


def problem_response(status: int, detail: str, *, title: str | None = None, errors: list[dict] | None = None,
                     headers: dict[str, str] | None = None) -> Response:
    body = {"type": "about:blank", "title": title or HTTPStatus(status).phrase, "status": status, "detail": detail,
            "instance": request.path}
    if errors is not None:
        body["errors"] = errors
    response = current_app.response_class(json.dumps(body), status=status, mimetype=MEDIA_TYPE)
    response.headers.update(headers or {})
    response.headers["Cache-Control"] = "no-store"
    return response


def validation_errors(error: ValidationError, location: str, body: object = None) -> list[dict]:
    """Pydantic's errors as RFC 9457 entries; the input values are left out (they may be health data)."""
    entries = []
    for item in error.errors(include_url=False, include_input=False, include_context=False):
        detail = item["msg"].removeprefix("Value error, ")
        if location == "body":
            path = _body_path(item["loc"], body)
            entries.append({"detail": detail, "pointer": "#/" + "/".join(
                str(part).replace("~", "~0").replace("/", "~1") for part in path)})
        else:
            entries.append({"detail": detail, "parameter": str(item["loc"][0]) if item["loc"] else ""})
    return entries


def _body_path(loc: tuple, body: object) -> list:
    """The location as a path into the body that was sent.

    A tagged union (the cadence) puts the branch's tag ("weekdays") into pydantic's location;
    it is no field of the body, so it is dropped where the body has no such key.
    """
    path, node, tag_dropped = [], body, None
    for part in loc:
        if isinstance(node, dict) and node.get("kind") == part and tag_dropped is not node:
            tag_dropped = node  # the tag comes once, right after the union's own field
            continue
        path.append(part)
        node = node.get(part) if isinstance(node, dict) else node[part] if (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)) else None
    return path


def _from_problem(error: ApiProblem) -> Response:
    return problem_response(error.status, error.detail, title=error.title, errors=error.errors, headers=error.headers)


def _from_http(error: HTTPException) -> Response:
    status = error.code or 500
    headers = {}
    if getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    detail = {
        404: "There is no such resource. It may have been deleted, or the address is wrong.",
        405: f"{request.method} is not allowed here.",
        413: "The request body is larger than we accept.",
    }.get(status) or error.description or HTTPStatus(status).phrase
    return problem_response(status, detail, headers=headers)


def _from_csrf(error: CSRFError) -> Response:
    return problem_response(
        403, "A browser session must send its CSRF token in the X-CSRFToken header to change anything. "
        "Scripts should use a personal access token instead.",
    )


def _from_database_down(error: Exception) -> Response:
    db.session.rollback()
    current_app.logger.error("API: database unavailable on %s %s", request.method, request.path)
    return problem_response(503, "The database is unavailable. Try again in a minute.", headers={"Retry-After": "60"})


def _from_unexpected(error: Exception) -> Response:
    """A bug: log its type and place (never the request body), answer 500 without a trace."""
    db.session.rollback()
    current_app.logger.exception("API: unhandled %s on %s %s", type(error).__name__, request.method, request.path)
    return problem_response(500, "Something went wrong on our side. Nothing was changed; please try again.")


def register(bp: Blueprint) -> None:
    bp.register_error_handler(ApiProblem, _from_problem)
    bp.register_error_handler(CSRFError, _from_csrf)
    bp.register_error_handler(HTTPException, _from_http)
    bp.register_error_handler(OperationalError, _from_database_down)
    bp.register_error_handler(InterfaceError, _from_database_down)
    bp.register_error_handler(Exception, _from_unexpected)


def answer_routing_errors(app: Flask, prefix: str) -> None:
    """404 and 405 under the API prefix as problems, before any other hook (CSRF included) runs.

    Routing errors belong to no blueprint, so the app-wide HTML error pages would answer them;
    a before-request hook at the front of the app's list sees them first.
    """

    def hook():
        error = request.routing_exception
        if error is not None and request.path.startswith(prefix) and isinstance(error, HTTPException):
            if error.code in (301, 302, 307, 308):
                return None
            return _from_http(error)
        return None

    app.before_request_funcs.setdefault(None, []).insert(0, hook)
