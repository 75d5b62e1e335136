"""Operator commands: `flask --app wsgi users create EMAIL`, `tokens create EMAIL NAME`, and the scheduler commands."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup
from email_validator import EmailNotValidError, validate_email

from planner.extensions import db
from planner.storage.models import User
from planner.storage.types import utcnow
from planner.web.auth import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, apply_default_times, find_user_by_email, normalise_email
from planner.web.timezones import is_zone

users = AppGroup("users", help="Manage user accounts.")


@users.command("create")
@click.argument("email")
@click.option("--timezone", default=None, help="IANA time zone, e.g. Europe/Berlin (default: DEFAULT_TIMEZONE).")
def create_user(email: str, timezone: str | None) -> None:
    """Create a user; the password is read from standard input (first line)."""
    from flask import current_app

    try:
        email = validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise click.UsageError(f"{email!r} is not a valid email address: {error}") from None
    if find_user_by_email(email):
        raise click.UsageError(f"A user with the email {normalise_email(email)} already exists.")
    zone = timezone or current_app.config["DEFAULT_TIMEZONE"]
    if not is_zone(zone):
        raise click.UsageError(f"Unknown time zone {zone!r}; use an IANA name like Europe/Berlin.")
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise click.UsageError(f"The password must be {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters long.")
    user = User(email=normalise_email(email), timezone=zone, email_verified_at=utcnow())  # the operator vouches
    apply_default_times(user)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created user {user.email} (id {user.id}, time zone {zone}).")


tokens_group = AppGroup("tokens", help="Manage personal access tokens for the JSON API.")


@tokens_group.command("create")
@click.argument("email")
@click.argument("name")
@click.option("--scope", type=click.Choice(["read", "write"]), default="read", show_default=True,
              help="read: GET only; write: read and write.")
def create_token(email: str, name: str, scope: str) -> None:
    """Create a token for the user with EMAIL; it is printed once, on standard output, and never stored."""
    from planner.api import tokens

    user = find_user_by_email(email)
    if user is None:
        raise click.UsageError(f"No user has the email {normalise_email(email)}.")
    try:
        row, token = tokens.create(user, name, scope)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"Created {scope} token {row.name!r} for {user.email}. It is shown only this once:", err=True)
    click.echo(token)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug", is_flag=True, help="Reload on code changes and show the debugger.")
def serve(host: str, port: int, debug: bool) -> None:
    """Migrate the database, start the embedded reminder scheduler, and serve the app.

    The quick start's one command. Production runs gunicorn and `flask scheduler`
    as separate processes instead.
    """
    from flask import current_app
    from flask_migrate import upgrade
    from werkzeug.serving import is_running_from_reloader, run_simple

    app = current_app._get_current_object()
    if not is_running_from_reloader():
        upgrade()
    # Under the reloader only the child process serves: start the scheduler there, once.
    if app.config["EMBEDDED_SCHEDULER"] and (not debug or is_running_from_reloader()):
        from planner.reminders.process import start_embedded

        start_embedded(app)
    click.echo(f"Afterglow on http://{host}:{port}/  (Ctrl+C to stop)")
    run_simple(host, port, app, use_reloader=debug, use_debugger=debug, threaded=True)


def register(app: Flask) -> None:
    from planner.reminders.commands import scheduler, send_due

    app.cli.add_command(users)
    app.cli.add_command(tokens_group)
    app.cli.add_command(serve)
    app.cli.add_command(scheduler)
    app.cli.add_command(send_due)
