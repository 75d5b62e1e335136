"""The API blueprint every resource module adds its views to."""

from __future__ import annotations

from flask import Blueprint

PREFIX = "/api/v1"

bp = Blueprint("api", __name__, url_prefix=PREFIX)

#: Ids in paths. Bounds are checked by the views (MAX_ID), not by werkzeug's converter: a
#: converter that refuses a value makes werkzeug answer 405 instead of 404.
ID = "int"
#: The largest id any database's integer column holds; the document states the same bounds.
MAX_ID = 2_147_483_647
