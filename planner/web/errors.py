"""Error pages: every failure answers with a reason, never a stack trace.

When the database cannot be reached, pages answer 503 with Retry-After and a page that needs
no database: templates/errors/unavailable.html does not extend base.html, and is rendered
without Flask's context processors, since Flask-Login's loads the current user (a query).
Other errors render the usual layout, and fall back to that standalone page if it fails.
"""

from __future__ import annotations

import traceback

import sqlalchemy.exc as sa_exc
from flask import Flask, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from planner.extensions import db
from planner.redact import mask_tokens

MESSAGES = {
    400: "The request could not be understood.",
    403: "You are not allowed to do that.",
    404: "There is nothing here. It may have been deleted, or the link is wrong.",
    405: "That page does not accept this kind of request.",
    413: "That was more data than we accept in one request.",
    429: "Too many requests. Please wait a minute and try again.",
    500: "Something went wrong on our side. Please try again.",
}
#: A failed save is said to be failed: whether it was saved cannot be known from here.
UNSAVED = " What you just sent may not have been saved: check it, and send it again if it is missing."
UNAVAILABLE = "Afterglow cannot reach its database just now. Please try again in a minute."
UNAVAILABLE_UNSAVED = " What you just sent was not saved; send it again then."


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def render_error(status: int, message: str | None = None):
    message = message or MESSAGES.get(status, "The request failed.")
    if _wants_json():
        return jsonify(error=message, status=status), status
    template = "errors/413.html" if status == 413 else "error.html"
    try:
        return render_template(template, status=status, message=message,
                               limit_kb=(current_app.config.get("MAX_CONTENT_LENGTH") or 0) // 1024), status
    except Exception as error:  # the layout needs the database (current user); this page does not
        if not is_database_unavailable(error):
            current_app.logger.exception("Could not render the error page for %s", mask_tokens(request.path))
        return render_standalone(status, message), status


def render_standalone(status: int, message: str) -> str:
    """The error page without Flask's context processors: Flask-Login's would load the user."""
    template = current_app.jinja_env.get_template("errors/unavailable.html")
    return template.render(status=status, message=message, request=request)


def is_database_unavailable(error: BaseException) -> bool:
    """Connection refused or lost, server shutting down, pool exhausted, SQLite file unusable."""
    if isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)):
        return True
    return isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated


def database_unavailable():
    """503 with Retry-After and a page that never touches the database."""
    retry_after = str(int(current_app.config.get("DATABASE_RETRY_AFTER_SECONDS", 30)))
    message = UNAVAILABLE + (UNAVAILABLE_UNSAVED if request.method not in ("GET", "HEAD") else "")
    if _wants_json():
        body = jsonify(error=message, status=503)
    else:
        body = render_standalone(503, message)
    return body, 503, {"Retry-After": retry_after}


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
    """Log the bug (no parameters: the engine hides them), keep the session usable, show a calm page."""
    try:
        db.session.rollback()
    except Exception:  # a dead connection cannot roll back; the pool replaces it
        pass
    if is_database_unavailable(error):
        cause = getattr(error, "orig", None) or error
        current_app.logger.warning("Database unavailable on %s: %s", mask_tokens(request.path), type(cause).__name__)
        return database_unavailable()
    if isinstance(error, sa_exc.DBAPIError):
        # The driver's message can quote the row (PostgreSQL: "Key (email)=(…) already exists"):
        # log where it happened and what kind of error, not the values.
        frames = "".join(traceback.format_tb(error.__traceback__))
        current_app.logger.error("Unhandled database error on %s: %s (%s, SQLSTATE %s)\n%s", mask_tokens(request.path),
                                 type(error).__name__, type(error.orig).__name__,
                                 getattr(error.orig, "sqlstate", None) or "?", frames)
    else:
        current_app.logger.exception("Unhandled error on %s", mask_tokens(request.path))
    writing = request.method not in ("GET", "HEAD")
    return render_error(500, MESSAGES[500] + (UNSAVED if writing else ""))
