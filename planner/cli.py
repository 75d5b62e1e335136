"""Operator commands: `flask --app wsgi users create EMAIL`, `tokens create EMAIL NAME`, `prune`, and the scheduler commands."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup

from planner.accounts import rules
from planner.accounts.users import create as create_account, find_by_email
from planner.storage.types import utcnow

users = AppGroup("users", help="Manage user accounts.")


@users.command("create")
@click.argument("email")
@click.option("--timezone", default=None, help="IANA time zone, e.g. Europe/Berlin (default: DEFAULT_TIMEZONE).")
def create_user(email: str, timezone: str | None) -> None:
    """Create a user; the password is read from standard input (first line)."""
    from flask import current_app

    try:
        email = rules.check_email(email)
    except rules.InvalidEmail as error:
        raise click.UsageError(f"{email!r} is not a valid email address: {error}") from None
    if find_by_email(email):
        raise click.UsageError(f"A user with the email {email} already exists.")
    zone = timezone or current_app.config["DEFAULT_TIMEZONE"]
    if not rules.is_zone(zone):
        raise click.UsageError(f"Unknown time zone {zone!r}; use an IANA name like Europe/Berlin.")
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if problem := rules.password_problem(password):
        raise click.UsageError(f"The password is not acceptable: {problem}")
    user = create_account(email, password, zone, current_app.config, verified_at=utcnow())  # the operator vouches
    if user is None:
        raise click.UsageError(f"A user with the email {email} already exists.")
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

    user = find_by_email(email)
    if user is None:
        raise click.UsageError(f"No user has the email {rules.normalise_email(email)}.")
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
    app.cli.add_command(tokens_group)
    app.cli.add_command(serve)
    app.cli.add_command(prune)
    app.cli.add_command(scheduler)
    app.cli.add_command(send_due)
