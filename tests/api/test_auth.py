"""Tokens and sessions: who may call, what a read token may do, CSRF for session writes, rate limits."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import sqlalchemy as sa

from planner.api import tokens
from planner.extensions import db
from planner.storage.models import ApiToken
from tests.support.api import ApiClient, assert_problem

UTC = dt.timezone.utc


def test_token_is_prefixed_random_and_stored_only_as_its_sha256(user):
    row, token = tokens.create(user, "Script", "write")
    assert token.startswith("agw_") and len(token) == 47
    stored = db.session.scalar(sa.select(ApiToken).where(ApiToken.id == row.id))
    assert stored.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {stored.name, stored.scope, stored.token_sha256}
    assert tokens.create(user, "Script", "write")[1] != token


def test_no_token_answers_401_with_a_bearer_challenge(client):
    response = client.get("/api/v1/procedures")
    body = assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in body["detail"]


@pytest.mark.parametrize("header", ["Bearer agw_" + "x" * 43, "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer "])
def test_unknown_or_malformed_tokens_answer_401(client, user, header):
    response = client.get("/api/v1/procedures", headers={"Authorization": header})
    assert_problem(response, 401)
    assert "error=" in response.headers["WWW-Authenticate"]


def test_revoked_token_stops_working_at_once(api, user, write_token):
    assert api.get("/api/v1/profile").status_code == 200
    row = tokens.find(write_token)
    assert tokens.revoke(user, row.id) is True
    assert_problem(api.get("/api/v1/profile"), 401)


def test_read_token_reads_but_cannot_write(reader):
    assert reader.get("/api/v1/procedures").status_code == 200
    response = reader.post("/api/v1/procedures", json={"kind": "microneedling", "performed_on": "2026-03-12"})
    body = assert_problem(response, 403)
    assert "only read" in body["detail"]
    assert 'insufficient_scope' in response.headers["WWW-Authenticate"]
    assert reader.get("/api/v1/procedures").get_json()["total"] == 0


def test_a_token_reaches_only_its_own_users_data(app, api, factory):
    other = factory.user(email="bob@example.com")
    theirs = factory.procedure(other, performed_on=dt.date(2026, 5, 1))
    their_product = factory.product(other)
    assert_problem(api.get(f"/api/v1/procedures/{theirs.id}"), 404)
    assert_problem(api.put(f"/api/v1/procedures/{theirs.id}", json={"kind": "microneedling", "performed_on": "2026-03-12"}), 404)
    assert_problem(api.delete(f"/api/v1/products/{their_product.id}"), 404)
    assert api.get("/api/v1/procedures").get_json()["items"] == []
    assert api.get("/api/v1/profile").get_json()["email"] == "ada@example.com"
    bob = ApiClient(app.test_client(), tokens.create(other, "Bob's", "read")[1])
    assert [p["id"] for p in bob.get("/api/v1/procedures").get_json()["items"]] == [theirs.id]


def test_last_used_is_recorded_at_most_once_a_minute(app, api, write_token):
    first = dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    app.config["CLOCK"] = lambda: first
    api.get("/api/v1/profile")
    assert tokens.find(write_token).last_used_at == first
    app.config["CLOCK"] = lambda: first + dt.timedelta(seconds=30)
    api.get("/api/v1/profile")
    db.session.expire_all()
    assert tokens.find(write_token).last_used_at == first
    app.config["CLOCK"] = lambda: first + dt.timedelta(minutes=2)
    api.get("/api/v1/profile")
    db.session.expire_all()
    assert tokens.find(write_token).last_used_at == first + dt.timedelta(minutes=2)


def test_browser_session_reads_without_a_token(client, logged_in):
    response = client.get("/api/v1/profile")
    assert response.status_code == 200
    assert response.get_json()["email"] == logged_in.email


@pytest.mark.parametrize("app", [{"WTF_CSRF_ENABLED": True}], indirect=True)
def test_browser_session_writes_need_the_csrf_token(app, client, user):
    page = client.get("/login")
    csrf = page.text.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/login", data={"email": user.email, "password": "correct horse battery", "csrf_token": csrf}).status_code == 302
    body = {"kind": "microneedling", "performed_on": "2026-03-12"}
    refused = client.post("/api/v1/procedures", json=body)
    assert_problem(refused, 403)
    page = client.get("/settings/tokens/")
    token = page.text.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    accepted = client.post("/api/v1/procedures", json=body, headers={"X-CSRFToken": token})
    assert accepted.status_code == 201, accepted.text


@pytest.mark.parametrize("app", [{"WTF_CSRF_ENABLED": True}], indirect=True)
def test_bearer_writes_need_no_csrf_token(app, api):
    response = api.post("/api/v1/procedures", json={"kind": "microneedling", "performed_on": "2026-03-12"})
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("app", [{"API_RATE_LIMIT_PER_MINUTE": 3}], indirect=True)
def test_rate_limit_answers_429_with_retry_after(app, api):
    for _ in range(3):
        assert api.get("/api/v1/profile").status_code == 200
    response = api.get("/api/v1/profile")
    assert_problem(response, 429)
    assert int(response.headers["Retry-After"]) >= 1


def test_browser_session_writes_when_csrf_is_off_in_config(client, logged_in):
    """The API follows WTF_CSRF_ENABLED like the forms do (tests turn it off)."""
    response = client.post("/api/v1/procedures", json={"kind": "microneedling", "performed_on": "2026-03-12"})
    assert response.status_code == 201, response.text
