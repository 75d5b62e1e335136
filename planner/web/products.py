"""Recording skincare products: the ingredient list is classified, the user can correct it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from planner.core import cadence, layering, pregnancy
from planner.core.ingredients import classify
from planner.core.model import (
    AREA_LABELS, CLASS_LABELS, PAUSED_CLASSES, PRODUCT_TYPE_LABELS, Area, ExosomeSource, ProductClass, ProductType, Slot,
)
from planner.core.safety import PEPTIDE_ALONGSIDE, PLATED_ADVICE, describe_exosome_source
from planner.extensions import db
from planner.storage.models import Product
from planner.planning import effective_classes, local_today, product_classification
from planner.planning.inputs import cadence_of, product_input, profile_of
from planner.storage.adherence import forget_product_marks
from planner.storage.queries import get_owned, list_products
from planner.web.forms_util import BoundedIntegerField
from planner.web.product_use import product_use

bp = Blueprint("products", __name__, url_prefix="/products")

MAX_INGREDIENTS_CHARS = 20_000
WEEKDAYS = {"0": "Mon", "1": "Tue", "2": "Wed", "3": "Thu", "4": "Fri", "5": "Sat", "6": "Sun"}
CADENCES = {
    "daily": "Every day",
    "every_other_day": "Every other day",
    "weekdays": "On chosen weekdays",
    "every_n_days": "Every N days",
}


#: What each exosome source means, shown where the user picks one.
SOURCE_NOTES = {source: describe_exosome_source(source, None) for source in ExosomeSource}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class BlankableSelectField(SelectField):
    """A select whose "" choice stands for a stored None (the engine chooses)."""

    def process_data(self, value) -> None:
        super().process_data("" if value is None else value)


class AreasField(MultiCheckboxField):
    """The areas a product is used on; reads the stored "face,neck" from the product itself.

    The form always sends an empty ``areas`` beside the boxes, so "nothing ticked" (an error) is
    told apart from a client that sends no areas at all (a script written before areas), which
    keeps the default (the face) or the product's own areas."""

    def process_data(self, value) -> None:
        super().process_data(value.split(",") if isinstance(value, str) else value)

    def process_formdata(self, valuelist) -> None:
        if valuelist:
            super().process_formdata([v for v in valuelist if v])


class ProductForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Give the product a name."), Length(max=120, message="Keep the name under 120 characters.")])
    brand = StringField("Brand", validators=[Optional(), Length(max=120, message="Keep the brand under 120 characters.")])
    ingredients = TextAreaField("Ingredients (INCI list, as printed on the box)")
    exosome_source = SelectField(
        "Exosome source",
        choices={"": "Not an exosome serum", "human": "Human", "animal": "Animal", "plant": "Plant", "unknown": "Exosome serum, source unknown"},
        default="",
    )
    is_plated = SelectField("Plated (cultured) exosomes?", choices={"": "Don't know", "yes": "Yes", "no": "No"}, default="")
    product_type = BlankableSelectField(
        "Type", choices={"": "Guess from the name", **{t.value: label for t, label in PRODUCT_TYPE_LABELS.items()}},
        default="")
    slot = BlankableSelectField(
        "When you use it",
        choices={"": "As usual for its type", "morning": "Morning", "evening": "Evening", "both": "Morning and evening"},
        default="")
    areas = AreasField("Where you use it", choices={a.value: label for a, label in AREA_LABELS.items()},
                               default=[Area.FACE.value])
    cadence_kind = SelectField("How often (for exfoliants)", choices=CADENCES, default="daily")
    cadence_every_n = BoundedIntegerField("Every N days", default=3, validators=[Optional(), NumberRange(min=2, max=30, message="Choose between 2 and 30 days.")])
    cadence_weekdays = MultiCheckboxField("Weekdays", choices=WEEKDAYS)
    classes = MultiCheckboxField("Correct the classes (leave empty to trust the ingredient list)", choices={c.value: CLASS_LABELS[c] for c in ProductClass})
    is_active = BooleanField("I am using this product", default=True)
    clinic_approved = BooleanField("Provided or approved by my clinic for healing skin", default=False)

    def validate_ingredients(self, field) -> None:
        text = field.data or ""
        if len(text) > MAX_INGREDIENTS_CHARS:
            raise ValidationError(
                f"That ingredient list is {len(text):,} characters long; the most we accept is {MAX_INGREDIENTS_CHARS:,}. "
                "Paste only the ingredients."
            )

    def validate_areas(self, field) -> None:
        if not field.data:
            raise ValidationError("Tick at least one area (the face, for most products).")

    def validate_slot(self, field) -> None:
        """An exfoliant goes on once a day, a sunscreen in the morning: say so rather than plan
        something else than the user chose."""
        if field.data == "both" and self._classes() & PAUSED_CLASSES:
            raise ValidationError("This product holds an exfoliant (a retinoid, an acid, a scrub…): it goes on once a "
                                  "day, so choose the morning or the evening (retinoids: the evening).")
        sunscreen = self.product_type.data == ProductType.SUNSCREEN.value or (
            not self.product_type.data and ProductClass.SUNSCREEN in self._classes())
        if field.data == "evening" and sunscreen:
            raise ValidationError("A sunscreen goes on in the morning: choose the morning, or another type.")

    def _classes(self) -> frozenset[ProductClass]:
        """The classes the product will have: the user's correction, else the ingredient list's."""
        chosen = frozenset(ProductClass(c) for c in self.classes.data or [] if c in ProductClass._value2member_map_)
        return chosen or classify((self.ingredients.data or "")[:MAX_INGREDIENTS_CHARS]).classes

    def validate_cadence_weekdays(self, field) -> None:
        if self.cadence_kind.data == "weekdays" and not field.data:
            raise ValidationError("Tick at least one weekday.")

    def validate_cadence_every_n(self, field) -> None:
        if self.cadence_kind.data == "every_n_days" and not field.data:
            raise ValidationError("Enter how many days apart, from 2 to 30.")


