"""The plan pages: this week, the month calendar, a day explained, adherence marks."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from planner.extensions import db
from planner.storage.models import AdherenceMark
from planner.planning import local_today

RETINOL = "Aqua, Squalane, Glycerin, Retinol, Tocopherol, Phenoxyethanol"
EXOSOME = "Water, Human Adipocyte Conditioned Media Extract, Glycerin, Sodium Hyaluronate"
PEPTIDE = "Aqua, Glycerin, Palmitoyl Tripeptide-1, Acetyl Hexapeptide-8, Phenoxyethanol"


def setup_microneedling(factory, user, day: dt.date):
    factory.procedure(user, kind="microneedling", performed_on=day)
    factory.product(user, name="Night Retinol", ingredients=RETINOL)
    factory.product(user, name="Glow Exosomes", ingredients=EXOSOME, exosome_source="human")


def test_week_page_shows_serum_recovery_band_and_pause_reasons(client, logged_in, factory):
    today = local_today(logged_in)
    setup_microneedling(factory, logged_in, today - dt.timedelta(days=2))
    page = client.get("/plan/").text
    assert "Today and the next 7 days" in page
    assert "Glow Exosomes" in page
    assert "band-recovery" in page and "Recovery" in page
    assert re.search(r"no retinoid: day 2 of \d+ after microneedling", page)
    assert "General information, not medical advice" in page


def test_month_page_marks_windows_and_navigates(client, logged_in, factory):
    setup_microneedling(factory, logged_in, dt.date(2026, 3, 12))
    page = client.get("/plan/month?month=2026-03").text
    assert "March 2026" in page
    assert "band-procedure" in page and "band-washout" in page and "band-recovery" in page
    assert 'href="/plan/day/2026-03-12"' in page
    assert "?month=2026-02" in page and "?month=2026-04" in page
    # A day inside the window lists the retinoid as paused, not as a step.
    cell = re.sub(r"<[^>]+>", "", page.split('data-date="2026-03-14"')[1].split("</td>")[0])
    assert "‖ Night Retinol" in cell and "◆ Night Retinol" not in cell


def test_bad_month_is_a_400_with_a_reason(client, logged_in):
    response = client.get("/plan/month?month=2026-13")
    assert response.status_code == 400
    assert "is not a month" in response.text
    assert client.get("/plan/month?month=garbage").status_code == 400
    assert client.get("/plan/day/2026-02-30").status_code == 404


def test_day_page_explains_every_decision(client, logged_in, factory):
    setup_microneedling(factory, logged_in, dt.date(2026, 3, 12))
    page = client.get("/plan/day/2026-03-12").text
    assert "Every decision for this day" in page
    assert "after your treatment" in page
    assert "Night Retinol" in page and "procedure day" in page.lower()


def test_mark_done_skip_and_undo(client, logged_in, factory):
    setup_microneedling(factory, logged_in, dt.date(2026, 3, 12))
    response = client.post("/plan/day/2026-03-20/mark", data={"step": "serum", "status": "done"})
    assert response.status_code == 302
    mark = db.session.scalar(sa.select(AdherenceMark))
    assert (mark.local_day, mark.step_key, mark.status) == (dt.date(2026, 3, 20), "serum", "done")
    assert "✓ done" in client.get("/plan/day/2026-03-20").text
    client.post("/plan/day/2026-03-20/mark", data={"step": "serum", "status": "skipped"})
    db.session.expire_all()
    assert db.session.scalar(sa.select(AdherenceMark.status)) == "skipped"
    client.post("/plan/day/2026-03-20/mark", data={"step": "serum", "status": "clear"})
    assert db.session.scalar(sa.select(sa.func.count(AdherenceMark.id))) == 0


def test_mark_rejects_steps_not_planned_that_day(client, logged_in, factory):
    setup_microneedling(factory, logged_in, dt.date(2026, 3, 12))
    retinol_id = db.session.scalar(sa.text("select id from products where name = 'Night Retinol'"))
    # The retinoid is paused on 14 March: it cannot be marked done.
    response = client.post("/plan/day/2026-03-14/mark", data={"step": f"product:{retinol_id}", "status": "done"})
    assert response.status_code == 400 and "not in your plan" in response.text
    response = client.post("/plan/day/2026-03-14/mark", data={"step": "serum", "status": "maybe"})
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(AdherenceMark.id))) == 0


def test_plan_pages_never_show_another_users_data(client, logged_in, factory):
    today = local_today(logged_in)
    setup_microneedling(factory, logged_in, today)
    stranger = factory.user(email="eve@example.com")
    factory.product(stranger, name="Eve Secret Serum", ingredients=EXOSOME, exosome_source="plant")
    factory.procedure(stranger, kind="deep_chemical_peel", performed_on=today)
    for path in ("/plan/", "/plan/month", f"/plan/day/{today.isoformat()}"):
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.text
        # The user's own plan is there: their serum and their procedure today ...
        assert "Glow Exosomes" in page and "Microneedling" in page, path
        # ... and nothing of the stranger's.
        assert "Eve Secret Serum" not in page and "chemical peel" not in page.lower(), path


def test_pregnancy_withholds_only_the_exosome_serum_until_approval(client, logged_in, factory):
    today = local_today(logged_in)
    setup_microneedling(factory, logged_in, today + dt.timedelta(days=14))
    logged_in.pregnant = True
    db.session.commit()
    washout_day = today + dt.timedelta(days=10)
    for path in ("/plan/", f"/plan/day/{washout_day.isoformat()}", f"/plan/month?month={washout_day:%Y-%m}"):
        page = client.get(path).text
        assert "See a dermatologist first" in page and 'id="awaiting-approval"' in page, path
        # The serum is no step of any day; the plan's standing notes say why it is left out.
        page_without_notes = page.split('id="plan-notes"')[0] + page.split('id="plan-notes"')[1].split("</div>", 1)[1]
        assert "Glow Exosomes" not in page_without_notes, path
        assert "Glow Exosomes is left out of the plan: it contains exosomes." in page, path
    day_page = client.get(f"/plan/day/{washout_day.isoformat()}").text
    assert "Washout before microneedling (day 4 of 7)" in day_page
    assert "no retinoid: washout, 4 days before microneedling" in day_page
    assert "No exosome serum until you confirm a dermatologist approved it" in day_page
    recovery = client.get(f"/plan/day/{(today + dt.timedelta(days=16)).isoformat()}").text
    assert "Recovery after microneedling (day 2 of" in recovery and "no retinoid: day 2 of" in recovery
    products = client.get("/products/").text
    assert "Night Retinol holds a topical retinoid" in products and "discuss with your clinician" in products
    logged_in.dermatologist_approved_at = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    db.session.commit()
    page = client.get("/plan/").text
    assert "Glow Exosomes" in page and 'id="awaiting-approval"' not in page


def test_after_ablative_fractional_laser_no_home_serum_until_healed_over(client, logged_in, factory):
    today = local_today(logged_in)
    factory.procedure(logged_in, kind="ablative_fractional_laser", performed_on=today)
    factory.product(logged_in, name="Glow Exosomes", ingredients=EXOSOME, exosome_source="human")
    for offset in range(8):
        page = client.get(f"/plan/day/{(today + dt.timedelta(days=offset)).isoformat()}").text
        assert "Glow Exosomes" not in page and "No home serum through" in page, offset
    assert "Glow Exosomes" in client.get(f"/plan/day/{(today + dt.timedelta(days=8)).isoformat()}").text


def test_active_infection_blocks_exosomes_and_uses_the_peptide(client, logged_in, factory):
    setup_microneedling(factory, logged_in, dt.date(2026, 3, 12))
    factory.product(logged_in, name="Peptide Repair", ingredients=PEPTIDE)
    logged_in.active_skin_infection = True
    db.session.commit()
    page = client.get("/plan/").text
    assert "No exosome plan" in page
    assert "peptide" in page.lower()
    week = page.split('<ol class="week">')[1].split('id="plan-notes"')[0]  # the notes below say why it is left out
    assert "Glow Exosomes" not in week and "Peptide Repair" in week


def test_the_about_page_describes_every_new_rule_with_its_sources(client):
    page = client.get("/about").text
    for words in ("One exosome step a day, always", "Safety answers never remove the windows",
                  "Open skin gets nothing from home", "The way back is one rule", "your clinician's number",
                  "Light: the shortest windows the sources give", "Pregnancy and breastfeeding: discuss with your clinician",
                  "Benzoyl peroxide breaks tretinoin down", "MARTIN_1998_BJD", "CHIEN_2016_JABFM", "BOZZO_2011_CFP",
                  "UKTIS_HYDROQUINONE", "MNT_SALICYLIC_ACOG", "https://doi.org/10.1046/j.1365-2133.1998.1390s2008.x"):
        assert words in page, words
    assert "through day 7 after the treatment" in page  # ablative fractional laser's healing hold, with its sources
