"""The profile (time zone, routine times, safety questions, email choices) and password change."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, StringField, TimeField
from wtforms.validators import DataRequired, EqualTo, InputRequired, ValidationError

from planner.accounts import export, rules, sessions, throttles
from planner.extensions import db
from planner.storage.types import utcnow
from planner.accounts.places import UnknownZone, find_zone
from planner.web.forms_util import PasswordRules

bp = Blueprint("settings", __name__, url_prefix="/settings")

TIME_MESSAGE = "Enter a time like 07:30."


class ProfileForm(FlaskForm):
    timezone = StringField("Time zone", validators=[DataRequired("Type your city, like London or New York, or a zone like Europe/London.")])
    serum_slot = RadioField(
        "Exosome serum",
        choices={"morning": "In the morning", "evening": "In the evening"},
        validators=[InputRequired("Choose morning or evening.")],
    )
    morning_time = TimeField("Morning routine at", validators=[InputRequired(TIME_MESSAGE)])
    evening_time = TimeField("Evening routine at", validators=[InputRequired(TIME_MESSAGE)])
    reminder_time = TimeField("Daily reminder email at", validators=[InputRequired(TIME_MESSAGE)])

    active_cancer = BooleanField("I have an active cancer or malignancy, or am being treated for one")
    active_skin_infection = BooleanField("I have an active skin infection (bacterial, fungal or viral, including cold sores)")
    pregnant = BooleanField("I am pregnant")
    breastfeeding = BooleanField("I am breastfeeding")
    skin_cancer_history = BooleanField("I have had skin cancer")
    isotretinoin_last_6_months = BooleanField("I have taken isotretinoin (Accutane, Roaccutane…) in the last 6 months")
    dermatologist_approved = BooleanField("A dermatologist has approved an exosome serum plan for me")

    remind_daily = BooleanField("Daily reminder with the day's steps")
    remind_washout = BooleanField("Notice when a washout before a procedure starts")
    remind_recovery_end = BooleanField("Notice when a recovery window ends")
    emails_enabled = BooleanField("Send me emails at all")

    def validate_timezone(self, field) -> None:
        """A city, a country or a zone name: what was typed becomes the IANA zone it names."""
        try:
            field.data = find_zone(field.data or "")
        except UnknownZone as error:
            raise ValidationError(str(error)) from None


SAFETY_FIELDS = (
    "active_cancer",
    "active_skin_infection",
    "pregnant",
    "breastfeeding",
    "skin_cancer_history",
    "isotretinoin_last_6_months",
)
EMAIL_FIELDS = ("remind_daily", "remind_washout", "remind_recovery_end")


class PasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired("Enter your current password.")])
    password = PasswordField("New password", validators=PasswordRules.validators)
    confirm = PasswordField("Repeat new password", validators=[EqualTo("password", message="The two passwords differ.")])

    def validate_current(self, field) -> None:
        if not current_user.check_password(field.data or ""):
            raise ValidationError("That is not your current password.")


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    user = current_user
    form = ProfileForm(obj=user)
    if not form.is_submitted():
        form.dermatologist_approved.data = user.dermatologist_approved_at is not None
        form.emails_enabled.data = user.emails_allowed
    if form.validate_on_submit():
        user.timezone = form.timezone.data
        user.serum_slot = form.serum_slot.data
        user.morning_time = form.morning_time.data
        user.evening_time = form.evening_time.data
        user.reminder_time = form.reminder_time.data
        for name in SAFETY_FIELDS + EMAIL_FIELDS:
            setattr(user, name, getattr(form, name).data)
        if form.dermatologist_approved.data and user.dermatologist_approved_at is None:
            user.dermatologist_approved_at = utcnow()
        elif not form.dermatologist_approved.data:
            user.dermatologist_approved_at = None
        if form.emails_enabled.data:
            user.email_unsubscribed_at = None
        elif user.email_unsubscribed_at is None:
            user.email_unsubscribed_at = utcnow()
        db.session.commit()
        flash(f"Profile saved. Your time zone is {user.timezone}.", "success")
        return redirect(url_for("settings.profile"))
    return render_template("settings/profile.html", form=form, zones=rules.zone_names())


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if request.method == "POST" and (wait := throttles.password_check(current_user.id)):
        form.current.errors = [f"Too many attempts. Wait {throttles.in_words(wait)}, then try again."]
        return render_template("settings/password.html", form=form), 429, {"Retry-After": wait}
    if form.validate_on_submit():
        current_user.set_password(form.password.data)
        sessions.end_other_sessions(current_user._get_current_object())  # commits; this browser stays in
        flash("Password changed. Other browsers where you were logged in are now logged out.", "success")
        return redirect(url_for("settings.profile"))
    return render_template("settings/password.html", form=form)


@bp.get("/export.json")
@login_required
def export_json():
    """Everything the app holds about the person, as a download."""
    now_at = utcnow()
    body = json.dumps(export.as_json(current_user, now_at), indent=2, ensure_ascii=False)
    return _download(body.encode(), "application/json", f"afterglow-{now_at:%Y-%m-%d}.json")


@bp.get("/export.ics")
@login_required
def export_ics():
    """The plan as a calendar file, for a one-off import (the feed link keeps a calendar up to date)."""
    return _download(export.as_ics(current_user), "text/calendar; charset=utf-8", f"afterglow-{utcnow():%Y-%m-%d}.ics")


def _download(body: bytes, content_type: str, filename: str) -> Response:
    return Response(body, content_type=content_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })
