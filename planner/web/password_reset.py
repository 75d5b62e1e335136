"""Forgotten passwords: a signed, one-hour link by email that works once.

The link carries the account (id and account key) and a fingerprint of the current password
hash, so it stops working as soon as the password changes (used, or changed otherwise). The
request page answers the same, in the same time, whether or not the address has an account:
the email is sent off the request path (planner.accounts.emails). Following the link proves
the address too, so it also confirms an unconfirmed one.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import EqualTo

from planner.accounts import emails, sessions, throttles, users
from planner.links import LinkError, Links, user_for_password_reset
from planner.storage.types import utcnow
from planner.web.forms_util import PasswordRules, email_field

bp = Blueprint("password_reset", __name__, url_prefix="/password")

SENT = "If an account uses that address, we sent it a link to choose a new password. It works for one hour."


class ForgotForm(FlaskForm):
    email = email_field()


class ResetForm(FlaskForm):
    password = PasswordField("New password", validators=PasswordRules.validators)
    confirm = PasswordField("Repeat new password", validators=[EqualTo("password", message="The two passwords differ.")])


@bp.route("/forgot", methods=["GET", "POST"])
def forgot():
    form = ForgotForm()
    if form.validate_on_submit():
        email = form.email.normalised
        wait = throttles.reset_request(email) or throttles.account_email(email)
        if wait:
            form.email.errors.append(f"Too many requests for this address. Wait {throttles.in_words(wait)}, then try again.")
            return render_template("auth/forgot.html", form=form), 429, {"Retry-After": wait}
        user = users.find_by_email(email)
        if user is not None:
            emails.send(emails.Kind.PASSWORD_RESET, user)
        flash(SENT, "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    try:
        user = user_for_password_reset(Links.for_app(current_app), token)
    except LinkError:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        if user.email_verified_at is None:
            user.email_verified_at = utcnow()
        sessions.end_other_sessions(user)  # commits; this browser is logged in
        flash("Your new password is set, and you are logged in.", "success")
        return redirect(url_for("pages.home"))
    return render_template("auth/reset.html", form=form)
