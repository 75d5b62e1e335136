"""One-off account emails (confirm your address, reset your password), sent right away.

Reminders go through the ledger and the scheduler; these are answers to something the
person just did, so they are sent inline with the same transport (SMTP or the outbox).
"""

from __future__ import annotations

import logging
import secrets

from flask import current_app, render_template

from planner.clock import utc_now
from planner.mail import mime
from planner.mail.transport import SendError, from_config
from planner.storage.models import User

log = logging.getLogger(__name__)


def send_account_email(user: User, *, kind: str, subject: str, context: dict) -> bool:
    """Render templates/mail/<kind>.txt and .html and send them; False (logged) if sending failed."""
    config = current_app.config
    sender = config["MAIL_SENDER"]
    message = mime.build(
        sender=sender,
        recipient=user.email,
        subject=subject,
        text=render_template(f"mail/{kind}.txt", **context),
        html=render_template(f"mail/{kind}.html", subject=subject, **context),
        message_id=f"<afterglow.{kind}.{user.id}.{secrets.token_hex(8)}@{mime.address_domain(sender)}>",
        sent_local=utc_now(),
        user_id=user.id,
    )
    transport = from_config(config)
    try:
        transport.start(message)
        transport.finish()
        return True
    except SendError as error:
        log.warning("%s email to user %s not sent: %s", kind, user.id, error)
        return False
    finally:
        transport.close()


def public_url(path: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path
