"""The day page's skin check-in: "Is your skin still red, peeling, stinging or broken?".

A CSRF-protected POST from the plan pages records the answer through the plan service's one rule
(planning/checkins.py), then goes back to the page it came from, which shows the answer and the
window as the answer left it.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required

from planner.planning import planner_for
from planner.planning.checkins import CheckInRefused, answer
from planner.web.errors import render_error
from planner.web.plan import _parse_day
from planner.web.redirects import safe_next

bp = Blueprint("checkins", __name__, url_prefix="/plan")

THANKS = {
    "still": "Noted: your skin is still red, peeling, stinging or broken. Exfoliants stay paused tomorrow too; "
             "we will ask again.",
    "settled": "Noted: your skin has settled. Exfoliants come back gradually after the recovery window.",
}


@bp.post("/day/<day>/checkin")
@login_required
def checkin(day: str):
    """Record the answer for one procedure on one day (400 with the reason when the plan does not ask it)."""
    date = _parse_day(day)
    raw_id = request.form.get("procedure", "")
    if not raw_id.isdigit() or not 1 <= int(raw_id) <= 2**31 - 1:
        return render_error(400, "Choose the procedure the answer is about.")
    value = request.form.get("answer", "")
    try:
        answer(planner_for(current_user), int(raw_id), date, value)
    except CheckInRefused as why:
        return render_error(400, str(why))
    flash(THANKS[value], "success")
    return redirect(safe_next(request.form.get("next")) or url_for("plan.day", day=date.isoformat()))
