"""The product and procedure forms for the whole routine: a product's type, its parts of the day and
its areas; a procedure's treated area; and the day pages that follow from them."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from planner.extensions import db
from planner.storage.models import Procedure, Product
from tests.web.test_records import procedure_form, product_form

MOISTURIZER = "Aqua, Glycerin, Caprylic/Capric Triglyceride, Cetearyl Alcohol, Ceramide NP, Phenoxyethanol"
SUNSCREEN = ("Aqua, Homosalate, Ethylhexyl Salicylate, Octocrylene, Butyl Methoxydibenzoylmethane, Glycerin, "
             "Phenoxyethanol")
RETINOL = "Aqua, Squalane, Glycerin, Retinol, Tocopherol, Phenoxyethanol"


def slot_section(page: str, slot: str) -> list[str]:
    """The step names of one slot of the first day shown on a page."""
    found = re.search(rf'class="slot slot-{slot}".*?<ol class="steps">(.*?)</ol>', page, re.S)
    return re.findall(r'<span class="step-name">([^<]*)</span>', found.group(1)) if found else []


def errors(page: str) -> dict[str, str]:
    return dict(re.findall(r'id="([a-z_]+)-error"[^>]*>([^<]*)<', page))


def test_a_morning_and_evening_moisturizer_and_a_sunscreen_make_a_morning_routine(client, logged_in):
    response = client.post("/products/new", data=product_form(
        name="Barrier", ingredients=MOISTURIZER, product_type="moisturizer", slot="both"))
    assert response.status_code == 302
    assert client.post("/products/new", data=product_form(name="Day fluid", ingredients=SUNSCREEN)).status_code == 302
    barrier = db.session.scalar(sa.select(Product).where(Product.name == "Barrier"))
    assert (barrier.product_type, barrier.slot, barrier.areas) == ("moisturizer", "both", "face")

    page = client.get("/plan/day/2026-03-20").text
    assert slot_section(page, "morning") == ["Barrier", "Day fluid"]  # the sunscreen last
    assert "Barrier" in slot_section(page, "evening") and "Day fluid" not in slot_section(page, "evening")

    show = client.get(f"/products/{barrier.id}").text
    assert "Moisturizer or cream" in show and "Morning and evening" in show
    fluid = db.session.scalar(sa.select(Product).where(Product.name == "Day fluid"))
    show = client.get(f"/products/{fluid.id}").text
    assert re.search(r'class="product-type">Sunscreen <span class="tag">guessed from the name</span>', show)
    assert '<span class="class-chip class-sunscreen">sunscreen</span>' in show
    assert 'class="product-slots">Morning <span class="tag">as usual for its type</span>' in show
    listing = client.get("/products/").text
    assert "morning and evening, on face" in listing and "morning, on face" in listing


def test_a_client_that_sends_no_areas_keeps_the_face_or_the_products_own(client, logged_in):
    data = product_form(ingredients=MOISTURIZER)
    del data["areas"]
    assert client.post("/products/new", data=data).status_code == 302
    product = db.session.scalar(sa.select(Product))
    assert product.areas == "face"
    product.areas = "neck,chest"
    db.session.commit()
    assert client.post(f"/products/{product.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Product, product.id).areas == "neck,chest"


def test_the_product_form_keeps_type_slot_and_areas_on_edit(client, logged_in):
    client.post("/products/new", data=product_form(name="Hand cream", ingredients=MOISTURIZER,
                                                   areas=["hands", "body"], slot="evening"))
    product = db.session.scalar(sa.select(Product))
    assert product.areas == "hands,body" and product.product_type is None
    form = client.get(f"/products/{product.id}/edit").text
    assert re.search(r'<input checked id="areas-3" name="areas" type="checkbox" value="hands">', form)
    assert re.search(r'<option selected value="evening">', form)
    assert "From its name: Moisturizer or cream." in form
    assert 'class="product-areas">Hands, Body' in client.get(f"/products/{product.id}").text


def test_product_form_errors_are_clear(client, logged_in):
    # the form sends an empty value beside the boxes: nothing ticked
    page = client.post("/products/new", data=product_form(areas=[""])).text
    assert errors(page)["areas"] == "Tick at least one area (the face, for most products)."
    page = client.post("/products/new", data=product_form(ingredients=RETINOL, slot="both")).text
    assert errors(page)["slot"].startswith("This product holds an exfoliant")
    page = client.post("/products/new", data=product_form(ingredients=SUNSCREEN, slot="evening")).text
    assert errors(page)["slot"] == "A sunscreen goes on in the morning: choose the morning, or another type."
    page = client.post("/products/new", data=product_form(product_type="potion", areas=["elbow"])).text
    assert errors(page)["product_type"] == "Not a valid choice."
    assert "areas" in errors(page)
    assert db.session.scalar(sa.select(sa.func.count(Product.id))) == 0


def test_a_leg_procedure_leaves_the_facial_retinol_on_its_nights(client, logged_in, factory):
    factory.product(logged_in, name="Night Retinol", ingredients=RETINOL)
    factory.product(logged_in, name="Leg lotion", ingredients="Aqua, Glycolic Acid, Glycerin", areas="body")
    response = client.post("/procedures/new", data=procedure_form(kind="laser_hair_removal", area="body"))
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Procedure.area)) == "body"
    assert '<span class="tag area">body</span>' in client.get("/procedures/").text

    page = client.get("/plan/day/2026-03-14").text  # two days after the laser
    assert "Night Retinol" in slot_section(page, "evening")
    assert "Recovery after laser hair removal on your body" in page
    assert re.search(r"no AHA on your body: day 2 of \d+ after laser hair removal on 12 March", page)
    # the same laser on the face pauses the retinol
    procedure = db.session.scalar(sa.select(Procedure))
    client.post(f"/procedures/{procedure.id}/edit", data=procedure_form(kind="laser_hair_removal", area="face"))
    page = client.get("/plan/day/2026-03-14").text
    assert "Night Retinol" not in slot_section(page, "evening")
    assert re.search(r"no retinoid: day 2 of \d+ after laser hair removal", page)


def test_a_procedure_area_must_be_one_of_the_list(client, logged_in):
    page = client.post("/procedures/new", data=procedure_form(area="elbow")).text
    assert errors(page)["area"] == "Not a valid choice."
    assert db.session.scalar(sa.select(sa.func.count(Procedure.id))) == 0
    form = client.get("/procedures/new").text
    assert '<option selected value="face">Face</option>' in form
