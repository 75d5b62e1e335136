"""Accounts: sign up, log in, log out. Password changes live in settings.

Nothing here tells a stranger whether an address has an account: sign-up answers "check your
email" either way (the owner of an existing account is told by email that someone tried), a
failed log-in says the same for an unknown address, a wrong password and an unconfirmed
account, and each path does the same work (a password hash) and sends its email off the
request path. A new account logs in through the link in its confirmation email, which proves
the address; only then does its password open it.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from planner.accounts import emails, rules, sessions, throttles, users
from planner.extensions import login_manager
from planner.web.email_confirmation import SIGNUP_EMAIL, ResendForm
from planner.web.forms_util import PasswordRules, email_field
from planner.web.redirects import safe_next

bp = Blueprint("auth", __name__)

LOGIN_FAILED = ("That email and password do not match an account. Just signed up? "
                "Open the link in the email we sent you first.")


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"


class SignupForm(FlaskForm):
    email = email_field()
    password = PasswordField("Password", validators=PasswordRules.validators)
    confirm = PasswordField("Repeat password", validators=[EqualTo("password", message="The two passwords differ.")])
    timezone = HiddenField("Time zone")


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=rules.MAX_PASSWORD_LENGTH)])


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = SignupForm()
    if form.validate_on_submit():
        if wait := throttles.signup():
            form.email.errors.append(f"Too many sign-ups from your network. Wait {throttles.in_words(wait)}, then try again.")
            return render_template("auth/signup.html", form=form), 429, {"Retry-After": wait}
        email = form.email.normalised
        account, is_new = users.sign_up(email, form.password.data, form.timezone.data, current_app.config)
        if account is not None and throttles.account_email(email) is None:
            emails.send(emails.Kind.CONFIRM_EMAIL if is_new else emails.Kind.SIGNUP_ATTEMPT, account)
        session[SIGNUP_EMAIL] = email
        return redirect(url_for("auth.check_email"))
    return render_template("auth/signup.html", form=form)


@bp.get("/signup/check-your-email")
def check_email():
    """The one answer to every sign-up, whether or not the address had an account."""
    email = session.get(SIGNUP_EMAIL)
    if not email:
        return redirect(url_for("auth.signup"))
    return render_template("auth/check_email.html", email=email, form=ResendForm(email=email))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = LoginForm()
    if form.validate_on_submit():
        wait = throttles.login(form.email.data)
        if wait:
            form.password.errors.append(f"Too many attempts. Wait {throttles.in_words(wait)}, then try again, or choose a new password.")
            return render_template("auth/login.html", form=form), 429, {"Retry-After": wait}
        user = users.find_by_email(form.email.data)
        if user is None:
            users.spend_a_password_check(form.password.data)
            form.password.errors.append(LOGIN_FAILED)
        elif not user.check_password(form.password.data) or user.email_verified_at is None:
            form.password.errors.append(LOGIN_FAILED)
        else:
            sessions.log_in(user)
            return redirect(safe_next(request.args.get("next")) or url_for("pages.home"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    sessions.log_out(current_user._get_current_object())
    flash("You are logged out, on every browser where you were logged in.", "info")
    return redirect(url_for("pages.index"))
