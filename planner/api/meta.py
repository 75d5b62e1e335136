"""The OpenAPI document and its reference page, both served by the app itself (no CDN)."""

from __future__ import annotations

from flask import current_app, render_template

from planner.api.blueprint import bp
from planner.api.spec import document


@bp.get("/openapi.json")
def openapi_document():
    response = current_app.json.response(document())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/docs")
def reference():
    """A readable reference rendered from the same document: operations, parameters, schemas."""
    doc = document()
    operations = [
        (path, method.upper(), operation)
        for path, item in doc["paths"].items()
        for method, operation in item.items()
    ]
    by_tag: dict[str, list] = {}
    for path, method, operation in operations:
        by_tag.setdefault((operation.get("tags") or ["Other"])[0], []).append((path, method, operation))
    return render_template("api/reference.html", doc=doc, by_tag=by_tag, schemas=doc["components"]["schemas"])