def pregnancy_notes(product: Product) -> tuple[str, ...]:
    """"Discuss with your clinician" for a pregnant or breastfeeding user, with the sources."""
    if not pregnancy.applies_to(profile_of(current_user).safety):
        return ()
    return pregnancy.notes_for(product_input(product))


@bp.get("/")
@login_required
def index():
    serum_slot = Slot(current_user.serum_slot)
    rows = [(p, effective_classes(p), cadence.describe(cadence_of(p)), pregnancy_notes(p), product_use(p, serum_slot))
            for p in list_products(current_user)]
    return render_template("products/index.html", rows=rows)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = ProductForm()
    if form.validate_on_submit():
        product = Product(user_id=current_user.id, cadence_anchor=local_today(current_user))
        _fill(product, form)
        db.session.add(product)
        db.session.commit()
        flash(f"{product.name} added. Check the classes we found in its ingredients.", "success")
        return redirect(url_for("products.show", product_id=product.id))
    return render_template("products/form.html", form=form, product=None, sources=SOURCE_NOTES, guess="",
                           plated_advice=PLATED_ADVICE)


@bp.get("/<id:product_id>")
@login_required
def show(product_id: int):
    product = get_owned(Product, product_id, current_user) or abort(404)
    detected = product_classification(product)
    source = ExosomeSource(product.exosome_source) if product.exosome_source else None
    classes = effective_classes(product, detected)
    about_source = describe_exosome_source(source, product.is_plated) if ProductClass.EXOSOME in classes else []
    return render_template(
        "products/show.html", product=product, detected=detected, classes=classes, about_source=about_source,
        pregnancy_notes=pregnancy_notes(product), plated_advice=PLATED_ADVICE, peptide_alternative=PEPTIDE_ALONGSIDE,
        use=product_use(product, Slot(current_user.serum_slot)),
    )


@bp.route("/<id:product_id>/edit", methods=["GET", "POST"])
@login_required
def edit(product_id: int):
    product = get_owned(Product, product_id, current_user) or abort(404)
    form = ProductForm(obj=product)
    if not form.is_submitted():
        form.exosome_source.data = product.exosome_source or ""
        form.is_plated.data = {True: "yes", False: "no"}.get(product.is_plated, "")
        form.slot.data = product.slot or ""
        form.cadence_weekdays.data = [d for d in product.cadence_weekdays.split(",") if d]
        form.classes.data = sorted(c.value for c in effective_classes(product))
    if form.validate_on_submit():
        _fill(product, form)
        db.session.commit()
        flash("Product updated.", "success")
        return redirect(url_for("products.show", product_id=product.id))
    guess = layering.guess_type(product.name, effective_classes(product))
    return render_template("products/form.html", form=form, product=product, sources=SOURCE_NOTES,
                           guess=PRODUCT_TYPE_LABELS[guess] if guess else "",
                           plated_advice=PLATED_ADVICE)


@bp.post("/<id:product_id>/delete")
@login_required
def delete(product_id: int):
    product = get_owned(Product, product_id, current_user) or abort(404)
    forget_product_marks(product)
    db.session.delete(product)
    db.session.commit()
    flash(f"{product.name} deleted.", "info")
    return redirect(url_for("products.index"))


def _fill(product: Product, form: ProductForm) -> None:
    product.name = form.name.data.strip()
    product.brand = (form.brand.data or "").strip()
    product.ingredients = (form.ingredients.data or "").strip()
    product.exosome_source = form.exosome_source.data or None
    product.is_plated = {"yes": True, "no": False}.get(form.is_plated.data)
    product.slot = form.slot.data or None
    product.product_type = form.product_type.data or None
    product.areas = ",".join(a.value for a in Area if a.value in form.areas.data)
    product.cadence_kind = form.cadence_kind.data
    product.cadence_every_n = form.cadence_every_n.data or 2
    product.cadence_weekdays = ",".join(sorted(form.cadence_weekdays.data or []))
    product.is_active = form.is_active.data
    product.clinic_approved = form.clinic_approved.data
    chosen = frozenset(ProductClass(c) for c in form.classes.data or [])
    product.classes_override = None
    if chosen and chosen != effective_classes(product):
        product.classes_override = ",".join(sorted(c.value for c in chosen))
