"""Your data: the JSON export holds everything about the person and no secret; the .ics holds the plan."""

from __future__ import annotations

import datetime as dt
import json

import icalendar
import sqlalchemy as sa

from planner.accounts.export import INTERNAL_COLUMNS, SECRET_COLUMNS
from planner.extensions import db
from planner.feed import tokens
from planner.storage.models import AdherenceMark, FeedToken, Procedure, Product, ReminderSend, SkinCheckIn, User

RETINOL = "Aqua, Squalane, Glycerin, Retinol, Tocopherol, Phenoxyethanol"


def exported_columns(model) -> set[str]:
    table = model.__table__
    return {c.name for c in table.columns} - SECRET_COLUMNS.get(table.name, set()) - INTERNAL_COLUMNS


def test_json_export_has_everything_about_the_person_and_no_secret(client, logged_in, factory):
    other = factory.user(email="bob@example.com")
    factory.product(other, name="Bob's cream")
    procedure = factory.procedure(logged_in, kind="microneedling", performed_on=dt.date(2026, 3, 12),
                                  clinic="Glow Clinic")
    factory.product(logged_in, name="Night Retinol", ingredients=RETINOL)
    client.post("/plan/day/2026-03-12/mark", data={"step": "serum", "status": "done"})
    db.session.add(SkinCheckIn(user_id=logged_in.id, procedure_id=procedure.id, local_day=dt.date(2026, 3, 19),
                               answer="still"))
    feed_token = tokens.issue(logged_in)
    db.session.add(ReminderSend(user_id=logged_in.id, local_day=dt.date(2026, 3, 12), kind="daily", status="sent",
                                due_at=dt.datetime(2026, 3, 12, 6, 0, tzinfo=dt.timezone.utc)))
    db.session.commit()

    response = client.get("/settings/export.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="afterglow-')
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.data)

    assert data["profile"]["email"] == "ada@example.com" and data["profile"]["timezone"] == "Europe/Berlin"
    assert set(data["profile"]) == exported_columns(User)
    [procedure] = data["procedures"]
    assert procedure["kind"] == "microneedling" and procedure["clinic"] == "Glow Clinic"
    assert procedure["performed_on"] == "2026-03-12" and set(procedure) == exported_columns(Procedure)
    [product] = data["products"]
    assert product["name"] == "Night Retinol" and set(product) == exported_columns(Product) | {"classification"}
    assert "retinoid" in product["classification"]["classes"]
    assert {"class": "retinoid", "ingredient": "Retinol", "position": 4} in [
        {k: m[k] for k in ("class", "ingredient", "position")} for m in product["classification"]["detected"]]
    [mark] = data["adherence_marks"]
    assert (mark["local_day"], mark["step_key"], mark["status"]) == ("2026-03-12", "serum", "done")
    assert set(mark) == exported_columns(AdherenceMark)
    [checkin] = data["skin_checkins"]
    assert (checkin["local_day"], checkin["answer"], checkin["procedure_kind"]) == ("2026-03-19", "still", "microneedling")
    assert set(checkin) == exported_columns(SkinCheckIn) - {"procedure_id"} | {"procedure_kind", "procedure_performed_on"}
    [sent] = data["reminders_sent"]
    assert (sent["kind"], sent["status"], sent["due_at"]) == ("daily", "sent", "2026-03-12T06:00:00Z")
    assert set(data["calendar_feed"]["link"]) == exported_columns(FeedToken)

    text = response.get_data(as_text=True)
    row = db.session.scalar(sa.select(FeedToken))
    for secret in (logged_in.password_hash, logged_in.account_key, row.nonce, row.token_sha256, feed_token):
        assert secret not in text
    assert "bob@example.com" not in text and "Bob's cream" not in text


def test_ics_export_is_the_plan_as_a_calendar(client, logged_in, factory):
    factory.procedure(logged_in, kind="microneedling", performed_on=dt.date.today() + dt.timedelta(days=10))
    response = client.get("/settings/export.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"].endswith('.ics"')
    calendar = icalendar.Calendar.from_ical(response.data)
    summaries = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    assert any("Microneedling" in summary for summary in summaries), summaries
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FeedToken)) == 0  # no feed link was made for it
