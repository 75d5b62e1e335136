"""Procedures and products: record, list, edit, delete — and bad input answered with field errors."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from planner.extensions import db
from planner.storage.models import Procedure, Product
from planner.planning import local_today

RETINOL_SERUM = "Aqua, Squalane, Glycerin, Retinol, Tocopherol, Phenoxyethanol"


def procedure_form(**overrides) -> dict:
    blank = {"washout_days_override": "", "retinoid_days_override": "", "actives_days_override": ""}
    return {"kind": "microneedling", "performed_on": "2026-03-12", "intensity": "standard", "clinic": "", "notes": "", **blank, **overrides}


def product_form(**overrides) -> dict:
    return {"name": "Retinol serum", "brand": "Acme", "ingredients": RETINOL_SERUM, "exosome_source": "", "is_plated": "", "slot": "", "cadence_kind": "daily", "cadence_every_n": "3", "is_active": "y", "areas": ["face"], **overrides}


def test_add_list_edit_delete_procedure(client, logged_in):
    response = client.post("/procedures/new", data=procedure_form(clinic="Glow Clinic", retinoid_days_override="10"))
    assert response.status_code == 302
    row = db.session.scalar(sa.select(Procedure))
    assert (row.kind, row.performed_on, row.retinoid_days_override, row.clinic) == ("microneedling", dt.date(2026, 3, 12), 10, "Glow Clinic")

    page = client.get("/procedures/").text
    assert "Microneedling" in page and "Glow Clinic" in page and "clinician's numbers" in page

    # A planned procedure is allowed: "upcoming" is measured from the user's own today.
    planned = local_today(logged_in) + dt.timedelta(days=40)
    response = client.post(f"/procedures/{row.id}/edit", data=procedure_form(kind="ipl_photofacial", performed_on=planned.isoformat()))
    assert response.status_code == 302
    db.session.expire_all()
    row = db.session.get(Procedure, row.id)
    assert row.kind == "ipl_photofacial" and row.performed_on == planned and row.retinoid_days_override is None
    page = client.get("/procedures/").text
    assert "Upcoming" in page and "No upcoming procedures" not in page

    assert client.post(f"/procedures/{row.id}/delete").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Procedure.id))) == 0


def test_procedure_bad_input_gets_field_errors_and_keeps_input(client, logged_in):
    response = client.post(
        "/procedures/new",
        data=procedure_form(kind="tattoo_removal", performed_on="2026-02-30", notes="<script>alert(1)</script>", retinoid_days_override="900"),
    )
    assert response.status_code == 200
    page = response.text
    assert "Choose a procedure from the list" in page
    assert "2026-02-30 is not a real date" in page
    assert "from 0 to 365" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert 'value="2026-02-30"' in page  # what the user typed is still there
    assert db.session.scalar(sa.select(sa.func.count(Procedure.id))) == 0


def test_product_is_classified_with_triggers_and_can_be_corrected(client, logged_in):
    response = client.post("/products/new", data=product_form())
    assert response.status_code == 302
    product = db.session.scalar(sa.select(Product))
    page = client.get(f"/products/{product.id}").text
    assert "retinoid" in page and "Retinol" in page

    response = client.post(f"/products/{product.id}/edit", data=product_form(classes=["gentle"]))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Product, product.id).classes_override == "gentle"
    assert "corrected by you" in client.get(f"/products/{product.id}").text


def test_product_list_says_each_cadence_in_words(client, logged_in):
    client.post("/products/new", data=product_form(name="Peel pads", cadence_kind="weekdays", cadence_weekdays=["4", "0", "2"]))
    client.post("/products/new", data=product_form(name="BHA", cadence_kind="every_n_days", cadence_every_n="3", slot="morning"))
    client.post("/products/new", data=product_form(name="Retinal", cadence_kind="every_other_day"))
    rows = {row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in client.get("/products/").text.split("<tr")[2:]}
    # the cadence, then where the plan puts it: a retinoid (these all hold one) at night, whatever was chosen
    assert "\"Use\">Mon, Wed, Fri, evening, on face</td>" in rows["Peel pads"]
    assert "\"Use\">every 3 days, evening, on face</td>" in rows["BHA"]
    assert "\"Use\">every other day, evening, on face</td>" in rows["Retinal"]


def test_exosome_serum_shows_its_source_explained(client, logged_in):
    client.post("/products/new", data=product_form(name="Exo serum", ingredients="Water, Human Adipocyte Conditioned Media Extract, Glycerin", exosome_source="human", is_plated="yes"))
    product = db.session.scalar(sa.select(Product))
    page = client.get(f"/products/{product.id}").text
    assert "About this exosome serum" in page
    assert "human" in page.lower() and "tissue bank" in page.lower()


def test_product_bad_input_gets_field_errors_and_keeps_input(client, logged_in):
    huge = "Aqua, " * 40_000  # 240 KB
    response = client.post(
        "/products/new",
        data=product_form(name="", ingredients=huge, cadence_kind="weekdays", brand="<b>bold</b>"),
    )
    assert response.status_code == 200
    page = response.text
    assert "Give the product a name" in page
    assert "the most we accept is 20,000" in page
    assert "Tick at least one weekday" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert db.session.scalar(sa.select(sa.func.count(Product.id))) == 0


def test_markup_in_names_is_shown_escaped_everywhere(client, logged_in):
    client.post("/products/new", data=product_form(name='<img src=x onerror="alert(1)">'))
    product = db.session.scalar(sa.select(Product))
    for path in ("/products/", f"/products/{product.id}", "/plan/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in response.text, path
        assert "<img src=x" not in response.text, path


def test_other_users_records_answer_404(client, logged_in, factory):
    stranger = factory.user(email="eve@example.com")
    procedure = factory.procedure(stranger)
    product = factory.product(stranger, name="Eve's secret cream")
    for path in (f"/procedures/{procedure.id}/edit", f"/products/{product.id}", f"/products/{product.id}/edit"):
        assert client.get(path).status_code == 404, path
    for path in (f"/procedures/{procedure.id}/delete", f"/products/{product.id}/delete", f"/procedures/{procedure.id}/edit"):
        assert client.post(path, data=procedure_form()).status_code == 404, path
    assert "Eve&#39;s secret cream" not in client.get("/products/").text
    assert db.session.scalar(sa.select(sa.func.count(Procedure.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(Product.id))) == 1


def test_profile_saves_zone_slot_and_safety_answers(client, logged_in):
    form = {
        "timezone": "Pacific/Kiritimati", "serum_slot": "morning", "morning_time": "06:45", "evening_time": "22:00",
        "reminder_time": "06:30", "pregnant": "y", "emails_enabled": "y", "remind_daily": "y",
    }
    assert client.post("/settings/profile", data=form).status_code == 302
    db.session.refresh(logged_in)
    assert logged_in.timezone == "Pacific/Kiritimati" and logged_in.serum_slot == "morning"
    assert logged_in.reminder_time == dt.time(6, 30) and logged_in.pregnant and not logged_in.remind_washout


def test_profile_rejects_unknown_zone_and_bad_time_keeping_input(client, logged_in):
    response = client.post("/settings/profile", data={"timezone": "Europe/Atlantis", "serum_slot": "noon", "morning_time": "25:99", "evening_time": "21:00", "reminder_time": "07:00"})
    assert response.status_code == 200
    assert "Unknown time zone" in response.text
    assert 'value="Europe/Atlantis"' in response.text
    assert "Not a valid time value." in response.text  # WTForms' own message for a malformed time
    db.session.refresh(logged_in)
    assert logged_in.timezone == "Europe/Berlin"


def test_profile_blank_time_gets_the_custom_message(client, logged_in):
    form = {"timezone": "Europe/Berlin", "serum_slot": "evening", "morning_time": "", "evening_time": "21:00", "reminder_time": "07:00"}
    response = client.post("/settings/profile", data=form)
    assert response.status_code == 200
    assert "Enter a time like 07:30." in response.text
    db.session.refresh(logged_in)
    assert logged_in.morning_time is not None


def test_a_clinicians_number_far_below_the_sources_is_confirmed_once(client, logged_in):
    form = procedure_form(kind="fully_ablative_resurfacing", retinoid_days_override="0", actives_days_override="0")
    response = client.post("/procedures/new", data=form)
    assert response.status_code == 200
    page = response.text
    assert 'id="confirm-low"' in page
    assert "No retinoids for this many days after: 0 is far below the sources&#39; minimum of 21 days" in page
    assert db.session.scalar(sa.select(sa.func.count(Procedure.id))) == 0
    assert client.post("/procedures/new", data={**form, "confirm_low": "y"}).status_code == 302
    row = db.session.scalar(sa.select(Procedure))
    assert (row.retinoid_days_override, row.actives_days_override) == (0, 0)
    index = client.get("/procedures/").text
    assert "your clinician's number" in index
    # once: saving the same numbers again asks nothing; a close-enough number never asks
    assert client.post(f"/procedures/{row.id}/edit", data=form).status_code == 302
    assert client.post(f"/procedures/{row.id}/edit", data={**form, "retinoid_days_override": "14"}).status_code == 302


def test_home_serum_override_and_intensity_explained_where_it_is_picked(client, logged_in):
    page = client.get("/procedures/new").text
    assert "Light: the shortest windows the sources give; choose it when your clinician called the treatment light." in page
    assert '<option selected value="standard">' in page or 'value="standard" selected' in page
    response = client.post("/procedures/new", data=procedure_form(kind="ablative_fractional_laser",
                                                                   home_serum_day_override="5"))
    assert response.status_code == 302
    row = db.session.scalar(sa.select(Procedure))
    assert row.home_serum_day_override == 5
    assert "home serum from day 5" in client.get("/procedures/").text


def test_products_can_be_marked_approved_by_the_clinic_for_healing_skin(client, logged_in):
    assert client.post("/products/new", data=product_form(clinic_approved="y")).status_code == 302
    row = db.session.scalar(sa.select(Product))
    assert row.clinic_approved is True
    assert "approved by my clinic for healing skin" in client.get("/products/").text
    assert client.post(f"/products/{row.id}/edit", data=product_form()).status_code == 302
    db.session.expire_all()
    assert db.session.get(Product, row.id).clinic_approved is False
