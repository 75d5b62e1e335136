"""Error pages: every failure answers with a reason, never a stack trace."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from planner.extensions import db

MESSAGES = {
    400: "The request could not be understood.",
    403: "You are not allowed to do that.",
    404: "There is nothing here. It may have been deleted, or the link is wrong.",
    405: "That page does not accept this kind of request.",
    413: "That was more data than we accept in one request.",
    429: "Too many requests. Please wait a minute and try again.",
    500: "Something went wrong on our side. Nothing you entered was lost; please try again.",
}


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def render_error(status: int, message: str | None = None):
    message = message or MESSAGES.get(status, "The request failed.")
    if _wants_json():
        return jsonify(error=message, status=status), status
    return render_template("error.html", status=status, message=message), status


def _wants_json() -> bool:
    """A client that asks for JSON alone gets its error as JSON (an API blueprint can say the same
    with its own error handler, rather than this module knowing its path)."""
    return request.accept_mimetypes.best == "application/json"


def _csrf_error(error: CSRFError):
    return render_error(400, "This form expired or was sent from another site. Go back, reload the page and send it again.")


def _http_error(error: HTTPException):
    status = error.code or 500
    message = error.description if status in (400, 429) and error.description else None
    body, code = render_error(status, message)
    headers = {"Allow": ", ".join(error.valid_methods)} if getattr(error, "valid_methods", None) else {}
    return body, code, headers


def _unexpected_error(error: Exception):
    """Log the bug, keep the database session usable, show a calm page."""
    db.session.rollback()
    current_app.logger.exception("Unhandled error on %s", request.path)
    return render_error(500)
