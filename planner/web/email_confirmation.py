"""Confirming that an email address belongs to the person who signed up with it.

Until then no reminder goes to it, so nobody can sign someone else up for daily mail.
Opening the link (GET) shows one button and POSTing it confirms: mail scanners fetch
every link in a message, and a confirming GET would let the victim's own scanner
confirm an address an attacker typed in.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from planner.extensions import csrf, db
from planner.mail.account_mail import public_url, send_account_email
from planner.storage.models import User
from planner.storage.types import utcnow
from planner.web import signed_tokens, throttle

bp = Blueprint("email_confirmation", __name__, url_prefix="/account/confirm")

MAX_AGE_DAYS = 7


SALT = "afterglow-confirm-email"


def make_token(user: User) -> str:
    """Bound to the address too: a link for an old address cannot confirm a new one."""
    return signed_tokens.make(SALT, user, e=user.email)


def user_for_token(token: str) -> User | None:
    found = signed_tokens.load(SALT, token, MAX_AGE_DAYS * 86400)
    if found is None:
        return None
    user, data = found
    return user if user.email == data.get("e") else None


def send_confirmation(user: User) -> bool:
    link = public_url(url_for("email_confirmation.confirm", token=make_token(user)))
    return send_account_email(
        user, kind="confirm_email", subject="Confirm your email for Afterglow",
        context={"link": link, "days": MAX_AGE_DAYS},
    )


@bp.route("/<token>", methods=["GET", "POST"])
@csrf.exempt  # the token is the proof; it may be opened in a browser with no session
def confirm(token: str):
    user = user_for_token(token)
    if user is None:
        return render_template("auth/confirm_invalid.html"), 404
    if request.method == "POST" and user.email_verified_at is None:
        user.email_verified_at = utcnow()
        db.session.commit()
    return render_template("auth/confirm.html", user=user, token=token)


@bp.post("/resend")
@login_required
def resend():
    if current_user.email_verified_at is not None:
        flash("Your email address is already confirmed.", "info")
    elif wait := throttle.wait_seconds("confirm", current_user.email):
        flash(f"We sent a link moments ago. Wait {wait} seconds before asking again.", "warning")
    elif send_confirmation(current_user):
        flash(f"We sent a new confirmation link to {current_user.email}.", "success")
    else:
        flash("We could not send the email just now. Please try again in a few minutes.", "warning")
    return redirect(url_for("settings.profile"))
