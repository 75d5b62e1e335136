"""Security headers on every page, no inline script or style, no caching of private pages,
Secure cookies over https, and ProxyFix behind a configured number of proxies."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import request

from planner import create_app
from planner.extensions import db
from planner.feed import tokens
from planner.web.headers import CONTENT_SECURITY_POLICY
from tests.support.app import PASSWORD, base_config

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def assert_secured(response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (name, response.request.path)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_the_policy_allows_only_this_origin():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


def test_public_pages_carry_the_headers_and_may_be_cached(client):
    for path in ("/", "/login", "/signup", "/about", "/password/forgot", "/nowhere"):
        response = client.get(path)
        assert_secured(response)
        assert "no-store" not in response.headers.get("Cache-Control", ""), path


def test_logged_in_pages_are_never_stored(client, logged_in, factory):
    product = factory.product(logged_in)
    for path in ("/plan/", "/plan/month", "/plan/day/2026-03-12", "/procedures/", "/products/",
                 f"/products/{product.id}", "/settings/profile", "/calendar/", "/account/delete", "/about"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_secured(response)
        assert response.headers["Cache-Control"] == "no-store", path


def test_pages_with_a_token_in_the_url_are_never_stored(client, user):
    for path in ("/password/reset/not-a-real-token", "/account/confirm/not-a-real-token",
                 "/email/unsubscribe/not-a-real-token", "/email/day/not-a-real-token/done"):
        response = client.get(path)
        assert response.status_code in (404, 410), path
        assert_secured(response)
        assert response.headers["Cache-Control"] == "no-store", path


def test_the_feed_keeps_revalidation_and_gets_the_headers(client, user):
    token = tokens.issue(user)
    response = client.get(f"/feed/{token}.ics")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-cache" and response.headers["ETag"]
    assert_secured(response)


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on…= handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_page_has_inline_script_or_style(client, logged_in, factory):
    """What the policy would block must not be there to begin with (the browser test runs the scripts)."""
    product = factory.product(logged_in, name="Retinol", ingredients="Aqua, Retinol")
    procedure = factory.procedure(logged_in, performed_on=dt.date(2026, 3, 12))
    tokens.issue(logged_in)
    paths = ["/plan/", "/plan/month?month=2026-03", "/plan/day/2026-03-12", "/procedures/", "/procedures/new",
             f"/procedures/{procedure.id}/edit", "/products/", "/products/new", f"/products/{product.id}",
             f"/products/{product.id}/edit", "/settings/profile", "/settings/password", "/calendar/",
             "/account/delete", "/about", "/nowhere"]
    pages = {path: client.get(path) for path in paths}
    client.post("/logout")
    pages.update({path: client.get(path) for path in ("/", "/login", "/signup", "/password/forgot")})
    scripts = set()
    for path, response in pages.items():
        assert response.status_code in (200, 404), path
        for pattern, what in INLINE:
            assert not pattern.search(response.text), f"{what} on {path}"
        scripts.update(re.findall(r'<script src="([^"]+)"', response.text))
    assert {"/static/site.js", "/static/signup.js", "/static/profile.js", "/static/product_form.js",
            "/static/feed_page.js", "/static/calendar.js"} <= scripts


def https_app(tmp_path, **extra):
    return create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'https.sqlite3'}", **extra))


def test_cookies_are_secure_when_served_over_https(tmp_path):
    app = https_app(tmp_path, PUBLIC_BASE_URL="https://afterglow.example")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    with app.app_context():
        db.create_all()
        client = app.test_client()
        response = client.post("/signup", data={"email": "ada@example.com", "password": PASSWORD, "confirm": PASSWORD},
                               base_url="https://afterglow.example")
        cookie = response.headers["Set-Cookie"]
        assert "session=" in cookie and "Secure" in cookie and "HttpOnly" in cookie
        db.session.remove()
        db.engine.dispose()


def test_cookies_are_not_secure_over_plain_http_by_default(client):
    response = client.post("/signup", data={"email": "bo@example.com", "password": PASSWORD, "confirm": PASSWORD})
    assert "session=" in response.headers["Set-Cookie"] and "Secure" not in response.headers["Set-Cookie"]


@pytest.mark.parametrize("proxies, seen", [(0, ("127.0.0.1", "http")), (1, ("203.0.113.9", "https"))])
def test_proxy_count_decides_whose_forwarded_headers_are_trusted(tmp_path, proxies, seen):
    app = https_app(tmp_path, PROXY_COUNT=proxies)

    @app.get("/_who")
    def who():
        return f"{request.remote_addr} {request.scheme}"

    response = app.test_client().get("/_who", headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.9",
                                                       "X-Forwarded-Proto": "https"})
    assert response.text == " ".join(seen)
