"""Start-up configuration: the secret key (text, long enough, written once atomically) and the
instance folder's permissions."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest

from planner import create_app
from planner.accounts import emails
from planner.config import MIN_SECRET_KEY_LENGTH, ConfigError, _instance_secret
from planner.extensions import db
from tests.support.app import PASSWORD, base_config


def config_without_key(tmp_path: Path, **extra) -> dict:
    config = base_config(tmp_path, f"sqlite:///{tmp_path / 'instance' / 'app.sqlite3'}", **extra)
    del config["SECRET_KEY"]
    return config


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_numeric_secret_key_from_the_environment_is_text_and_pages_work(tmp_path, monkeypatch):
    digits = "1234567890" * 4
    monkeypatch.setenv("AFTERGLOW_SECRET_KEY", digits)
    app = create_app(config_without_key(tmp_path))
    assert app.config["SECRET_KEY"] == digits
    with app.app_context():
        db.create_all()
        client = app.test_client()
        assert client.get("/login").status_code == 200
        assert client.post("/signup", data={"email": "ada@example.com", "password": PASSWORD, "confirm": PASSWORD}).status_code == 302
        check = client.get("/signup/check-your-email")  # reads the signed session cookie
        assert check.status_code == 200 and "ada@example.com" in check.text
        emails.flush(app)
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("key, word", [("", "empty"), ("   ", "empty"), ("short-key", "too short"),
                                       ("x" * (MIN_SECRET_KEY_LENGTH - 1), "too short")])
def test_an_empty_or_short_secret_key_stops_the_start_with_a_reason(tmp_path, monkeypatch, key, word):
    monkeypatch.setenv("AFTERGLOW_SECRET_KEY", key)
    config = config_without_key(tmp_path)
    if key:  # an empty variable means "not set": the instance key is used instead, so test it as an override
        config["SECRET_KEY"] = key
    else:
        (tmp_path / "instance").mkdir()
        (tmp_path / "instance" / "secret_key").write_text(key)  # a 0-byte file left by a failed write
    with pytest.raises(ConfigError, match=f"SECRET_KEY is {word}: use at least {MIN_SECRET_KEY_LENGTH}"):
        create_app(config)


def test_racing_first_starts_all_read_the_same_full_key(tmp_path):
    """Eight starts at once, twenty times over: one key wins, and nobody reads a half-written one."""
    for round_ in range(20):
        path = tmp_path / f"round{round_}" / "secret_key"
        path.parent.mkdir()
        barrier = threading.Barrier(8)
        keys: list[str] = []

        def start():
            barrier.wait()
            keys.append(_instance_secret(path))

        threads = [threading.Thread(target=start) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(keys) == 8 and len(set(keys)) == 1, keys
        assert len(keys[0]) == 64 and keys[0] == path.read_text()
        assert sorted(p.name for p in path.parent.iterdir()) == ["secret_key"]  # no temporary file left
        assert mode(path) == 0o600


def test_the_instance_folder_and_its_files_are_private(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    instance.chmod(0o755)  # an older install: tightened at start-up
    app = create_app(config_without_key(tmp_path))
    with app.app_context():
        db.create_all()
        client = app.test_client()
        client.post("/signup", data={"email": "ada@example.com", "password": PASSWORD, "confirm": PASSWORD})
        emails.flush(app)  # the confirmation email is written by the account-mail thread
        db.session.remove()
        db.engine.dispose()
    assert mode(instance) == 0o700
    outbox = instance / "outbox"
    [message] = outbox.glob("user-*/*.eml")  # the confirmation email
    files = [instance / "secret_key", instance / "app.sqlite3", message]
    assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
    assert mode(outbox) == 0o700 and mode(message.parent) == 0o700
    assert all(mode(f) & 0o077 == 0 for f in instance.rglob("*") if f.is_file())
