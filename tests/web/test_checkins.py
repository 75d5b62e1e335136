"""The day page's skin check-in: asked on a recovery window's last days, answered with a POST."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.app import PASSWORD
from tests.web.test_plan import EXOSOME, RETINOL

#: 10:00 in Berlin on 9 December 2026: the day after the window below planned to end.
NOW = dt.datetime(2026, 12, 9, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def needled(app, factory, logged_in):
    """Microneedling on 1 December with the clinician's 7 days: recovery 2 … 8 December."""
    app.config["CLOCK"] = lambda: NOW
    procedure = factory.procedure(logged_in, performed_on=dt.date(2026, 12, 1), retinoid_days_override=7,
                                  actives_days_override=7)
    factory.product(logged_in, name="Night Retinol", ingredients=RETINOL)
    factory.product(logged_in, name="Glow Exosomes", ingredients=EXOSOME, exosome_source="human")
    return procedure


def answer(client, day: str, procedure, value: str):
    return client.post(f"/plan/day/{day}/checkin", data={"procedure": procedure.id, "answer": value})


def test_the_last_days_ask_and_still_twice_extends_the_recovery_by_two_days(client, needled):
    page = client.get("/plan/day/2026-12-08").text
    assert "Is your skin still red, peeling, stinging or broken?" in page
    assert 'value="still"' in page and 'value="settled"' in page
    assert "Recovery after microneedling (day 7 of 7" in page
    assert "Is your skin still" not in client.get("/plan/day/2026-12-06").text

    response = answer(client, "2026-12-08", needled, "still")
    assert response.status_code == 302 and response.location.endswith("/plan/day/2026-12-08")
    page = client.get("/plan/day/2026-12-08").text
    assert "You said:</strong> still red, peeling, stinging or broken" in page
    assert "Noted: your skin is still red" in page
    assert answer(client, "2026-12-09", needled, "still").status_code == 302

    tenth = client.get("/plan/day/2026-12-10").text
    assert "Recovery after microneedling (day 9 of 9" in tenth
    assert "recovery extended: on 9 December you said your skin was still red, peeling" in tenth
    assert "no retinoid: day 9 of 9 after microneedling" in tenth
    assert "The plan will ask on this day." in tenth  # a day ahead cannot be answered yet
    assert "Recovery after microneedling" not in client.get("/plan/day/2026-12-11").text


def test_settled_keeps_the_planned_window(client, needled):
    assert answer(client, "2026-12-08", needled, "settled").status_code == 302
    page = client.get("/plan/day/2026-12-08").text
    assert "You said:</strong> it has settled" in page
    assert "Recovery after microneedling" not in client.get("/plan/day/2026-12-09").text


@pytest.mark.parametrize(("day", "value", "reason"), [
    ("2026-12-05", "still", "asks on the last days of the recovery window"),
    ("2026-12-09", "still", "asks on the last days of the recovery window"),  # the window had closed
    ("2026-12-10", "still", "not for 2026-12-10"),
    ("2026-12-08", "maybe", "Answer “still”"),
])
def test_an_answer_the_plan_does_not_ask_is_a_400_with_a_reason(client, needled, day, value, reason):
    response = answer(client, day, needled, value)
    assert response.status_code == 400
    assert reason in response.text


def test_another_users_procedure_is_refused(client, needled, factory):
    stranger = factory.user(email="eve@example.com")
    theirs = factory.procedure(stranger, performed_on=dt.date(2026, 12, 1), retinoid_days_override=7,
                               actives_days_override=7)
    response = answer(client, "2026-12-08", theirs, "still")
    assert response.status_code == 400 and "not one of yours" in response.text
    assert client.post("/plan/day/2026-12-08/checkin", data={"procedure": "x", "answer": "still"}).status_code == 400


@pytest.mark.parametrize("app", [{"WTF_CSRF_ENABLED": True}], indirect=True)
def test_the_answer_needs_the_csrf_token(app, client, user, factory):
    app.config["CLOCK"] = lambda: NOW
    procedure = factory.procedure(user, performed_on=dt.date(2026, 12, 1), retinoid_days_override=7,
                                  actives_days_override=7)
    login = client.get("/login").text.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": login}).status_code == 302
    assert answer(client, "2026-12-08", procedure, "still").status_code == 400
    page = client.get("/plan/day/2026-12-08").text
    assert "You said:" not in page
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/plan/day/2026-12-08/checkin",
                           data={"procedure": procedure.id, "answer": "still", "csrf_token": token})
    assert response.status_code == 302
    assert "You said:</strong> still" in client.get("/plan/day/2026-12-08").text


def test_about_explains_the_rule_with_its_sources(client):
    page = client.get("/about").text
    assert "Your skin has the last say." in page
    assert "Is your skin still red, peeling, stinging or broken?" in page
    for key in ("PEEL_TEXT_PREP", "SDC_POSTPROC", "SDC_POSTPEEL"):
        assert f">{key}</a>" in page.split('id="checkins"')[1].split("</li>")[0]


def test_the_phone_view_of_today_asks_too(client, needled, app):
    app.config["CLOCK"] = lambda: dt.datetime(2026, 12, 8, 17, 0, tzinfo=dt.timezone.utc)
    today = client.get("/plan/").text.split('class="today-now"')[1].split("</section>\n{% endif %}")[0]
    assert "Is your skin still red, peeling, stinging or broken?" in today
    assert 'action="/plan/day/2026-12-08/checkin"' in today and 'name="next" value="/plan/"' in today
