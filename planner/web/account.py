"""Deleting an account: everything the user recorded goes, at once, after a password check."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, ValidationError

from planner.accounts import throttles
from planner.extensions import db
from planner.mail.transport import delete_user_outbox

bp = Blueprint("account", __name__, url_prefix="/account")


class DeleteForm(FlaskForm):
    password = PasswordField("Your password", validators=[DataRequired("Enter your password to confirm.")])
    understood = BooleanField(
        "I understand that my procedures, products, plan history, calendar link and reminders are deleted for good",
        validators=[DataRequired("Tick the box to confirm.")],
    )

    def validate_password(self, field) -> None:
        if not current_user.check_password(field.data or ""):
            raise ValidationError("That is not your password.")


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete():
    form = DeleteForm()
    if request.method == "POST" and (wait := throttles.password_check(current_user.id)):
        form.password.errors = [f"Too many attempts. Wait {throttles.in_words(wait)}, then try again."]
        return render_template("settings/delete.html", form=form), 429, {"Retry-After": wait}
    if form.validate_on_submit():
        user = current_user._get_current_object()
        user_id = user.id
        logout_user()
        db.session.delete(user)  # rows of every other table go with it (ON DELETE CASCADE)
        db.session.commit()
        delete_user_outbox(current_app.config, user_id)  # its emails hold links that still work
        flash("Your account and everything in it are deleted.", "info")
        return redirect(url_for("pages.index"))
    return render_template("settings/delete.html", form=form)
