"""HTTP details every resource shares: ETags and If-Match, pages of a list, JSON bodies."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from flask import Response, current_app, request
from pydantic import BaseModel
from werkzeug.exceptions import BadRequest

from planner.api.problems import ApiProblem
from planner.api.schemas.common import PageQuery

JSON_METHODS = frozenset({"POST", "PUT", "PATCH"})


def etag_of(model: BaseModel) -> str:
    """A strong validator for a resource: a hash of its JSON representation."""
    return hashlib.sha256(model.model_dump_json().encode()).hexdigest()[:32]


def require_match(current: BaseModel) -> None:
    """Honour If-Match on a write: a stale ETag answers 412 and changes nothing."""
    condition = request.if_match
    if condition and not condition.star_tag and not condition.contains(etag_of(current)):
        raise ApiProblem(412, "The resource changed since you read it (If-Match does not match its ETag). "
                         "Read it again and retry.")


def with_etag(model: BaseModel, status: int = 200, headers: dict[str, str] | None = None) -> tuple:
    """A view's answer: the model (serialised by the schema layer) with its ETag."""
    return model, status, {"ETag": f'"{etag_of(model)}"', **(headers or {})}


def page_of(items: Sequence, query: PageQuery) -> tuple[list, dict]:
    """One page of ``items`` and the page's metadata."""
    total = len(items)
    chosen = list(items[query.offset:query.offset + query.limit])
    next_offset = query.offset + query.limit if query.offset + query.limit < total else None
    return chosen, {"total": total, "limit": query.limit, "offset": query.offset, "next_offset": next_offset}


def no_content() -> Response:
    return current_app.response_class(status=204)


def check_json_body(has_body_schema: bool) -> None:
    """A write with a body schema must send a JSON object; say so before field validation."""
    if request.method not in JSON_METHODS or not has_body_schema:
        return
    if not request.is_json:
        raise ApiProblem(415, "Send the body as JSON (Content-Type: application/json).")
    try:
        body = request.get_json()
    except BadRequest:
        raise ApiProblem(400, "The body is not valid JSON.") from None
    except RecursionError:  # the json module recurses per nesting level; no schema here nests deeply
        raise ApiProblem(400, "The body nests too deeply.") from None
    if not isinstance(body, dict):
        raise ApiProblem(422, "The body must be a JSON object.", errors=[{"detail": "must be an object", "pointer": "#"}])
