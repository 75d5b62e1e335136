"""Forgotten passwords: a signed, one-hour link by email that works once.

The link carries the user id and a fingerprint of the current password hash, so
it stops working as soon as the password changes (used, or changed otherwise).
The request page answers the same whether or not the address has an account.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from planner.extensions import db
from planner.mail.account_mail import public_url, send_account_email
from planner.storage.models import User
from planner.web import signed_tokens, throttle
from planner.web.auth import PasswordRules, find_user_by_email, strip

bp = Blueprint("password_reset", __name__, url_prefix="/password")

MAX_AGE_SECONDS = 3600


class ForgotForm(FlaskForm):
    email = EmailField("Email", filters=[strip], validators=[DataRequired("Enter your email address."), Length(max=254)])


class ResetForm(FlaskForm):
    password = PasswordField("New password", validators=PasswordRules.validators)
    confirm = PasswordField("Repeat new password", validators=[EqualTo("password", message="The two passwords differ.")])


SALT = "afterglow-password-reset"


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_token(user: User) -> str:
    return signed_tokens.make(SALT, user, p=_fingerprint(user))


def user_for_token(token: str) -> User | None:
    """The user a live token belongs to, or None (expired, tampered, or already used)."""
    found = signed_tokens.load(SALT, token, MAX_AGE_SECONDS)
    if found is None:
        return None
    user, data = found
    return user if secrets.compare_digest(str(data.get("p")), _fingerprint(user)) else None


@bp.route("/forgot", methods=["GET", "POST"])
def forgot():
    form = ForgotForm()
    if form.validate_on_submit():
        wait = throttle.wait_seconds("reset", form.email.data)
        if wait:
            form.email.errors.append(f"Too many requests. Wait {wait} seconds, then try again.")
            return render_template("auth/forgot.html", form=form), 429, {"Retry-After": wait}
        user = find_user_by_email(form.email.data)
        if user is not None:
            _send_reset_email(user)
        flash("If an account uses that address, we sent it a link to choose a new password. It works for one hour.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    user = user_for_token(token)
    if user is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        user.login_version += 1  # every other session ends
        db.session.commit()
        login_user(user)
        flash("Your new password is set, and you are logged in.", "success")
        return redirect(url_for("pages.home"))
    return render_template("auth/reset.html", form=form)


def _send_reset_email(user: User) -> None:
    """Sent or not, the page answers the same: it never reveals who has an account."""
    link = public_url(url_for("password_reset.reset", token=make_token(user)))
    send_account_email(
        user, kind="password_reset", subject="Choose a new Afterglow password",
        context={"link": link, "minutes": MAX_AGE_SECONDS // 60},
    )
