"""Input that once answered 500, each answered with a reason now: huge record ids, huge numbers,
a blank date, line breaks in `next`, files in text fields, NUL characters."""

from __future__ import annotations

import io

import pytest

from planner.storage.models import Procedure, Product
from tests.support.app import PASSWORD
from tests.web.test_records import procedure_form, product_form

HUGE_IDS = [2**31 - 1, 2**31, 2**63 - 1, 2**63, 10**30]


@pytest.mark.parametrize("record_id", HUGE_IDS)
def test_huge_record_ids_answer_404(client, logged_in, record_id):
    for method, path in (("get", f"/products/{record_id}"), ("get", f"/products/{record_id}/edit"),
                         ("post", f"/products/{record_id}/delete"), ("get", f"/procedures/{record_id}/edit"),
                         ("post", f"/procedures/{record_id}/delete")):
        assert getattr(client, method)(path).status_code == 404, path


def test_a_record_id_of_zero_or_negative_answers_404(client, logged_in):
    for path in ("/products/0", "/products/-1", "/products/+1"):
        assert client.get(path).status_code == 404


FOUR_HUNDRED_DIGITS = "9" * 400


@pytest.mark.parametrize("field", ["washout_days_override", "retinoid_days_override", "actives_days_override"])
def test_a_400_digit_override_is_a_form_error(client, logged_in, field):
    response = client.post("/procedures/new", data=procedure_form(**{field: FOUR_HUNDRED_DIGITS}))
    assert response.status_code == 200
    assert "Enter a number of days from 0 to 365." in response.text
    assert Procedure.query.count() == 0


@pytest.mark.parametrize("kind", ["every_n_days", "daily"])
def test_a_400_digit_cadence_is_a_form_error(client, logged_in, kind):
    response = client.post("/products/new", data=product_form(cadence_kind=kind, cadence_every_n=FOUR_HUNDRED_DIGITS))
    assert response.status_code == 200
    assert "Choose between 2 and 30 days." in response.text
    assert Product.query.count() == 0


@pytest.mark.parametrize("blank", ["   ", "\t", "\u00a0"])
def test_a_whitespace_only_date_is_a_form_error(client, logged_in, blank):
    response = client.post("/procedures/new", data=procedure_form(performed_on=blank))
    assert response.status_code == 200
    assert "Enter the date as year-month-day" in response.text
    assert Procedure.query.count() == 0


BAD_NEXT = ["/plan/\r\nSet-Cookie: x=1", "/plan/\n", "/\\evil.example", "/\r/evil.example", "\n//evil.example", "/\t/evil.example"]


@pytest.mark.parametrize("target", BAD_NEXT)
def test_line_breaks_or_backslashes_in_next_after_login_go_home(client, user, target):
    response = client.post("/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"


@pytest.mark.parametrize("target", BAD_NEXT)
def test_line_breaks_or_backslashes_in_next_of_the_mark_form_stay_on_the_day(client, logged_in, factory, target):
    factory.product(logged_in, name="Serum", ingredients="Aqua, Glycerin")
    day = client.get("/plan/day/2026-03-12")
    step = day.text.split('name="step" value="', 1)[1].split('"', 1)[0]
    response = client.post("/plan/day/2026-03-12/mark", data={"step": step, "status": "done", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/plan/day/2026-03-12"


def test_a_good_next_is_still_followed(client, user):
    response = client.post("/login", query_string={"next": "/plan/month?month=2026-03"},
                           data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/plan/month?month=2026-03"


def test_a_file_in_any_text_field_is_refused(client, logged_in):
    for path, form in (("/procedures/new", procedure_form()), ("/products/new", product_form()),
                       ("/login", {"email": "a@example.com", "password": "x"})):
        field = next(iter(form))
        response = client.post(path, data={**form, field: (io.BytesIO(b"text"), "f.txt")}, content_type="multipart/form-data")
        assert response.status_code == 400 and "takes text only, not files" in response.text, path


@pytest.mark.parametrize("path, form", [
    ("/products/new", product_form(name="Night\x00cream")),
    ("/products/new", product_form(ingredients="Aqua,\x00 Retinol")),
    ("/procedures/new", procedure_form(clinic="Glow\x00Clinic")),
    ("/login", {"email": "ada\x00@example.com", "password": PASSWORD}),
    ("/signup", {"email": "ada@example.com\x00", "password": PASSWORD, "confirm": PASSWORD}),
    ("/password/forgot", {"email": "\x00"}),
])
def test_nul_characters_are_refused_with_a_reason(client, logged_in, path, form):
    response = client.post(path, data=form)
    assert response.status_code == 400 and "contains a NUL character" in response.text
    assert Product.query.count() == 0 and Procedure.query.count() == 0


def test_nul_characters_in_a_query_are_refused_and_in_a_path_match_nothing(client, logged_in):
    refused = client.get("/plan/month", query_string={"month": "2026-03\x00"})
    assert refused.status_code == 400 and "contains a NUL character" in refused.text
    for path in ("/plan/day/2026-03-12%00", "/products/1%00", "/password/reset/%00", "/email/unsubscribe/a%00b"):
        assert client.get(path).status_code == 404, path
