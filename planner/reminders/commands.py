"""Operator commands: `flask --app wsgi scheduler` and `flask --app wsgi send-due [--at INSTANT]`."""

from __future__ import annotations

import datetime as dt

import click
from flask import current_app


def parse_instant(text: str) -> dt.datetime:
    """An ISO 8601 instant that names its zone ("Z" or an offset): a bare local time is ambiguous."""
    try:
        instant = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not an ISO 8601 date and time; use e.g. 2026-03-29T01:30:00Z", param_hint="--at"
        ) from None
    if instant.tzinfo is None:
        raise click.BadParameter(
            f"{text!r} has no time zone; end it with Z for UTC or an offset like +02:00", param_hint="--at"
        )
    return instant.astimezone(dt.timezone.utc)


@click.command("send-due")
@click.option("--at", "at", metavar="INSTANT", help="Send what is due as of this instant, e.g. 2026-03-29T01:30:00Z (default: now).")
def send_due(at: str | None) -> None:
    """Send every reminder due now (or as of --at) once, then exit.

    Uses the same ledger as the scheduler, so running it beside one never sends anything twice.
    Exits with status 1 when a message could not be sent (it stays in the ledger for a retry).
    """
    from planner.reminders import next_due
    from planner.reminders.dispatch import dispatch

    next_due.check_tzdata_once()
    now_at = parse_instant(at) if at else None
    report = dispatch(current_app._get_current_object(), now_at=now_at)
    click.echo(f"Reminders as of {(now_at or dt.datetime.now(dt.timezone.utc)):%Y-%m-%dT%H:%M:%SZ}: {report}")
    if report.failed:
        raise SystemExit(1)


@click.command("scheduler")
def scheduler() -> None:
    """Run the reminder scheduler in the foreground (production: its own process, one or more).

    Every SCHEDULER_INTERVAL_SECONDS it sends what is due; stop it with SIGTERM or Ctrl+C and it
    finishes the message in hand first.
    """
    from planner.reminders.process import run_blocking

    app = current_app._get_current_object()
    click.echo(
        f"Reminder scheduler: sending what is due every {app.config['SCHEDULER_INTERVAL_SECONDS']} s "
        f"({'SMTP ' + app.config['SMTP_HOST'] if app.config.get('SMTP_HOST') else 'outbox ' + app.config['OUTBOX_PATH']}). "
        "Ctrl+C to stop."
    )
    run_blocking(app)
