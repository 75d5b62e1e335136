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

ENV_PREFIX = "AFTERGLOW"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def load_config(app: Flask, overrides: dict | None = None) -> None:
    """Fill app.config from config.toml, AFTERGLOW_CONFIG's file, the environment, then explicit overrides (tests)."""
    with (PROJECT_ROOT / "config.toml").open("rb") as fh:
        app.config.update(tomllib.load(fh))
    if deployment := os.environ.get(f"{ENV_PREFIX}_CONFIG"):
        with Path(deployment).open("rb") as fh:
            app.config.update(tomllib.load(fh))
    app.config.from_prefixed_env(ENV_PREFIX)
    if overrides:
        app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path) / "secret_key")
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(app.config["DATABASE_URL"])
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    outbox = Path(app.config["OUTBOX_DIR"])
    app.config["OUTBOX_PATH"] = str(outbox if outbox.is_absolute() else Path(app.instance_path) / outbox)
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["WTF_CSRF_TIME_LIMIT"] = None  # a form left open overnight still submits


def normalise_database_url(url: str) -> str:
    """Accept the postgres:// spellings hosting providers hand out; use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _instance_secret(path: Path) -> str:
    """Generate the secret key once, readable only by its owner, and reuse it after."""
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process (a second worker) won the race: use its key
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
