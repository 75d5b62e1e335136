"""The schema layer: one SpecTree (spectree + pydantic) validates requests, shapes responses
and generates the OpenAPI 3.1 document, so the three cannot drift apart.

Views declare their models with ``@spec.validate(...)``; ``document()`` asks spectree for the
paths and schemas and adds what spectree leaves to us: the problem responses every operation
can give, path parameter patterns, the bearer security scheme, and the links that let a client
(or schemathesis' stateful tests) follow a created resource to its reads and writes.
"""

from __future__ import annotations

import copy
import functools

from typing import Annotated

from flask import request
from pydantic import BaseModel, ConfigDict, Field, ValidationError, WithJsonSchema
from spectree import SpecTree
from spectree.utils import get_multidict_items

from planner.api.blueprint import MAX_ID
from planner.api.problems import ApiProblem, validation_errors
from planner.api.schemas.common import DAY_PATTERN, Problem
from planner.api.schemas.plan import STEP_PATTERN

API_VERSION = "1.0.0"


def _reject(req, resp, error: ValidationError | None, instance, model_adapter) -> None:
    """spectree's before-hook: a request that fails its schema becomes a 422 problem (never logged)."""
    if error is None:
        return
    title = getattr(error, "title", "")
    location = "query" if title.endswith("Query") else "header" if title.endswith("Headers") else "body"
    body = req.get_json(silent=True) if location == "body" else None
    raise ApiProblem(422, "Some fields are not valid; see errors.", errors=validation_errors(error, location, body),
                     title="Invalid request")


def validated_query(model: type[BaseModel]) -> BaseModel:
    """The query checked by ``model`` exactly as spectree checks it, for a view that skips spectree's
    validation of its (large) answer."""
    try:
        return model.model_validate(get_multidict_items(request.args, model))
    except ValidationError as error:
        _reject(request, None, error, None, None)
        raise


def _after(req, resp, error, instance, model_adapter) -> None:
    """Responses are model instances, serialised by pydantic: there is nothing to log here."""


spec = SpecTree(
    "flask",
    mode="strict",
    title="Afterglow API",
    version=API_VERSION,
    description=(
        "Everything the Afterglow pages let a person do, except account management, as JSON. "
        "Authenticate with a personal access token (`Authorization: Bearer agw_…`, made on the "
        "API tokens page or with `flask tokens create`). Errors are `application/problem+json` "
        "(RFC 9457). Writes accept `If-Match` with the ETag of the resource read. "
        "General information, not medical advice."
    ),
    openapi_version="3.1.0",
    page_templates={},  # the reference page is ours (no CDN): see views_meta.py
    before=_reject,
    after=_after,
    validation_error_status=422,
    validation_error_model=Problem,
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda parent, child: child,
    security_schemes=[{
        "name": "bearerAuth",
        "data": {"type": "http", "scheme": "bearer",
                 "description": "A personal access token, agw_ followed by 43 characters."},
    }],
    security={"bearerAuth": []},
)


class IfMatchHeaders(BaseModel):
    """The If-Match header of a write (any other header passes through)."""

    model_config = ConfigDict(extra="allow")

    if_match: Annotated[str | None, WithJsonSchema({"type": "string"})] = Field(
        None, alias="If-Match",
        description="The ETag from your last read; the write answers 412 if the resource changed since.",
        json_schema_extra=lambda schema: schema.pop("default", None),  # an absent header is absent, not null
    )


#: Path parameter → its schema (werkzeug converters only say "string").
PATH_PATTERNS = {"day": DAY_PATTERN, "step": STEP_PATTERN}

#: operationId → links from its success response to operations that take what it returns.
LINKS = {
    ("createProcedure", "201"): {"procedure_id": "$response.body#/id",
                                 "ops": ("getProcedure", "replaceProcedure", "deleteProcedure", "listCheckIns",
                                         "createCheckIn")},
    ("createProduct", "201"): {"product_id": "$response.body#/id",
                               "ops": ("getProduct", "replaceProduct", "deleteProduct")},
    ("createFeedLink", "201"): {"ops": ("getFeedLink", "deleteFeedLink")},
}

_PROBLEMS = {
    "400": "The request could not be read (malformed JSON, a NUL character or a file anywhere in it).",
    "401": "No token, or an unknown or revoked one.",
    "403": "The token may only read, or a browser session sent no CSRF token.",
    "404": "No such resource for this user.",
    "412": "If-Match does not match the resource's current ETag.",
    "415": "The body is not JSON.",
    "422": "A field is not valid; errors lists each one.",
    "429": "Too many requests; see Retry-After.",
}


@functools.cache
def document() -> dict:
    """The OpenAPI 3.1 document (built once per process: the routes never change after start-up)."""
    doc = copy.deepcopy(spec.spec)
    doc["jsonSchemaDialect"] = "https://spec.openapis.org/oas/3.1/dialect/base"
    schemas = doc["components"]["schemas"]
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            _complete(path, method, operation)
    for (operation_id, status), link in LINKS.items():
        response = _operation(doc, operation_id)["responses"][status]
        parameters = {k: v for k, v in link.items() if k != "ops"}
        response["links"] = {
            target[0].upper() + target[1:]: {"operationId": target, **({"parameters": parameters} if parameters else {})}
            for target in link["ops"]
        }
    schemas.pop("ValidationError", None)
    return doc


def _operation(doc: dict, operation_id: str) -> dict:
    for item in doc["paths"].values():
        for operation in item.values():
            if operation.get("operationId") == operation_id:
                return operation
    raise KeyError(operation_id)


def _complete(path: str, method: str, operation: dict) -> None:
    responses = operation["responses"]
    for status, response in list(responses.items()):
        content = response.get("content", {})
        if "application/json" in content and int(status) >= 400:
            response["content"] = {"application/problem+json": content["application/json"]}
        if status == "204":
            response.pop("content", None)
    takes_input = "requestBody" in operation or any(p["in"] in ("query", "header") for p in operation.get("parameters", []))
    if not takes_input:
        responses.pop("422", None)
    wanted = ["400", "401", "429"]  # 400: the input guard refuses a NUL or a file in any request
    if method != "get":
        wanted += ["403"]
    if "requestBody" in operation:
        wanted += ["415", "422"]
    if "{" in path:
        wanted += ["404"]
    if any(p.get("name") == "If-Match" for p in operation.get("parameters", [])):
        wanted += ["412"]
    for status in wanted:
        responses.setdefault(status, {
            "description": _PROBLEMS[status],
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        })
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path" and parameter["name"] in PATH_PATTERNS:
            parameter["schema"] = {"type": "string", "pattern": PATH_PATTERNS[parameter["name"]]}
        if parameter["in"] == "path" and parameter["schema"].get("type") == "integer":
            parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    if request_body := operation.get("requestBody"):
        request_body["required"] = True
