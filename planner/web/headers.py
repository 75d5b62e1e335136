"""Security headers on every response, in one after_request hook.

* A Content-Security-Policy that allows scripts, styles and images from this origin only: no
  inline script or style anywhere (templates load static/*.js and *.css), so an injected
  <script> or onclick= does nothing even if escaping ever failed.
* No framing by any site (frame-ancestors 'none', and X-Frame-Options for older browsers):
  the calendar and the mark buttons cannot be clickjacked.
* No Referer ever: reset, confirmation, email and feed URLs carry credentials in the path.
* nosniff, so nothing is ever run as a type it was not served as.
* ``Cache-Control: no-store`` on every page of a logged-in session and every page whose URL
  holds a token, so a shared computer's back button or disk cache keeps nothing private. The
  calendar feed keeps its own ``private, no-cache``: calendar clients revalidate it with ETags
  (feed/http.py), and no-store would make every refresh a full download.
"""

from __future__ import annotations

from flask import Flask, Response, request, session

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
ALWAYS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
#: Endpoints that set their own caching rules (see the module docstring).
OWN_CACHING = frozenset({"feed.feed"})


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)


def add_security_headers(response: Response) -> Response:
    response.headers.update(ALWAYS)
    if request.endpoint not in OWN_CACHING and (_holds_token() or _logged_in()):
        response.headers["Cache-Control"] = "no-store"
    return response


def _holds_token() -> bool:
    return bool(request.view_args) and "token" in request.view_args


def _logged_in() -> bool:
    """From the session cookie alone: this hook must work when the database does not."""
    return "_user_id" in session
