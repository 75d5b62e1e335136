"""Web adapter: blueprints, forms and page helpers around the pure core."""

from __future__ import annotations

from flask import Flask

from planner import feed
from planner.accounts import throttles
from planner.push import web as push_web
from planner.web import (
    account, app_shell, auth, checkins, email_actions, email_confirmation, errors, headers, health, input_guard, pages,
    password_reset, plan, procedures, products, settings,
)
from planner.web.converters import RecordIdConverter


def register(app: Flask) -> None:
    """Attach every blueprint, the login rules, the error pages and the security headers."""
    app.url_map.converters["id"] = RecordIdConverter  # before any route uses it
    auth.init_login(app)
    headers.init_app(app)
    input_guard.init_app(app)
    throttles.init_app(app)
    errors.register(app)
    pages.register_filters(app)
    for module in (pages, auth, password_reset, email_confirmation, account, plan, procedures, products, settings,
                   email_actions, health, app_shell, push_web, checkins):
        app.register_blueprint(module.bp)
    feed.register(app)
