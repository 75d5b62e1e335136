"""Web adapter: blueprints, forms and page helpers around the pure core."""

from __future__ import annotations

from flask import Flask

from planner import feed
from planner.push import web as push_web
from planner.web import account, app_shell, auth, email_actions, email_confirmation, errors, pages, password_reset, plan, procedures, products, settings, throttle


def register(app: Flask) -> None:
    """Attach every blueprint, the login rules and the error pages."""
    auth.init_login(app)
    throttle.init_app(app)
    errors.register(app)
    pages.register_filters(app)
    for module in (pages, auth, password_reset, email_confirmation, account, plan, procedures, products, settings, email_actions, app_shell, push_web):
        app.register_blueprint(module.bp)
    feed.register(app)
