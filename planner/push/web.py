"""The browser's side of Web Push: the app's public key, and saving or removing a subscription.

The profile's script (static/push.js) asks for the key, subscribes through the browser's push
service, and posts the subscription here as JSON with the page's CSRF token in ``X-CSRFToken``.
Bad input answers 400 with the reason, never a 500.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user, login_required

from planner.push import keys, subscriptions

bp = Blueprint("push", __name__, url_prefix="/push")


@bp.get("/key")
@login_required
def key():
    return jsonify(key=keys.application_server_key(current_app._get_current_object()))


@bp.post("/subscriptions")
@login_required
def subscribe():
    try:
        endpoint, p256dh, auth = subscriptions.parse(request.get_json(silent=True))
        subscriptions.save(current_user, endpoint, p256dh, auth)
    except subscriptions.SubscriptionError as error:
        return jsonify(error=str(error)), 400
    return jsonify(ok=True, message="Notifications are on for this device."), 201


@bp.post("/subscriptions/remove")
@login_required
def unsubscribe():
    data = request.get_json(silent=True)
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    if endpoint is not None and not isinstance(endpoint, str):
        return jsonify(error="The endpoint must be text."), 400
    removed = subscriptions.remove(current_user, endpoint)
    return jsonify(ok=True, removed=removed, push_enabled=bool(current_user.push_enabled))
