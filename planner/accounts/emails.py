"""Account emails (confirm your address, choose a new password, someone tried to sign up with
your address), sent by a background thread, off the request path.

Sending inline made the answer to "forgot password" or "sign up" take ~80 ms longer for an
address with an account than for one without, which told anyone who has an account. Now the
request only queues (kind, user id); the thread renders and sends, in its own app context,
and builds every link from PUBLIC_BASE_URL (planner.links). ``flush`` waits until the queue
is empty: the tests call it, and so does interpreter exit (atexit), so a queued email is not
lost on an orderly shutdown.

Reminders go through the ledger and the scheduler instead; these are answers to something the
person just did, sent with the same transport (SMTP or the outbox folder).
"""

from __future__ import annotations

import atexit
import logging
import queue
import secrets
import threading
from enum import StrEnum

from flask import Flask, current_app, render_template

from planner import links as signed_links
from planner.clock import utc_now
from planner.extensions import db
from planner.mail import mime
from planner.mail.transport import SendError, from_config
from planner.storage.models import User

log = logging.getLogger(__name__)
EXTENSION = "afterglow_account_mail"


class Kind(StrEnum):
    CONFIRM_EMAIL = "confirm_email"
    PASSWORD_RESET = "password_reset"
    SIGNUP_ATTEMPT = "signup_attempt"


SUBJECTS = {
    Kind.CONFIRM_EMAIL: "Confirm your email for Afterglow",
    Kind.PASSWORD_RESET: "Choose a new Afterglow password",
    Kind.SIGNUP_ATTEMPT: "Someone tried to sign up with your address",
}


def send(kind: Kind, user: User) -> None:
    """Queue an account email to ``user``; returns at once."""
    _mailer(current_app._get_current_object()).jobs.put((kind, user.id))


def flush(app: Flask) -> None:
    """Wait until every queued account email of this app is sent (or has failed, logged)."""
    mailer = app.extensions.get(EXTENSION)
    if mailer is not None:
        mailer.jobs.join()


class _Mailer:
    def __init__(self, app: Flask):
        self.app = app
        self.jobs: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._work, name="afterglow-account-mail", daemon=True)
        self.thread.start()
        atexit.register(self.jobs.join)

    def _work(self) -> None:
        while True:
            kind, user_id = self.jobs.get()
            try:
                with self.app.app_context():
                    _deliver(kind, user_id)
            except Exception:  # one broken email must not stop the others
                log.exception("%s email to user %s not sent", kind, user_id)
            finally:
                self.jobs.task_done()


_start_lock = threading.Lock()


def _mailer(app: Flask) -> _Mailer:
    """The app's mailer; started on first use in each process (a forked worker starts its own)."""
    with _start_lock:
        mailer = app.extensions.get(EXTENSION)
        if mailer is None or not mailer.thread.is_alive():
            mailer = app.extensions[EXTENSION] = _Mailer(app)
        return mailer


def _deliver(kind: Kind, user_id: int) -> None:
    user = db.session.get(User, user_id)
    if user is None:  # deleted meanwhile
        return
    links = signed_links.Links.for_app(current_app)
    if kind is Kind.CONFIRM_EMAIL:
        context = {"link": links.url("email_confirmation.confirm", token=signed_links.confirmation_token(links, user)),
                   "days": signed_links.MAX_AGE_SECONDS[signed_links.Purpose.CONFIRM_EMAIL] // 86400}
    elif kind is Kind.PASSWORD_RESET:
        context = {"link": links.url("password_reset.reset", token=signed_links.password_reset_token(links, user)),
                   "minutes": signed_links.MAX_AGE_SECONDS[signed_links.Purpose.PASSWORD_RESET] // 60}
    else:
        context = {"link": links.url("auth.login"), "forgot_link": links.url("password_reset.forgot")}
    config = current_app.config
    sender, subject = config["MAIL_SENDER"], SUBJECTS[kind]
    message = mime.build(
        sender=sender,
        recipient=user.email,
        subject=subject,
        text=render_template(f"mail/{kind}.txt", **context),
        html=render_template(f"mail/{kind}.html", subject=subject, **context),
        message_id=f"<afterglow.{kind}.{user.id}.{secrets.token_hex(8)}@{mime.address_domain(sender)}>",
        sent_local=utc_now(),
        user_id=user.id,  # filed under the user in the outbox, so deleting the account deletes it
    )
    transport = from_config(config)
    try:
        transport.start(message)
        transport.finish()
    except SendError as error:
        log.warning("%s email to user %s not sent: %s", kind, user.id, error)
    finally:
        transport.close()
