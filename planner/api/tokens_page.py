"""The API tokens page (/settings/tokens): make a token (shown once), list, revoke."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, Length

from planner.api import tokens

bp = Blueprint("api_tokens", __name__, url_prefix="/settings/tokens")


class TokenForm(FlaskForm):
    name = StringField("Name", validators=[
        DataRequired("Give the token a name, e.g. the script or system that will use it."),
        Length(max=tokens.MAX_NAME_LENGTH, message=f"Keep the name under {tokens.MAX_NAME_LENGTH} characters."),
    ])
    scope = RadioField("Access", choices={"read": "Read only", "write": "Read and write"}, default="read")


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    """The list, and the form; a successful POST shows the new token in its own answer, once.

    The token is never stored, not even in the session cookie: it lives only in this one
    response (no-store), so reloading or coming back cannot show it again.
    """
    form = TokenForm()
    fresh = None
    if form.validate_on_submit():
        row, token = tokens.create(current_user, form.name.data, form.scope.data)
        fresh = {"id": row.id, "name": row.name, "token": token}
        form = TokenForm(formdata=None)
    page = render_template("api/tokens.html", form=form, rows=tokens.list_for(current_user), fresh=fresh)
    return page, 200, {"Cache-Control": "no-store"}


@bp.post("/<id:token_id>/revoke")
@login_required
def revoke(token_id: int):
    if tokens.revoke(current_user, token_id):
        flash("Token revoked. Anything using it is refused from now on.", "success")
    else:
        flash("That token was already revoked.", "info")
    return redirect(url_for("api_tokens.index"))
