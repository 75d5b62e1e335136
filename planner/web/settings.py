"""The profile (time zone, routine times, safety questions, the daily message) and password change."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, PasswordField, RadioField, StringField, TimeField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Optional, ValidationError

from planner.accounts import export, rules, sessions, throttles
from planner.core.safety import NOT_MEDICAL_ADVICE
from planner.extensions import db
from planner.planning import local_today
from planner.reminders.due import ANCHORS, MAX_LEAD_MINUTES
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
    reminder_anchor = RadioField(
        "Send the daily message",
        choices={"fixed": "At a fixed time", "morning": "Before my morning routine", "evening": "Before my evening routine"},
        default="fixed", validate_choice=False,
    )
    reminder_time = TimeField("Fixed time", validators=[InputRequired(TIME_MESSAGE)])
    reminder_lead_minutes = IntegerField(
        "Minutes before the routine", default=30,
        validators=[Optional()],
    )

    active_cancer = BooleanField("I have an active cancer or malignancy, or am being treated for one")
    active_skin_infection = BooleanField("I have an active skin infection (bacterial, fungal or viral, including cold sores)")
    pregnant = BooleanField("I am pregnant")
    breastfeeding = BooleanField("I am breastfeeding")
    skin_cancer_history = BooleanField("I have had skin cancer")
    isotretinoin_last_6_months = BooleanField("I have taken isotretinoin (Accutane, Roaccutane…) in the last 6 months")
    dermatologist_approved = BooleanField("A dermatologist has approved an exosome serum plan for me")

    remind_daily = BooleanField("The day's steps, every day")
    remind_washout = BooleanField("When a washout before a procedure starts")
    remind_procedure_day = BooleanField("On the day of a procedure")
    remind_recovery_end = BooleanField("When a recovery window ends")
    remind_ramp = BooleanField("When exfoliants start coming back")
    emails_enabled = BooleanField("Send me emails at all")

    reminders_paused_until = DateField("Pause every reminder until", validators=[Optional()])
    quiet_start = TimeField("Quiet from", validators=[Optional()])
    quiet_end = TimeField("Quiet until", validators=[Optional()])

    def validate_timezone(self, field) -> None:
        """A city, a country or a zone name: what was typed becomes the IANA zone it names."""
        try:
            field.data = find_zone(field.data or "")
        except UnknownZone as error:
            raise ValidationError(str(error)) from None

    def validate_reminder_lead_minutes(self, field) -> None:
        # Compared as an int: WTForms' NumberRange turns a 400-digit number into a float and fails.
        if field.data is not None and not 0 <= field.data <= MAX_LEAD_MINUTES:
            raise ValidationError(f"Enter a number of minutes from 0 to {MAX_LEAD_MINUTES}.")

    def validate_reminder_anchor(self, field) -> None:
        if field.data not in (None, "", *ANCHORS):
            raise ValidationError("Choose a fixed time or a routine.")

    def validate_quiet_start(self, field) -> None:
        # Runs only when a start was given (Optional stops the chain otherwise), as does the end's.
        if self.quiet_end.data is None:
            raise ValidationError("Give both ends of your quiet hours, or neither.")

    def validate_quiet_end(self, field) -> None:
        if self.quiet_start.data is None:
            raise ValidationError("Give both ends of your quiet hours, or neither.")
        if field.data == self.quiet_start.data:
            raise ValidationError("Quiet hours need a start and an end that differ.")


SAFETY_FIELDS = (
    "active_cancer",
    "active_skin_infection",
    "pregnant",
    "breastfeeding",
    "skin_cancer_history",
    "isotretinoin_last_6_months",
)
MESSAGE_FIELDS = ("remind_daily", "remind_washout", "remind_procedure_day", "remind_recovery_end", "remind_ramp",
                  "reminders_paused_until", "quiet_start", "quiet_end")


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
        user.reminder_anchor = form.reminder_anchor.data or "fixed"
        if form.reminder_lead_minutes.data is not None:
            user.reminder_lead_minutes = form.reminder_lead_minutes.data
        for name in SAFETY_FIELDS + MESSAGE_FIELDS:
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
    return render_template("settings/profile.html", form=form, zones=rules.zone_names(), today=local_today(user),
                           not_medical_advice=NOT_MEDICAL_ADVICE)


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
