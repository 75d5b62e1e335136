"""Afterglow: plans a skincare routine around in-office skin procedures."""

from __future__ import annotations

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from planner import ratelimit
from planner.config import PROJECT_ROOT, load_config
from planner.extensions import csrf, db, login_manager, migrate
from planner.redact import mask_werkzeug_access_log


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, commands — in that order."""
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("AFTERGLOW_INSTANCE_PATH")
    app = Flask(__name__, template_folder="../templates", instance_path=instance_path, instance_relative_config=True)
    load_config(app, test_config)
    mask_werkzeug_access_log()

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    ratelimit.init_app(app)

    from planner import api, cli, web
    from planner.reminders import next_due

    next_due.watch()  # a saved change to when a user's message goes resets their next-due instant
    web.register(app)
    api.register(app)
    cli.register(app)
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies:  # outermost (around the feed's fast path): trust exactly this many X-Forwarded-For/-Proto hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    return app

