"""The installable web app: the manifest and the service worker.

The service worker (static/sw.js) is served from the site's root, because a worker only controls
pages under its own path: from /static/ it could never see /plan/. It keeps the plan pages it
last fetched, shows them offline marked as such, and queues done/skip marks made offline until
the network is back. Both files are static: no inline script, nothing from another origin.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, send_from_directory, url_for

bp = Blueprint("app_shell", __name__)

THEME_COLOUR = "#c4536b"
BACKGROUND_COLOUR = "#fffaf7"


@bp.get("/manifest.webmanifest")
def manifest():
    icon = lambda name, size, purpose="any": {  # noqa: E731 - three lines of data
        "src": url_for("static", filename=f"icons/{name}"), "sizes": size, "type": "image/png", "purpose": purpose}
    response = jsonify({
        "name": "Afterglow",
        "short_name": "Afterglow",
        "description": "Your skincare routine around in-office skin procedures.",
        "id": url_for("plan.week"),
        "start_url": url_for("plan.week"),
        "scope": "/",
        "display": "standalone",
        "background_color": BACKGROUND_COLOUR,
        "theme_color": THEME_COLOUR,
        "icons": [icon("icon-192.png", "192x192"), icon("icon-512.png", "512x512"),
                  icon("icon-maskable-512.png", "512x512", "maskable"),
                  {"src": url_for("static", filename="icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    })
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/sw.js")
def service_worker():
    response = send_from_directory(current_app.static_folder, "sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"  # browsers check for a new worker on every visit
    response.headers["Service-Worker-Allowed"] = "/"
    return response
