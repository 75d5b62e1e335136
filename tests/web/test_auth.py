"""Accounts: sign up, log in, log out, password change, login required, CSRF, the CLI."""

from __future__ import annotations

import re

import sqlalchemy as sa

from planner.extensions import db
from planner.storage.models import User
from tests.support.app import PASSWORD
from tests.support.accounts import confirm_by_link, delivered, sign_up, smtp_config, text_of


def test_signup_creates_an_unconfirmed_account_that_its_email_link_opens(app, client, smtp_server):
    app.config.update(smtp_config(smtp_server))
    response = sign_up(client, email="  New@Example.COM ", timezone="America/New_York")
    assert response.status_code == 302 and response.headers["Location"].endswith("/signup/check-your-email")
    page = client.get(response.headers["Location"]).text
    assert "Check your email" in page and "new@example.com" in page
    user = db.session.scalar(sa.select(User).where(User.email == "new@example.com"))
    assert user is not None and user.email_verified_at is None
    assert user.timezone == "America/New_York"
    assert user.password_hash != PASSWORD and user.password_hash.startswith(("scrypt:", "pbkdf2:"))
    assert user.check_password(PASSWORD)
    assert client.get("/procedures/").status_code == 302  # not logged in yet
    confirm_by_link(app, client, smtp_server, "new@example.com")
    assert client.get("/procedures/").status_code == 200  # the link logged in


def test_signup_with_unknown_browser_zone_falls_back_to_default(client):
    sign_up(client, timezone="Mars/Olympus_Mons")
    assert db.session.scalar(sa.select(User)).timezone == "UTC"


def test_signup_rejects_bad_email_short_password_and_mismatch_keeping_input(client):
    response = client.post("/signup", data={"email": "not-an-email", "password": "short", "confirm": "other"})
    assert response.status_code == 200
    page = response.text
    assert "Enter a valid email address" in page
    assert "Use 10 to 200 characters" in page
    assert "The two passwords differ" in page
    assert 'value="not-an-email"' in page
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_signup_answers_the_same_for_an_existing_address_and_tells_its_owner(app, client, user, smtp_server):
    app.config.update(smtp_config(smtp_server))
    existing = sign_up(app.test_client(), email="ADA@example.com", password="an attacker's password")
    fresh = sign_up(client, email="fresh@example.com")
    assert existing.status_code == fresh.status_code == 302
    assert existing.headers["Location"] == fresh.headers["Location"]
    assert "already" not in existing.text
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 2
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(PASSWORD)  # nothing about the account changed
    by_recipient = {m.rcpt_tos[0]: m for m in delivered(app, smtp_server)}
    assert set(by_recipient) == {"ada@example.com", "fresh@example.com"}
    notice = by_recipient["ada@example.com"]
    assert "tried to sign up" in str(notice.message["Subject"])
    assert "http://afterglow.test/login" in text_of(notice) and "http://afterglow.test/password/forgot" in text_of(notice)
    assert "/account/confirm/" in text_of(by_recipient["fresh@example.com"])


def test_signup_is_throttled_per_address(app, client):
    for number in range(10):
        assert sign_up(client, email=f"person{number}@example.com").status_code == 302
    response = sign_up(client, email="one-more@example.com")
    assert response.status_code == 429 and "Too many sign-ups" in response.text
    assert int(response.headers["Retry-After"]) > 60
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 10


def test_international_addresses_idna_domains_are_kept_and_other_scripts_refused_clearly(app, client, runner, smtp_server):
    app.config.update(smtp_config(smtp_server))
    response = sign_up(client, email="Léa@example.com")
    assert response.status_code == 200
    assert "part before the @ uses plain letters" in response.text
    response = client.post("/password/forgot", data={"email": "léa@example.com"})
    assert "part before the @ uses plain letters" in response.text
    result = runner.invoke(args=["users", "create", "léa@example.com"], input=PASSWORD + "\n")
    assert result.exit_code != 0 and "part before the @ uses plain letters" in result.output

    assert sign_up(client, email="lea@Bücher.example").status_code == 302
    user = db.session.scalar(sa.select(User))
    assert user.email == "lea@xn--bcher-kva.example"
    [received] = delivered(app, smtp_server)
    assert received.rcpt_tos == ["lea@xn--bcher-kva.example"]
    confirm_by_link(app, client, smtp_server, "lea@xn--bcher-kva.example")
    client.post("/logout")
    assert client.post("/login", data={"email": "LEA@bücher.example", "password": PASSWORD}).status_code == 302


def test_login_and_logout(client, user, auth):
    assert client.get("/plan/").status_code == 302
    response = auth.login("ADA@example.com")
    assert response.status_code == 302
    assert client.get("/plan/").status_code == 200
    auth.logout()
    response = client.get("/plan/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logout_ends_the_session_on_the_server(app, client, user, auth):
    """A cookie copied before log-out (another tab, a stolen cookie) no longer opens anything."""
    auth.login(user.email)
    copied = client.get_cookie("session").value
    assert client.get("/plan/").status_code == 200
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/plan/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert auth.login(user.email).status_code == 302 and client.get("/plan/").status_code == 200  # logs in again


def test_a_session_opens_only_the_account_it_was_made_for(app, client, logged_in):
    """Same id and generation, another account key (an id that now belongs to someone else): refused."""
    assert client.get("/plan/").status_code == 200
    logged_in.account_key = "the-key-of-another-account"
    db.session.commit()
    assert client.get("/plan/").status_code == 302


def test_csrf_secret_rotates_at_login(tmp_path):
    from planner import create_app
    from tests.support.app import Factory, base_config

    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'csrf.sqlite3'}", WTF_CSRF_ENABLED=True))
    with app.app_context():
        db.create_all()
        Factory().user(email="ada@example.com")
        client = app.test_client()
        before = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").text).group(1)
        response = client.post("/login", data={"email": "ada@example.com", "password": PASSWORD, "csrf_token": before})
        assert response.status_code == 302
        refused = client.post("/logout", data={"csrf_token": before})  # the token from before log-in
        assert refused.status_code == 400 and "form expired" in refused.text
        assert client.get("/plan/").status_code == 200  # still logged in
        after = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/plan/").text).group(1)
        assert after != before
        assert client.post("/logout", data={"csrf_token": after}).status_code == 302
        db.session.remove()
        db.engine.dispose()


