"""The API tokens page and `flask tokens create`: shown once, listed, revoked."""

from __future__ import annotations

import re

import sqlalchemy as sa

from planner.api import tokens
from planner.extensions import db
from planner.storage.models import ApiToken

TOKEN = re.compile(r"agw_[A-Za-z0-9_-]{43}")


def test_create_shows_the_token_once_and_it_works(client, logged_in):
    response = client.post("/settings/tokens/", data={"name": "Clinic sync", "scope": "write"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    shown = TOKEN.findall(response.text)
    assert len(shown) == 1
    assert client.get("/api/v1/profile", headers={"Authorization": f"Bearer {shown[0]}"}).status_code == 200
    listing = client.get("/settings/tokens/").text
    assert "Clinic sync" in listing and "Read and write" in listing and "Never" not in listing
    assert TOKEN.search(listing) is None  # never again


def test_name_is_required(client, logged_in):
    response = client.post("/settings/tokens/", data={"name": "  ", "scope": "read"})
    assert "Give the token a name" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_revoke_from_the_page(client, logged_in, factory):
    row, token = tokens.create(logged_in, "Old script", "read")
    other_row, other_token = tokens.create(factory.user(email="bob@example.com"), "Bob's", "read")
    assert client.post(f"/settings/tokens/{other_row.id}/revoke").status_code == 302
    assert tokens.find(other_token) is not None  # someone else's token is out of reach
    assert client.post(f"/settings/tokens/{row.id}/revoke").status_code == 302
    assert tokens.find(token) is None
    assert "Old script" not in client.get("/settings/tokens/").text


def test_page_needs_a_login(client):
    assert client.get("/settings/tokens/").status_code == 302


def test_cli_prints_the_token_once_on_stdout(runner, user):
    result = runner.invoke(args=["tokens", "create", "ADA@example.com", "Nightly export", "--scope", "write"])
    assert result.exit_code == 0, result.output
    printed = TOKEN.findall(result.stdout)
    assert len(printed) == 1
    row = tokens.find(printed[0])
    assert row.user_id == user.id and row.name == "Nightly export" and row.scope == "write"


def test_cli_refuses_unknown_users_and_scopes(runner, user):
    unknown = runner.invoke(args=["tokens", "create", "nobody@example.com", "X"])
    assert unknown.exit_code != 0 and "No user" in unknown.output
    bad_scope = runner.invoke(args=["tokens", "create", user.email, "X", "--scope", "admin"])
    assert bad_scope.exit_code != 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_the_profile_links_to_the_tokens_page(client, logged_in):
    profile = client.get("/settings/profile")
    assert profile.status_code == 200
    assert '<a href="/settings/tokens/">API tokens</a>' in profile.text
