"""Recording in-office procedures: list, add, edit, delete."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from planner.core import catalog
from planner.core.model import AREA_LABELS, Area
from planner.extensions import db
from planner.storage.models import Procedure
from planner.planning import planner_for
from planner.storage.queries import get_owned, list_procedures
from planner.web.forms_util import BoundedIntegerField, CalendarDateField

bp = Blueprint("procedures", __name__, url_prefix="/procedures")

INTENSITIES = {"light": "Light", "standard": "Standard", "aggressive": "Aggressive / deep"}
#: What each intensity does to the windows, shown where the user picks it.
INTENSITY_HINTS = {
    "light": "the shortest windows the sources give; choose it when your clinician called the treatment light.",
    "standard": "the cautious middle of what the sources give; choose it when you are not sure (the default).",
    "aggressive": "the longest windows the sources give; choose it for deep or strong settings, or slow healing.",
}
OVERRIDE_RANGE = NumberRange(min=0, max=365, message="Enter a number of days from 0 to 365.")
#: Override field on the form → the catalog field it sets.
OVERRIDE_FIELDS = {
    "washout_days_override": "washout_days_before",
    "retinoid_days_override": "retinoid_days_after",
    "actives_days_override": "actives_days_after",
    "home_serum_day_override": "home_serum_from_day",
}


def kind_choices() -> dict[str, dict[str, str]]:
    """Procedure kinds grouped as the catalog groups them (needling, peels, lasers…)."""
    groups: dict[str, dict[str, str]] = {}
    for kind in catalog.procedure_kinds():
        groups.setdefault(kind.group or "Other", {})[kind.key] = kind.label
    return groups


class ProcedureForm(FlaskForm):
    kind = SelectField("Procedure", validate_choice=False)
    performed_on = CalendarDateField("Date", validators=[InputRequired("Enter the date as year-month-day, e.g. 2026-03-12.")])
    intensity = SelectField("Intensity", choices=INTENSITIES, default="standard")
    area = SelectField("Treated area", choices={a.value: label for a, label in AREA_LABELS.items()},
                       default=Area.FACE.value)
    clinic = StringField("Clinic", validators=[Optional(), Length(max=120, message="Keep the clinic name under 120 characters.")])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=4000, message="Keep notes under 4,000 characters.")])
    washout_days_override = BoundedIntegerField("Stop exfoliants this many days before", validators=[Optional(), OVERRIDE_RANGE])
    retinoid_days_override = BoundedIntegerField("No retinoids for this many days after", validators=[Optional(), OVERRIDE_RANGE])
    actives_days_override = BoundedIntegerField("No acids, scrubs or other actives for this many days after", validators=[Optional(), OVERRIDE_RANGE])
    home_serum_day_override = BoundedIntegerField("Home serum allowed from day (after peels and ablative lasers)", validators=[Optional(), OVERRIDE_RANGE])
    confirm_low = BooleanField("Yes, these are my clinician's numbers")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = kind_choices()

    def validate_kind(self, field) -> None:
        if not catalog.is_known(field.data or ""):
            raise ValidationError("Choose a procedure from the list.")


@bp.get("/")
@login_required
def index():
    planner = planner_for(current_user)
    today = planner.today
    procedures = list_procedures(current_user)
    upcoming = [p for p in procedures if p.performed_on >= today]
    past = sorted((p for p in procedures if p.performed_on < today), key=lambda p: p.performed_on, reverse=True)
    windows = {facts.id: facts.windows for facts in planner.facts()}
    return render_template(
        "procedures/index.html", upcoming=upcoming, past=past, labels=_labels(), today=today, windows=windows
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = ProcedureForm()
    low = []
    if form.validate_on_submit():
        low = low_overrides(form, None)
        if not low or form.confirm_low.data:
            procedure = Procedure(user_id=current_user.id)
            _fill(procedure, form)
            db.session.add(procedure)
            db.session.commit()
            flash(f"{_labels()[procedure.kind]} on {procedure.performed_on:%d %B %Y} added.", "success")
            return redirect(url_for("procedures.index"))
    return _form_page(form, None, low)


@bp.route("/<id:procedure_id>/edit", methods=["GET", "POST"])
@login_required
def edit(procedure_id: int):
    procedure = get_owned(Procedure, procedure_id, current_user) or abort(404)
    form = ProcedureForm(obj=procedure)
    low = []
    if form.validate_on_submit():
        low = low_overrides(form, procedure)
        if not low or form.confirm_low.data:
            _fill(procedure, form)
            db.session.commit()
            flash("Procedure updated.", "success")
            return redirect(url_for("procedures.index"))
    return _form_page(form, procedure, low)


@bp.post("/<id:procedure_id>/delete")
@login_required
def delete(procedure_id: int):
    procedure = get_owned(Procedure, procedure_id, current_user) or abort(404)
    db.session.delete(procedure)
    db.session.commit()
    flash("Procedure deleted.", "info")
    return redirect(url_for("procedures.index"))


def _form_page(form: ProcedureForm, procedure: Procedure | None, low: list[str]):
    return render_template("procedures/form.html", form=form, procedure=procedure, kinds=catalog.procedure_kinds(),
                           intensity_hints=INTENSITY_HINTS, low=low)


def low_overrides(form: ProcedureForm, procedure: Procedure | None) -> list[str]:
    """A sentence for each clinician's number just entered that is far below the sources'
    minimum (catalog.far_below_sources). Asked once: a number already saved is not asked again."""
    kind = form.kind.data
    found = []
    for name, field in OVERRIDE_FIELDS.items():
        value = getattr(form, name).data
        if value is None or (procedure is not None and getattr(procedure, name) == value):
            continue
        minimum = catalog.far_below_sources(kind, field, value)
        if minimum is not None:
            label = getattr(form, name).label.text
            found.append(f"{label}: {value} is far below the sources' minimum of {minimum} "
                         f"{'day' if minimum == 1 else 'days'} for {_labels()[kind].lower()}.")
    return found


def _fill(procedure: Procedure, form: ProcedureForm) -> None:
    procedure.kind = form.kind.data
    procedure.performed_on = form.performed_on.data
    procedure.intensity = form.intensity.data
    procedure.area = form.area.data
    procedure.clinic = (form.clinic.data or "").strip()
    procedure.notes = (form.notes.data or "").strip()
    procedure.washout_days_override = form.washout_days_override.data
    procedure.retinoid_days_override = form.retinoid_days_override.data
    procedure.actives_days_override = form.actives_days_override.data
    procedure.home_serum_day_override = form.home_serum_day_override.data


def _labels() -> dict[str, str]:
    return {kind.key: kind.label for kind in catalog.procedure_kinds()}
