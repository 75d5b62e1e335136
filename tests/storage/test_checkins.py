"""Skin check-in rows: one per procedure and day, gone with their procedure and with the account."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from planner.extensions import db
from planner.storage import checkins
from planner.storage.models import SkinCheckIn


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count(SkinCheckIn.id)))


def test_a_new_answer_for_a_day_replaces_the_old_and_moves_the_procedure(factory, app):
    user = factory.user()
    procedure = factory.procedure(user, performed_on=dt.date(2026, 12, 1))
    app.config["CLOCK"] = lambda: dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.timezone.utc)
    checkins.record(user.id, procedure.id, dt.date(2026, 12, 8), "still")
    checkins.record(user.id, procedure.id, dt.date(2026, 12, 8), "settled")
    assert [(c.local_day, c.answer) for c in checkins.checkins_of(user.id, procedure.id)] == [
        (dt.date(2026, 12, 8), "settled")]
    db.session.refresh(procedure)
    assert procedure.updated_at == dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.timezone.utc)


def test_rows_go_with_the_procedure_and_with_the_account(client, logged_in, factory):
    kept = factory.procedure(logged_in, performed_on=dt.date(2026, 12, 1))
    deleted = factory.procedure(logged_in, performed_on=dt.date(2026, 11, 1))
    checkins.record(logged_in.id, kept.id, dt.date(2026, 12, 8), "still")
    checkins.record(logged_in.id, deleted.id, dt.date(2026, 11, 8), "still")
    assert client.post(f"/procedures/{deleted.id}/delete").status_code == 302
    db.session.expire_all()
    assert [c.procedure_id for c in db.session.scalars(sa.select(SkinCheckIn))] == [kept.id]
    db.session.delete(logged_in)
    db.session.commit()
    assert count() == 0
