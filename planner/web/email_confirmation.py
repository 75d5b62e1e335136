"""Confirming that an email address belongs to the person who signed up with it.

A new account is opened by its confirmation link, once: until then no password opens it and
no reminder goes to the address, so nobody can sign someone else up for daily mail, and a
sign-up tells nobody whether the address already had an account (see planner.web.auth).
Opening the link (GET) shows one button and POSTing it confirms and logs in: mail scanners
fetch every link in a message, and a confirming GET would let the victim's own scanner
confirm an address an attacker typed in.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from planner.accounts import emails, sessions, throttles, users
from planner.extensions import csrf, db
from planner.links import LinkError, Links, user_for_confirmation
from planner.storage.types import utcnow
from planner.web.forms_util import email_field

bp = Blueprint("email_confirmation", __name__, url_prefix="/account/confirm")

#: Where the address of the last sign-up is kept for the "check your email" page.
SIGNUP_EMAIL = "signup_email"


class ResendForm(FlaskForm):
    email = email_field()


@bp.route("/<token>", methods=["GET", "POST"])
@csrf.exempt  # the token is the proof; it may be opened in a browser with no session
def confirm(token: str):
    try:
        user = user_for_confirmation(Links.for_app(current_app), token)
    except LinkError:
        return render_template("auth/confirm_invalid.html"), 404
    if request.method == "POST" and user.email_verified_at is None:
        user.email_verified_at = utcnow()
        db.session.commit()
        sessions.log_in(user)
        session.pop(SIGNUP_EMAIL, None)
        flash(
            f"Welcome to Afterglow: {user.email} is confirmed and you are logged in. Check your time zone and "
            "routine times, then add your procedures and products.",
            "success",
        )
        return redirect(url_for("settings.profile"))
    return render_template("auth/confirm.html", user=user, token=token)


@bp.post("/resend")
def resend():
    """A new link, for the logged-in person or for the address typed on the "check your email" page.

    The answer is the same whether or not the address has an account waiting for confirmation.
    """
    if current_user.is_authenticated:
        email = current_user.email
    else:
        form = ResendForm()
        if not form.validate_on_submit():
            flash(" ".join(form.email.errors) or "Enter your email address.", "warning")
            return redirect(url_for("auth.signup"))
        email = form.email.normalised
    if wait := throttles.account_email(email):
        flash(f"We sent several emails to {email} in the last hour. Wait {throttles.in_words(wait)} before asking again.", "warning")
        return _back()
    user = users.find_by_email(email)
    if user is not None and user.email_verified_at is None:
        emails.send(emails.Kind.CONFIRM_EMAIL, user)
    flash(f"If {email} is waiting for confirmation, we sent it a new link.", "info")
    return _back()


def _back():
    return redirect(url_for("settings.profile" if current_user.is_authenticated else "auth.check_email"))
