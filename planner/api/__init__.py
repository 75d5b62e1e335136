"""The JSON API, /api/v1: every action of the pages but account management.

spec.py       the schema layer (spectree + pydantic): validation, serialisation, OpenAPI 3.1
schemas/      one module of pydantic models per resource
auth.py       bearer tokens or the browser session (+ CSRF), scopes; limits.py the rate limit
problems.py   RFC 9457 errors; http.py ETags, If-Match, pages, JSON bodies
procedures.py checkins.py products.py profile.py plan.py catalog.py feed_link.py export.py   the resources
meta.py       /openapi.json and the reference page; tokens.py + tokens_page.py  personal access tokens
"""

from __future__ import annotations

from flask import Flask, current_app, request

from planner.extensions import csrf


def register(app: Flask) -> None:
    """Attach the API and the tokens page to ``app``."""
    from planner.api import (  # noqa: F401  (importing a resource module adds its views)
        auth, catalog, checkins, export, feed_link, limits, meta, plan, problems, procedures, products, profile,
        tokens_page,
    )
    from planner.api.blueprint import bp
    from planner.api.blueprint import PREFIX

    if not bp.before_request_funcs:  # blueprint hooks are module state: attach them once per process
        problems.register(bp)
        bp.before_request(auth.authenticate)
        bp.before_request(_json_body)
    csrf.exempt(bp)  # session writes are checked in auth.authenticate; bearer writes need no CSRF token
    limits.init_app(app)
    app.register_blueprint(bp)
    app.register_blueprint(tokens_page.bp)
    problems.answer_routing_errors(app, PREFIX)


def _json_body() -> None:
    from planner.api.http import JSON_METHODS, check_json_body
    from planner.api.spec import spec

    if request.method not in JSON_METHODS:  # a read has no body to check: skip the view's metadata
        return
    view = current_app.view_functions.get(request.endpoint or "")
    metadata = spec.get_function_metadata(view) if view else None
    check_json_body(bool(metadata and metadata.json))
