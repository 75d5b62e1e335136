"""Aftercare on the pages: the sun days and their warning, makeup/sweat/heat/pool/picking times,
the plan's standing notes, peptides and the plated-exosome advice, and the sources on /about."""

from __future__ import annotations

import datetime as dt
import html
import re

from planner.core.catalog import get_kind
from planner.core.model import Intensity
from planner.core.safety import NOT_MEDICAL_ADVICE, PEPTIDE_ALONGSIDE, PLATED_ADVICE

LASER_DAY = dt.date(2026, 3, 10)  # a Tuesday
EXOSOME = "Water, Human Adipocyte Conditioned Media Extract, Glycerin, Sodium Hyaluronate"
CREAM = "Aqua, Glycerin, Squalane, Ceramide NP"
SUN_DAYS = get_kind("nonablative_fractional_laser").sun.values[Intensity.STANDARD]


def text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def laser_user(factory, user, *, sunscreen: bool):
    factory.procedure(user, kind="nonablative_fractional_laser", performed_on=LASER_DAY)
    factory.product(user, name="Barrier Cream", ingredients=CREAM)
    if sunscreen:
        factory.product(user, name="Daily Mineral SPF 50", ingredients="Zinc Oxide, Aqua, Glycerin")


def test_after_fractional_laser_the_day_says_sunscreen_and_warns_without_one(client, logged_in, factory):
    laser_user(factory, logged_in, sunscreen=False)
    page = text(client.get("/plan/day/2026-03-13").text)
    assert "Aftercare" in page
    assert f"Sunscreen and no direct sun: day 3 of {SUN_DAYS} after non-ablative fractional laser." in page
    assert "You have no sunscreen on your shelf" in page and "Add a sunscreen" in page
    assert "Don't pick, scratch or peel flaking skin through Sun 15 March" in page
    last = LASER_DAY + dt.timedelta(days=SUN_DAYS)
    assert f"day {SUN_DAYS} of {SUN_DAYS}" in text(client.get(f"/plan/day/{last.isoformat()}").text)
    after = text(client.get(f"/plan/day/{(last + dt.timedelta(days=1)).isoformat()}").text)
    assert "Sunscreen and no direct sun" not in after and "no sunscreen on your shelf" not in after
    assert "No procedure window touches this day" in after


def test_the_procedure_day_gives_concrete_times(client, logged_in, factory):
    laser_user(factory, logged_in, sunscreen=True)
    page = text(client.get("/plan/day/2026-03-10").text)
    assert "No makeup until tomorrow evening (after non-ablative fractional laser on 10 March)." in page
    assert "No sauna, steam room, hot tub, hot yoga or hot showers until tomorrow evening" in page
    assert "No swimming pools (chlorine) until the evening of Thu 12 March" in page
    assert f"the treatment day, then {SUN_DAYS} days after non-ablative fractional laser" in page
    assert "no sunscreen on your shelf" not in page  # the SPF product counts
    assert 'href="/about#aftercare"' in client.get("/plan/day/2026-03-10").text


def test_week_page_shows_aftercare_peptides_plan_notes_and_the_full_disclaimer(client, logged_in, factory):
    from planner.planning import local_today

    today = local_today(logged_in)
    factory.procedure(logged_in, kind="microneedling", performed_on=today)
    factory.product(logged_in, name="Glow Exosomes", ingredients=EXOSOME, exosome_source="human")
    factory.product(logged_in, name="Second Exosomes", ingredients=EXOSOME, exosome_source="plant")
    page = client.get("/plan/").text
    words = text(page)
    assert 'id="peptide-alternative"' in page and text(PEPTIDE_ALONGSIDE) in words
    assert 'id="plan-notes"' in page and "You have 2 exosome serums; the plan uses Glow Exosomes" in words
    assert 'id="not-medical-advice"' in page and text(NOT_MEDICAL_ADVICE) in words
    assert "No makeup until the evening of" in words and "You have no sunscreen on your shelf" in words
    # A phone opens on today's routine (the week's own card for today is hidden there): it has the aftercare too.
    now_view = text(page.split('id="today-now-heading"')[1].split('class="week-heading"')[0])
    assert "Aftercare" in now_view and "No makeup until the evening of" in now_view


def test_no_exosome_product_no_peptide_notice(client, logged_in, factory):
    factory.product(logged_in, name="Barrier Cream", ingredients=CREAM)
    page = client.get("/plan/").text
    assert 'id="peptide-alternative"' not in page
    assert 'id="not-medical-advice"' in page


def test_product_pages_show_the_plated_advice_and_peptides(client, logged_in, factory):
    serum = factory.product(logged_in, name="Glow Exosomes", ingredients=EXOSOME, exosome_source="human", is_plated=True)
    show = text(client.get(f"/products/{serum.id}").text)
    assert PLATED_ADVICE in show
    assert "strongest evidence for exosomes comes from in-office use" in show
    assert "long-term safety data are still emerging" in show
    assert text(PEPTIDE_ALONGSIDE) in show
    form = client.get(f"/products/{serum.id}/edit").text
    assert 'id="is_plated-hint"' in form and PLATED_ADVICE in text(form)
    assert PLATED_ADVICE in text(client.get("/products/new").text)
    cream = factory.product(logged_in, name="Barrier Cream", ingredients=CREAM)
    assert PLATED_ADVICE not in text(client.get(f"/products/{cream.id}").text)


def test_about_shows_each_kinds_aftercare_with_its_sources(client):
    page = client.get("/about").text
    words = text(page)
    assert 'id="aftercare"' in page
    assert "Afterglow takes the treatment to end by 18:00" in words
    assert "No makeup for 48 hours after the treatment (standard value; sources give 24–48 hours" in words
    assert f"no direct sun for {SUN_DAYS} days after the treatment" in words
    assert 'href="https://www.timelessbeautydermaspa.com/aftercare"' in page  # an aftercare-only source
    assert 'href="https://www.orangecoastaesthetics.com/blog/why-sun-exposure-after-a-laser-treatment-is-not-ideal/"' in page


def test_profile_health_questions_say_it_is_not_medical_advice(client, logged_in):
    page = client.get("/settings/profile").text
    assert 'id="not-medical-advice"' in page and text(NOT_MEDICAL_ADVICE) in text(page)
