"""Operator commands: `flask --app wsgi users create EMAIL`, `prune`, and the scheduler commands."""

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


@click.command("prune")
@click.option("--at", "at", metavar="INSTANT", help="Prune as of this instant, e.g. 2026-03-29T01:30:00Z (default: now).")
@click.option("--days", type=click.IntRange(min=1), default=None, help="Keep this many days (default: RETENTION_DAYS).")
def prune(at: str | None, days: int | None) -> None:
    """Delete reminder ledger rows and done/skipped marks older than RETENTION_DAYS, in batches.

    The scheduler does this every RETENTION_INTERVAL_SECONDS; this runs it once by hand.
    """
    from flask import current_app

    from planner.clock import utc_now
    from planner.reminders.commands import parse_instant
    from planner.storage import retention

    config = current_app.config
    now_at = parse_instant(at) if at else utc_now()
    pruned = retention.prune(now_at, days or int(config["RETENTION_DAYS"]), int(config["RETENTION_BATCH_SIZE"]))
    click.echo(f"Retention: {pruned}")


def register(app: Flask) -> None:
    from planner.reminders.commands import scheduler, send_due

    app.cli.add_command(users)
    app.cli.add_command(serve)
    app.cli.add_command(prune)
    app.cli.add_command(scheduler)
    app.cli.add_command(send_due)
