"""Accounts: sign up, log in, log out, password change, login required, CSRF."""

from __future__ import annotations

import sqlalchemy as sa

from planner import create_app
from planner.extensions import db
from planner.storage.models import User
from tests.support.app import PASSWORD, base_config


def signup(client, email="new@example.com", password=PASSWORD, confirm=None, timezone="America/New_York"):
    return client.post(
        "/signup",
        data={"email": email, "password": password, "confirm": confirm or password, "timezone": timezone},
    )


def test_signup_creates_user_with_hashed_password_and_browser_zone(client):
    response = signup(client, email="  New@Example.COM ")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/settings/profile")
    user = db.session.scalar(sa.select(User).where(User.email == "new@example.com"))
    assert user is not None
    assert user.timezone == "America/New_York"
    assert user.password_hash != PASSWORD and user.password_hash.startswith(("scrypt:", "pbkdf2:"))
    assert user.check_password(PASSWORD)
    assert client.get("/procedures/").status_code == 200  # logged in straight away


def test_signup_with_unknown_browser_zone_falls_back_to_default(client):
    signup(client, timezone="Mars/Olympus_Mons")
    user = db.session.scalar(sa.select(User))
    assert user.timezone == "UTC"


def test_signup_rejects_bad_email_short_password_and_mismatch_keeping_input(client):
    response = signup(client, email="not-an-email", password="short", confirm="other")
    assert response.status_code == 200
    page = response.text
    assert "Enter a valid email address" in page
    assert "Use 10 to 200 characters" in page
    assert "The two passwords differ" in page
    assert 'value="not-an-email"' in page
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_signup_rejects_duplicate_email_case_insensitively(client, user):
    response = signup(client, email="ADA@example.com")
    assert response.status_code == 200
    assert "already exists" in response.text
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_login_and_logout(client, user, auth):
    assert client.get("/plan/").status_code == 302
    response = auth.login("ADA@example.com")
    assert response.status_code == 302
    assert client.get("/plan/").status_code == 200
    auth.logout()
    response = client.get("/plan/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_login_with_wrong_password_says_so_without_revealing_which(client, user, auth):
    response = auth.login(user.email, "wrong password!")
    assert response.status_code == 200
    assert "do not match an account" in response.text
    response = auth.login("nobody@example.com")
    assert "do not match an account" in response.text


def test_login_redirect_only_to_same_site(client, user):
    response = client.post("/login?next=https://evil.example/", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/home"
    client.post("/logout")
    response = client.post("/login?next=/products/", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/products/"


def test_every_private_page_needs_login(client):
    for path in ("/plan/", "/plan/month", "/procedures/", "/procedures/new", "/products/", "/products/new", "/settings/profile", "/settings/password"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/login" in response.headers["Location"], path
    for path in ("/", "/login", "/signup", "/about"):
        assert client.get(path).status_code == 200, path


def test_password_change_logs_out_other_sessions(app, client, logged_in):
    other = app.test_client()
    other.post("/login", data={"email": logged_in.email, "password": PASSWORD})
    assert other.get("/procedures/").status_code == 200

    response = client.post("/settings/password", data={"current": "wrong", "password": "x", "confirm": "y"})
    assert "not your current password" in response.text
    response = client.post(
        "/settings/password", data={"current": PASSWORD, "password": "a new long password", "confirm": "a new long password"}
    )
    assert response.status_code == 302
    assert client.get("/procedures/").status_code == 200  # this browser stays in
    assert other.get("/procedures/").status_code == 302  # the other one is out
    db.session.expire_all()
    assert db.session.get(User, logged_in.id).check_password("a new long password")


def test_csrf_is_enforced_when_enabled(tmp_path):
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'csrf.sqlite3'}", WTF_CSRF_ENABLED=True))
    with app.app_context():
        db.create_all()
        response = app.test_client().post("/signup", data={"email": "a@example.com", "password": PASSWORD, "confirm": PASSWORD})
        assert response.status_code == 400
        assert "form expired" in response.text
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
        db.engine.dispose()


def test_cli_creates_user_with_password_from_stdin(runner):
    result = runner.invoke(args=["users", "create", "ops@example.com", "--timezone", "Asia/Kolkata"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "ops@example.com"))
    assert user.timezone == "Asia/Kolkata" and user.check_password(PASSWORD)


def test_cli_rejects_bad_input_with_messages(runner, user):
    result = runner.invoke(args=["users", "create", "not-an-email"], input=PASSWORD + "\n")
    assert result.exit_code != 0 and "not a valid email" in result.output
    result = runner.invoke(args=["users", "create", user.email], input=PASSWORD + "\n")
    assert result.exit_code != 0 and "already exists" in result.output
    result = runner.invoke(args=["users", "create", "b@example.com"], input="short\n")
    assert result.exit_code != 0 and "10 to 200" in result.output
    result = runner.invoke(args=["users", "create", "c@example.com", "--timezone", "Nowhere/City"], input=PASSWORD + "\n")
    assert result.exit_code != 0 and "Unknown time zone" in result.output


def test_password_guessing_is_slowed_down_per_account(client, user, factory, auth):
    for _ in range(10):
        assert "do not match an account" in auth.login(user.email, "wrong guess!").text
    response = auth.login(user.email)  # even the right password waits now
    assert response.status_code == 429
    assert "Too many attempts" in response.text and int(response.headers["Retry-After"]) >= 1
    assert client.get("/plan/").status_code == 302
    other = factory.user(email="other@example.com")
    assert auth.login(other.email).status_code == 302  # another account is not locked out
