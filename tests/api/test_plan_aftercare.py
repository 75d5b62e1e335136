"""/api/v1/plan carries the day's aftercare advice and skin check-ins, as the pages show them."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.api.schemas.plan import Plan
from planner.core.checkins import QUESTION
from planner.planning import plan_for

NOW = dt.datetime(2026, 12, 9, 9, 0, tzinfo=dt.timezone.utc)  # 10:00 in Berlin
LASER = {"kind": "nonablative_fractional_laser", "performed_on": "2026-12-01"}
#: Recovery 2 … 8 December (the clinician's 7 days): 7 and 8 December ask the check-in.
NEEDLING = {"kind": "microneedling", "performed_on": "2026-12-01", "retinoid_days_override": 7,
            "actives_days_override": 7}
RETINOL = {"name": "Night Retinol", "ingredients": "Aqua, Squalane, Retinol, Tocopherol"}


@pytest.fixture(autouse=True)
def clock(app):
    app.config["CLOCK"] = lambda: NOW


def _create(api, path: str, body: dict) -> dict:
    created = api.post(path, json=body)
    assert created.status_code == 201, created.text
    return created.get_json()


def test_a_fractional_laser_day_has_the_sun_advice_with_concrete_times(api, user):
    laser = _create(api, "/api/v1/procedures", LASER)
    _create(api, "/api/v1/products", RETINOL)  # no sunscreen on the shelf
    body = api.get("/api/v1/plan?start=2026-12-01&days=3").get_json()
    Plan.model_validate(body)
    first = body["days"][0]
    sun = [a for a in first["advice"] if a["topic"] == "sun"]
    assert sun and all(a["procedure_id"] == laser["id"] for a in sun)
    assert any("sunscreen" in a["text"].lower() for a in sun)
    assert any(a["is_warning"] for a in sun), "no sunscreen on the shelf: the day warns"
    assert all(a["sources"] and dt.date.fromisoformat(a["last_day"]) >= dt.date(2026, 12, 1) for a in sun)
    assert {a["topic"] for a in first["advice"]} > {"sun"}  # makeup, sweat, heat… too
    # The same advice as the plan service gives the pages, day by day.
    expected = plan_for(user, dt.date(2026, 12, 1), dt.date(2026, 12, 4), NOW)
    for got, want in zip(body["days"], expected.days, strict=True):
        assert [(a["topic"], a["text"], a["summary"], a["last_day"]) for a in got["advice"]] == [
            (a.topic.value, a.text, a.summary, a.last_day.isoformat()) for a in want.advice]
    assert body["procedures"][0]["area"] == "face"


def test_the_last_recovery_day_asks_the_check_in_and_points_to_its_operation(api):
    needling = _create(api, "/api/v1/procedures", NEEDLING)
    days = {d["date"]: d for d in api.get("/api/v1/plan?start=2026-12-05&days=5").get_json()["days"]}
    assert days["2026-12-06"]["checkins"] == [] and days["2026-12-09"]["checkins"] == []
    ask = days["2026-12-08"]["checkins"][0]
    assert ask == {"procedure_id": needling["id"], "label": "microneedling", "procedure_date": "2026-12-01",
                   "question": QUESTION, "answer": None, "extended": False,
                   "answer_url": f"/api/v1/procedures/{needling['id']}/checkins"}
    # The address takes the answer, and the plan then shows it and the day it added.
    assert api.post(ask["answer_url"], json={"day": "2026-12-08", "answer": "still"}).status_code == 201
    body = api.get("/api/v1/plan?start=2026-12-08&days=2").get_json()
    answered, added = body["days"]
    assert answered["checkins"][0]["answer"] == "still"
    assert added["checkins"][0]["extended"] is True and added["checkins"][0]["answer"] is None
    facts = body["procedures"][0]
    assert (facts["recovery_end"], facts["extended_days"], facts["extended_on"]) == ("2026-12-09", 1, "2026-12-08")
    assert facts["checkins_url"] == ask["answer_url"]


def test_a_step_used_morning_and_evening_says_twice(api):
    barrier = _create(api, "/api/v1/products", {"name": "Barrier", "ingredients": "Aqua, Glycerin, Ceramide NP",
                                                "product_type": "moisturizer", "slot": "both"})
    steps = api.get("/api/v1/plan?start=2026-12-10&days=1").get_json()["days"][0]["steps"]
    assert [s["twice"] for s in steps if s["product_id"] == barrier["id"]] == [True, True]


def test_the_document_lists_advice_and_check_in_asks(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    day = schemas["PlanDay"]["properties"]
    assert day["advice"]["items"] == {"$ref": "#/components/schemas/Advice"}
    assert day["checkins"]["items"] == {"$ref": "#/components/schemas/CheckInAsk"}
    assert set(schemas["Advice"]["properties"]) == {"topic", "procedure_id", "text", "summary", "last_day", "sources",
                                                    "is_warning"}
    assert schemas["Advice"]["properties"]["topic"]["enum"] == ["sun", "makeup", "sweat", "heat", "swimming", "picking"]
    assert "answer_url" in schemas["CheckInAsk"]["required"] and "createCheckIn" in schemas["CheckInAsk"]["description"]
    assert {"area", "extended_days", "extended_on", "checkins_url"} <= set(schemas["ProcedureFacts"]["properties"])
    assert "twice" in schemas["Step"]["properties"]


def test_the_fast_answer_is_what_the_documents_models_write(api, user):
    """The view writes JSON itself (plan.py's _DaysJson, for speed); the same values put through the
    document's models, one by one, give the same answer, marks, advice and check-in asks included."""
    from planner.api.schemas import plan as schema
    from planner.api.procedures import windows_of
    from planner.storage.adherence import adherence_marks, step_key

    needling = _create(api, "/api/v1/procedures", NEEDLING)
    _create(api, "/api/v1/procedures", LASER)
    _create(api, "/api/v1/products", RETINOL)
    _create(api, "/api/v1/products", {"name": "Barrier", "ingredients": "Aqua, Glycerin, Ceramide NP", "slot": "both"})
    assert api.post(f"/api/v1/procedures/{needling['id']}/checkins", json={"day": "2026-12-08", "answer": "still"}).status_code == 201
    day = api.get("/api/v1/plan?start=2026-12-09&days=1").get_json()["days"][0]
    assert api.put(f"/api/v1/plan/days/2026-12-09/marks/{day['steps'][0]['key']}", json={"status": "done"}).status_code == 200
    start, end = dt.date(2026, 11, 20), dt.date(2026, 12, 31)
    answer = api.get(f"/api/v1/plan?start={start}&days={(end - start).days}")
    plan = plan_for(user, start, end, NOW)
    marks = adherence_marks(user, start, end)
    url = f"/api/v1/procedures/{{}}/checkins"
    expected = schema.Plan(
        start=start, days_count=(end - start).days, today=dt.date(2026, 12, 9), timezone="Europe/Berlin",
        withheld=plan.withheld, notes=list(plan.notes), disclaimer=answer.get_json()["disclaimer"],
        findings=[schema.Finding(severity=f.severity.value, code=f.code, message=f.message) for f in plan.screening.findings],
        procedures=[schema.ProcedureFacts(
            id=f.id, kind=f.kind, label=f.label, date=f.date, intensity=f.intensity.value, windows=windows_of(f),
            area=f.area.value, washout_start=f.washout_start, recovery_end=f.recovery_end, extended_days=f.extended_days,
            extended_on=f.extended_on, checkins_url=url.format(f.id)) for f in plan.procedures],
        days=[schema.PlanDay(
            date=d.date, notes=list(d.notes),
            steps=[schema.Step(key=step_key(s), product_id=s.product_id, product_name=s.product_name, slot=s.slot.value,
                               role=s.role.value, order=s.order, note=s.note, twice=s.twice,
                               mark=marks.get((d.date, step_key(s)))) for s in d.steps],
            pauses=[schema.Pause(product_id=p.product_id, product_name=p.product_name,
                                 product_class=p.product_class.value, reason=p.reason, procedure_id=p.procedure_id)
                    for p in d.pauses],
            markers=[schema.Marker(kind=m.kind.value, procedure_id=m.procedure_id, label=m.label,
                                   day_number=m.day_number, days_total=m.days_total) for m in d.markers],
            advice=[schema.Advice(topic=a.topic.value, procedure_id=a.procedure_id, text=a.text, summary=a.summary,
                                  last_day=a.last_day, sources=list(a.sources), is_warning=a.is_warning)
                    for a in d.advice],
            checkins=[schema.CheckInAsk(procedure_id=c.procedure_id, label=c.label, procedure_date=c.procedure_date,
                                        question=QUESTION, answer=c.answer.value if c.answer else None,
                                        extended=c.extended, answer_url=url.format(c.procedure_id))
                      for c in d.checkins],
        ) for d in plan.days],
    )
    got = answer.get_json()
    assert got == expected.model_dump(mode="json")
    days = {d["date"]: d for d in got["days"]}
    assert days["2026-12-09"]["steps"][0]["mark"] == "done" and days["2026-12-09"]["checkins"][0]["extended"]
    assert days["2026-12-08"]["checkins"][0]["answer"] == "still"
    assert any(a["topic"] == "sun" for a in days["2026-12-02"]["advice"])


def test_the_engine_values_written_as_they_are_have_the_documents_fields_in_order():
    """Pauses, markers and advice go to JSON as the engine's dataclasses (plan.py): a field added to
    one of them must be added to the document's model too, or this fails."""
    import dataclasses

    from planner.api.schemas import plan as schema
    from planner.core import model

    for engine_value, documented in ((model.Pause, schema.Pause), (model.Marker, schema.Marker),
                                     (model.Advice, schema.Advice)):
        assert [f.name for f in dataclasses.fields(engine_value)] == list(documented.model_fields)
