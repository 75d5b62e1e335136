"""The API blueprint every resource module adds its views to."""

from __future__ import annotations

from flask import Blueprint

from planner.api.spec import PREFIX

bp = Blueprint("api", __name__, url_prefix=PREFIX)

#: Ids in paths: positive, and small enough for any database's integer column.
ID = "int(min=1, max=2147483647)"
