"""Configuration: config.toml defaults, a deployment's own file, then AFTERGLOW_* environment overrides.

One file documents every setting; a deployment names its own TOML file in AFTERGLOW_CONFIG
(only the keys it changes, e.g. deploy/config.production.toml) and may override any key with
an environment variable. Secrets only ever come from the environment or the instance folder,
never from a file in the repository.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from pathlib import Path

from flask import Flask
from sqlalchemy.engine import make_url

ENV_PREFIX = "AFTERGLOW"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: Shorter keys are refused at start-up: an empty key lets anyone forge every signed link.
MIN_SECRET_KEY_LENGTH = 32
#: Secrets are read from the environment as text: from_prefixed_env would JSON-parse "123" into a number.
RAW_ENV_KEYS = ("SECRET_KEY", "SMTP_PASSWORD")


class ConfigError(RuntimeError):
    """A setting the app cannot start with; the message says what to do."""


def load_config(app: Flask, overrides: dict | None = None) -> None:
    """Fill app.config from config.toml, AFTERGLOW_CONFIG's file, the environment, then explicit overrides (tests)."""
    with (PROJECT_ROOT / "config.toml").open("rb") as fh:
        app.config.update(tomllib.load(fh))
    if deployment := os.environ.get(f"{ENV_PREFIX}_CONFIG"):
        with Path(deployment).open("rb") as fh:
            app.config.update(tomllib.load(fh))
    app.config.from_prefixed_env(ENV_PREFIX)
    for key in RAW_ENV_KEYS:
        if f"{ENV_PREFIX}_{key}" in os.environ:
            app.config[key] = os.environ[f"{ENV_PREFIX}_{key}"]
    if overrides:
        app.config.update(overrides)
    instance = private_folder(Path(app.instance_path))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key")
    check_secret_key(app.config["SECRET_KEY"])
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(app.config["DATABASE_URL"])
    private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"], instance)
    engine_options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    engine_options.setdefault("hide_parameters", True)  # a failed INSERT must not log health answers
    outbox = Path(app.config["OUTBOX_DIR"])
    app.config["OUTBOX_PATH"] = str(outbox if outbox.is_absolute() else instance / outbox)
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    secure = bool(app.config.get("SESSION_COOKIE_SECURE")) or str(app.config["PUBLIC_BASE_URL"]).startswith("https://")
    app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = secure
    app.config["WTF_CSRF_TIME_LIMIT"] = None  # a form left open overnight still submits


def normalise_database_url(url: str) -> str:
    """Accept the postgres:// spellings hosting providers hand out; use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def check_secret_key(key) -> None:
    """Refuse to start with a key that would let anyone forge sessions and signed links."""
    if not isinstance(key, str):
        raise ConfigError(f"SECRET_KEY must be text, not {type(key).__name__}.")
    if len(key.strip()) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(
            f"SECRET_KEY is {'empty' if not key.strip() else 'too short'}: use at least {MIN_SECRET_KEY_LENGTH} "
            "random characters, e.g. AFTERGLOW_SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))'), "
            "or unset it and delete an empty instance/secret_key so one is generated."
        )


def private_folder(path: Path) -> Path:
    """A folder only the app's user can read (0700): it holds the database, the key and the outbox."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def private_sqlite_file(url: str, instance: Path) -> None:
    """Create the SQLite file 0600 before SQLite does (it would use 0644); its journals copy the mode.

    A relative path is inside the instance folder, as Flask-SQLAlchemy resolves it.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:") or parsed.database.startswith("file:"):
        return
    path = Path(parsed.database)
    path = path if path.is_absolute() else instance / path
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        os.chmod(path, 0o600)
    except OSError:  # a folder that does not exist: SQLite reports it at the first query (503)
        pass


def _instance_secret(path: Path) -> str:
    """Generate the secret key once, readable only by its owner, and reuse it after.

    The key is written to a temporary file and then linked into place: a reader never sees a
    half-written file, and of several processes starting at once exactly one key wins
    (os.link refuses to replace, unlike os.replace), which every process then reads.
    """
    if not path.exists():
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(temporary, path)
            except FileExistsError:  # another process (a second worker) won the race: use its key
                pass
        finally:
            temporary.unlink(missing_ok=True)
    return path.read_text().strip()
