"""The plan in the browser: this week (the page after log-in), a month calendar, one day explained."""

from __future__ import annotations

import calendar
import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from planner.clock import utc_now
from planner.core.model import MarkerKind, Slot
from planner.planning import UserPlanner, planner_for
from planner.storage.adherence import ADHERENCE_STATUSES, adherence_marks, record_marks, step_key
from planner.web.redirects import safe_next
from planner.web.errors import render_error
from planner.web.today import today_view

bp = Blueprint("plan", __name__, url_prefix="/plan")

WEEK_DAYS = 8  # today and the next 7 days


@bp.after_request
def offline_copy_allowed(response):
    """Plan pages may be kept by the service worker (static/sw.js) and shown offline, marked as such."""
    if request.method == "GET" and response.status_code == 200 and response.mimetype == "text/html":
        response.headers["X-Offline-Copy"] = "allowed"
    return response


@bp.get("/")
@login_required
def week():
    return render_week(utc_now())


def render_week(now: dt.datetime):
    """The week page as of the UTC instant `now`: on a phone it opens on today's coming routine.

    The instant is a parameter so tests can pin the morning or the evening of any date.
    """
    planner = planner_for(current_user, now)
    today = planner.today
    local_now = now.astimezone(planner.zone)
    plan = planner.plan(today, today + dt.timedelta(days=WEEK_DAYS))
    marks = adherence_marks(current_user, today, today + dt.timedelta(days=WEEK_DAYS))
    today_plan = next((day for day in plan.days if day.date == today), None)
    return render_template(
        "plan/week.html",
        plan=plan,
        today=today,
        marks=marks,
        now_view=today_view(today_plan, local_now) if today_plan else None,
        **_context(planner),
    )


@bp.get("/month")
@login_required
def month():
    planner = planner_for(current_user)
    today = planner.today
    raw = request.args.get("month", "")
    try:
        first = dt.date.fromisoformat(f"{raw}-01") if raw else today.replace(day=1)
    except ValueError:
        return render_error(400, f"{raw!r} is not a month. Use year-month, e.g. 2026-03.")
    if not 1990 <= first.year <= 2100:
        return render_error(400, "Choose a month between 1990 and 2100.")
    weeks = month_grid(first)
    start, end = weeks[0][0], weeks[-1][-1] + dt.timedelta(days=1)
    plan = planner.plan(start, end)
    days = {day.date: day for day in plan.days}
    return render_template(
        "plan/month.html",
        plan=plan,
        weeks=weeks,
        days=days,
        first=first,
        today=today,
        previous_month=(first - dt.timedelta(days=1)).replace(day=1),
        next_month=(first + dt.timedelta(days=32)).replace(day=1),
        marks=adherence_marks(current_user, start, end),
        **_context(planner),
    )


@bp.get("/day/<day>")
@login_required
def day(day: str):
    date = _parse_day(day)
    planner = planner_for(current_user)
    plan = planner.plan(date, date + dt.timedelta(days=1))
    day_plan = plan.days[0] if plan.days else None
    return render_template(
        "plan/day.html",
        plan=plan,
        day=day_plan,
        date=date,
        today=planner.today,
        marks=adherence_marks(current_user, date, date + dt.timedelta(days=1)),
        **_context(planner),
    )


@bp.post("/day/<day>/mark")
@login_required
def mark(day: str):
    """Mark one step of a day done or skipped (or clear the mark)."""
    date = _parse_day(day)
    key = request.form.get("step", "")
    status = request.form.get("status", "")
    if status not in (*ADHERENCE_STATUSES, "clear"):
        return render_error(400, "Say whether the step was done or skipped.")
    plan = planner_for(current_user).plan(date, date + dt.timedelta(days=1))
    planned = {step_key(s) for d in plan.days for s in d.steps}
    if key not in planned:
        return render_error(400, "That step is not in your plan for this day.")
    record_marks(current_user, date, [key], None if status == "clear" else status)
    if status != "clear":
        flash(f"Marked {status} for {date:%d %B}.", "success")
    return redirect(safe_next(request.form.get("next")) or url_for("plan.day", day=date.isoformat()))


def month_grid(first: dt.date) -> list[list[dt.date]]:
    """Whole weeks, Monday first, covering the month of `first`."""
    return calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)


def _parse_day(text: str) -> dt.date:
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        abort(404)
    if not 1990 <= date.year <= 2100:
        abort(404)
    return date


def _context(planner: UserPlanner) -> dict:
    """What every plan page needs besides the days."""
    return {
        "Slot": Slot,
        "MarkerKind": MarkerKind,
        "step_key": step_key,
        "has_procedures": bool(planner.inputs.procedures),
        "has_products": bool(planner.inputs.products),
        "zone_known": planner.zone_known,
        "slot_times": {Slot.MORNING: current_user.morning_time, Slot.EVENING: current_user.evening_time},
    }

