"""Accounts: sign up, log in, log out. Password changes live in settings."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from planner.extensions import db, login_manager
from planner.storage.models import User
from planner.web import throttle
from planner.web.email_confirmation import send_confirmation
from planner.web.forms_util import parse_hhmm
from planner.web.timezones import UnknownZone, find_zone

bp = Blueprint("auth", __name__)

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Session ids are "<id>:<login_version>"; an old version means the password changed."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.login_version != int(version):
        return None
    return user


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


class PasswordRules:
    """Shared password validators, so sign-up and password change agree."""

    validators = [
        DataRequired(message="Choose a password."),
        Length(
            min=MIN_PASSWORD_LENGTH,
            max=MAX_PASSWORD_LENGTH,
            message=f"Use {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters.",
        ),
    ]


class SignupForm(FlaskForm):
    email = EmailField("Email", filters=[strip], validators=[DataRequired("Enter your email address."), Email("Enter a valid email address, like name@example.com."), Length(max=254)])
    password = PasswordField("Password", validators=PasswordRules.validators)
    confirm = PasswordField("Repeat password", validators=[EqualTo("password", message="The two passwords differ.")])
    timezone = HiddenField("Time zone")

    def validate_email(self, field) -> None:
        if find_user_by_email(field.data or ""):
            raise ValidationError("An account with this email already exists. Log in instead?")


class LoginForm(FlaskForm):
    email = EmailField("Email", filters=[strip], validators=[DataRequired("Enter your email address."), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=MAX_PASSWORD_LENGTH)])


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = SignupForm()
    if form.validate_on_submit():
        user = User(email=normalise_email(form.email.data), timezone=_signup_zone(form.timezone.data))
        apply_default_times(user)
        user.set_password(form.password.data)
        db.session.add(user)
        db.session.commit()
        login_user(user)
        send_confirmation(user)
        flash(
            f"Welcome to Afterglow. We sent a link to {user.email}: confirm it and your reminders start. "
            "Meanwhile, check your time zone and routine times, then add your procedures and products.",
            "success",
        )
        return redirect(url_for("settings.profile"))
    return render_template("auth/signup.html", form=form)


def _signup_zone(browser_zone: str | None) -> str:
    """The zone the browser reported, or the default: the profile page, shown next, lets the person correct it."""
    try:
        return find_zone(browser_zone or "")
    except UnknownZone:
        return current_app.config["DEFAULT_TIMEZONE"]


def apply_default_times(user: User) -> None:
    """New accounts start with the routine and reminder times from config.toml."""
    config = current_app.config
    user.morning_time = parse_hhmm(config["MORNING_TIME"])
    user.evening_time = parse_hhmm(config["EVENING_TIME"])
    user.reminder_time = parse_hhmm(config["REMINDER_TIME"])


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = LoginForm()
    if form.validate_on_submit():
        wait = throttle.wait_seconds("login", form.email.data)
        if wait:
            form.password.errors.append(f"Too many attempts. Wait {wait} seconds, then try again.")
            return render_template("auth/login.html", form=form), 429, {"Retry-After": wait}
        user = find_user_by_email(form.email.data)
        if user is None or not user.check_password(form.password.data):
            form.password.errors.append("That email and password do not match an account.")
        else:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("pages.home"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("pages.index"))


def _safe_next(target: str | None) -> str | None:
    """Only same-site relative paths: never an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target or not target.isprintable():
        return None
    return target
