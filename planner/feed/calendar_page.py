"""The Calendar page: the private feed link, how to subscribe, regenerate, revoke, feed settings."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField

from planner.extensions import db
from planner.feed import tokens

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


class FeedSettingsForm(FlaskForm):
    feed_alarms = BooleanField("Reminders on events (alarms)")
    discreet_titles = BooleanField("Discreet titles")


@bp.get("/")
@login_required
def index():
    token = tokens.current_token(current_user)
    row = tokens.token_row(current_user) if token else None
    links = tokens.feed_links(token) if token else None
    last_fetched = None
    if row is not None and row.last_fetched_at is not None:
        last_fetched = row.last_fetched_at.astimezone(ZoneInfo(current_user.timezone))
    form = FeedSettingsForm(obj=current_user)
    response = current_app.make_response(render_template(
        "feed/calendar.html", links=links, row=row, last_fetched=last_fetched, form=form,
        is_https=current_app.config["PUBLIC_BASE_URL"].startswith("https://"),
        stale=token is None and tokens.token_row(current_user) is not None,
        days_back=current_app.config["FEED_DAYS_BACK"], days_ahead=current_app.config["FEED_DAYS_AHEAD"],
    ))
    response.headers["Cache-Control"] = "no-store"  # the page holds a secret link
    return response


@bp.post("/link")
@login_required
def create_link():
    """Create the link, or replace it: the old link answers 404 from now on."""
    replacing = tokens.token_row(current_user) is not None
    tokens.issue(current_user)
    if replacing:
        flash("New link created. The old link no longer works: update the subscription in your calendar app.", "success")
    else:
        flash("Your private calendar link is ready.", "success")
    return redirect(url_for("calendar.index"))


@bp.post("/revoke")
@login_required
def revoke():
    if tokens.revoke(current_user):
        flash("Link turned off. Calendar apps subscribed to it will stop updating.", "success")
    return redirect(url_for("calendar.index"))


@bp.post("/settings")
@login_required
def settings():
    form = FeedSettingsForm()
    if form.validate_on_submit():
        current_user.feed_alarms = form.feed_alarms.data
        current_user.discreet_titles = form.discreet_titles.data
        db.session.commit()
        flash("Calendar settings saved. Calendar apps pick them up at their next refresh.", "success")
    return redirect(url_for("calendar.index"))