def test_login_with_wrong_password_unknown_address_or_unconfirmed_account_says_the_same(client, user, auth, factory):
    factory.user(email="pending@example.com", email_verified_at=None)
    answers = [auth.login(user.email, "wrong password!"), auth.login("nobody@example.com"), auth.login("pending@example.com")]
    for response in answers:
        assert response.status_code == 200
        assert "do not match an account" in response.text
    assert client.get("/plan/").status_code == 302


def test_login_redirect_only_to_same_site(client, user):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "/plan/\r\nSet-Cookie: x=1"):
        response = client.post("/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD})
        assert response.headers["Location"] == "/home", target
        client.post("/logout")
    response = client.post("/login?next=/products/", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/products/"


def test_every_private_page_needs_login(client):
    for path in ("/plan/", "/plan/month", "/procedures/", "/procedures/new", "/products/", "/products/new",
                 "/settings/profile", "/settings/password", "/settings/export.json", "/settings/export.ics"):
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


def test_password_change_and_account_deletion_throttle_password_checks(app, client, logged_in):
    for _ in range(5):
        response = client.post("/settings/password", data={"current": "wrong guess!", "password": "x" * 12, "confirm": "x" * 12})
        assert response.status_code == 200 and "not your current password" in response.text
    response = client.post("/settings/password", data={"current": PASSWORD, "password": "x" * 12, "confirm": "x" * 12})
    assert response.status_code == 429 and "Too many attempts" in response.text
    response = client.post("/account/delete", data={"password": PASSWORD, "understood": "y"})
    assert response.status_code == 429 and "Too many attempts" in response.text
    db.session.expire_all()
    assert db.session.get(User, logged_in.id).check_password(PASSWORD)  # nothing changed, nothing deleted


def test_csrf_is_enforced_when_enabled(tmp_path):
    from planner import create_app
    from tests.support.app import base_config

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
    assert user.email_verified_at is not None and user.morning_time.isoformat() == "07:30:00"


def test_cli_rejects_bad_input_with_messages(runner, user):
    result = runner.invoke(args=["users", "create", "not-an-email"], input=PASSWORD + "\n")
    assert result.exit_code != 0 and "not a valid email" in result.output
    result = runner.invoke(args=["users", "create", user.email.upper()], input=PASSWORD + "\n")
    assert result.exit_code != 0 and "already exists" in result.output
    result = runner.invoke(args=["users", "create", "b@example.com"], input="short\n")
    assert result.exit_code != 0 and "10 to 200" in result.output
    for zone in ("Nowhere/City", "Etc/GMT+5"):  # the same zones the profile form refuses
        result = runner.invoke(args=["users", "create", "c@example.com", "--timezone", zone], input=PASSWORD + "\n")
        assert result.exit_code != 0 and "Unknown time zone" in result.output


def test_password_guessing_slows_the_guesser_not_the_owner(app, client, user, factory, auth):
    for _ in range(10):
        assert "do not match an account" in auth.login(user.email, "wrong guess!").text
    response = auth.login(user.email)  # from the guesser's address even the right password waits now
    assert response.status_code == 429
    assert "Too many attempts" in response.text and int(response.headers["Retry-After"]) >= 1
    assert client.get("/plan/").status_code == 302
    other = factory.user(email="other@example.com")
    assert auth.login(other.email).status_code == 302  # another account is not locked out

    owner = app.test_client()  # the owner, at home: another address
    response = owner.post("/login", data={"email": user.email, "password": PASSWORD}, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert response.status_code == 302 and owner.get("/plan/").status_code == 200
    forgot = app.test_client().post("/password/forgot", data={"email": user.email})  # the way back stays open
    assert forgot.status_code == 302


def test_unknown_and_known_addresses_cost_the_same_password_work(client, user, auth, monkeypatch):
    """No timing in a unit test: count the password hashes each answer does instead (the slow part)."""
    import werkzeug.security

    from planner.accounts import users
    from planner.storage import models

    hashes: list[str] = []

    def counting(real):
        def wrapper(*args, **kwargs):
            hashes.append(real.__name__)
            return real(*args, **kwargs)
        return wrapper

    users.spend_a_password_check("warm the dummy hash up")  # made once per process, not per request
    monkeypatch.setattr(users, "check_password_hash", counting(werkzeug.security.check_password_hash))
    monkeypatch.setattr(users, "generate_password_hash", counting(werkzeug.security.generate_password_hash))
    monkeypatch.setattr(models, "check_password_hash", counting(werkzeug.security.check_password_hash))
    monkeypatch.setattr(models, "generate_password_hash", counting(werkzeug.security.generate_password_hash))
    work = {}
    for name, send in {
        "log-in, known": lambda: auth.login(user.email, "wrong password!"),
        "log-in, unknown": lambda: auth.login("nobody@example.com", "wrong password!"),
        "sign-up, taken": lambda: sign_up(client, email=user.email),
        "sign-up, new": lambda: sign_up(client, email="new@example.com"),
    }.items():
        hashes.clear()
        send()
        work[name] = len(hashes)
    assert work == {"log-in, known": 1, "log-in, unknown": 1, "sign-up, taken": 1, "sign-up, new": 1}
