"""The landing page, the home redirect and template helpers."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Flask, redirect, render_template, url_for
from flask_login import current_user

from planner.core import aftercare_catalog, catalog, checkins, clashes, pregnancy

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    return render_template("pages/index.html")


@bp.get("/home")
def home():
    """Where a logged-in person lands: their week."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for("plan.week"))


@bp.get("/about")
def about():
    """How the planner decides: every catalog number with its sources."""
    return render_template("pages/about.html", kinds=catalog.procedure_kinds(), explain=catalog.explain,
                           flags=pregnancy.FLAGS, clash_rules=clashes.RULES, source=catalog.get_source,
                           checkin_sources=checkins.SOURCES, checkin_ask_days=checkins.ASK_DAYS,
                           aftercare=aftercare_catalog.explain, aftercare_sources=aftercare_catalog.source_keys)


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["longdate"] = long_date
    app.jinja_env.filters["shortdate"] = short_date
    app.jinja_env.filters["hhmm"] = lambda t: t.strftime("%H:%M") if t else ""
    app.jinja_env.globals["timedelta"] = dt.timedelta


def long_date(day: dt.date) -> str:
    """'Thursday 12 March 2026' — unambiguous in every locale."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_date(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"
