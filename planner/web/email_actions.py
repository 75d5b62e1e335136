"""The one-click links in reminder messages: mark a day's steps, answer the skin check-in, snooze,
unsubscribe. No login, no CSRF token.

The signed token is the credential (planner.links): it names one account (id and account key)
and, for day links, one local date, so a link can only ever change that. There is no session and nothing a third
site could forge, hence no CSRF token (RFC 8058 requires the unsubscribe POST to work without
one).

GET never changes anything. Mail scanners (Outlook Safe Links, corporate gateways, antivirus)
fetch every link in a message before the user sees it; if GET marked a day done, every day would
be "done" by the time the user woke up, and every user would be unsubscribed. So GET shows a
page with one button, and the button POSTs. That costs the user one extra tap, and keeps the
adherence record true. Mail clients that support RFC 8058 POST to the List-Unsubscribe URL
themselves ("List-Unsubscribe=One-Click") and never show the page.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, render_template, request

from planner.clock import utc_now
from planner.core.model import StepRole
from planner.extensions import csrf, db
from planner.links import (
    CHECKIN_ANSWERS, DAY_ACTIONS, SNOOZE_CHOICES, LinkError, Links, Purpose, checkin_of, day_of, snooze_of, user_for,
)
from planner.planning import checkins as checkin_answers, planner_for
from planner.reminders import snooze as snoozing
from planner.planning import plan_for
from planner.storage.adherence import adherence_marks, record_marks, step_key
from planner.storage.types import utcnow
from planner.web.errors import render_error

bp = Blueprint("email_actions", __name__, url_prefix="/email")
csrf.exempt(bp)

ACTION_WORDS = {"done": "done", "skipped": "skipped", "clear": "not marked"}


@bp.after_request
def private_page(response):
    """The URL holds a credential: keep it out of caches, search engines and Referer headers."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _links() -> Links:
    return Links.for_app(current_app)


def _link_error(error: LinkError):
    if error.gone:
        return render_error(404, str(error))
    if error.expired:
        return render_error(410, "This link has expired. Log in to mark your day in your plan.")
    return render_error(404, "This link is not valid. It may have been cut short by your email program; open the day in your plan instead.")


@bp.route("/day/<token>/<action>", methods=["GET", "POST"])
def day(token: str, action: str):
    """GET: what the link would do, with one button. POST: do it, for this user and day only."""
    if action not in DAY_ACTIONS:
        return render_error(404)
    try:
        user, signed = user_for(_links(), Purpose.DAY, token)
        local_day = day_of(signed)
    except LinkError as error:
        return _link_error(error)
    plan = plan_for(user, local_day, local_day + dt.timedelta(days=1))
    steps = [s for d in plan.days for s in d.steps if s.role is not StepRole.LAYER]
    keys = {step_key(s) for s in steps}
    done_now = False
    if request.method == "POST":
        chosen = request.form.get("step")
        if chosen is not None and chosen not in keys:
            return render_error(400, "That step is not in the plan for this day.")
        targets = [chosen] if chosen else sorted(keys)
        record_marks(user, local_day, targets, None if action == "clear" else action)
        done_now = True
    marks = adherence_marks(user, local_day, local_day + dt.timedelta(days=1))
    return render_template(
        "email_actions/day.html",
        token=token, action=action, word=ACTION_WORDS[action], day=local_day, steps=steps,
        marks={key: status for (_, key), status in marks.items()}, step_key=step_key, done_now=done_now,
    )


@bp.route("/checkin/<token>/<answer>", methods=["GET", "POST"])
def checkin(token: str, answer: str):
    """GET: the answer the link would give, with one button. POST: record it (the plan's one rule)."""
    if answer not in CHECKIN_ANSWERS:
        return render_error(404)
    try:
        user, signed = user_for(_links(), Purpose.CHECKIN, token)
        local_day, procedure_id = checkin_of(signed)
    except LinkError as error:
        return _link_error(error)
    done_now, refused = False, None
    if request.method == "POST":
        try:
            checkin_answers.answer(planner_for(user), procedure_id, local_day, answer)
            done_now = True
        except checkin_answers.CheckInRefused as why:
            refused = str(why)
    return render_template(
        "email_actions/checkin.html", answer=answer, day=local_day, done_now=done_now, refused=refused,
    ), (409 if refused else 200)


SNOOZE_WORDS = {"hour": "in 1 hour", "tonight": "tonight"}


@bp.route("/snooze/<token>/<choice>", methods=["GET", "POST"])
def snooze(token: str, choice: str):
    """GET: when the message would come again, with one button. POST: ask for it, once."""
    if choice not in SNOOZE_CHOICES:
        return render_error(404)
    try:
        user, signed = user_for(_links(), Purpose.SNOOZE, token)
        link = snooze_of(signed)
    except LinkError as error:
        return _link_error(error)
    now_at = utc_now()
    done, refused = None, None
    if request.method == "POST":
        try:
            done = snoozing.request(user, link, choice, now_at)
        except snoozing.SnoozeRefused as why:
            refused = str(why)
        at, why_not = (done.local_time if done else None), refused
    else:
        at, why_not = snoozing.preview(user, choice, now_at)
    return render_template(
        "email_actions/snooze.html", choice=choice, word=SNOOZE_WORDS[choice], at=at, why_not=why_not, done=done,
    ), (409 if refused else 200)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """GET: a page with one button. POST (the button, or a mail client's RFC 8058 one-click): unsubscribe."""
    try:
        user, _ = user_for(_links(), Purpose.UNSUBSCRIBE, token)
    except LinkError as error:
        return _link_error(error)
    done_now = False
    if request.method == "POST":
        if user.email_unsubscribed_at is None:
            user.email_unsubscribed_at = utcnow()
            db.session.commit()
            current_app.logger.info("User %d unsubscribed from all emails by link", user.id)
        done_now = True
    return render_template(
        "email_actions/unsubscribe.html", token=token, done_now=done_now,
        unsubscribed=user.email_unsubscribed_at is not None,
    )
