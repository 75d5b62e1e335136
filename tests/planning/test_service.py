"""The plan service: one loader for one user or a batch, one rule for zones and today."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.planning import inputs as planning_inputs
from planner.planning import local_today, plan_for, planner_for, planners_for
from planner.planning.zones import FALLBACK_ZONE
from tests.support.reminders import GLYCOLIC, RETINOL, routine_user

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


def test_batch_and_single_planners_give_equal_inputs_and_plans(app, factory):
    plain = routine_user(factory, email="plain@example.com")
    busy = routine_user(factory, email="busy@example.com", timezone="America/New_York", serum_slot="morning",
                        isotretinoin_last_6_months=True, active_skin_infection=True)
    factory.product(busy, name="Old scrub", ingredients="Aqua, Jojoba Esters, Walnut Shell Powder", is_active=False)
    factory.product(busy, name="Peel pads", ingredients=GLYCOLIC, cadence_kind="weekdays", cadence_weekdays="0,3",
                    slot="morning", classes_override="aha,bha")
    factory.product(busy, name="Tret", ingredients=RETINOL.replace("Retinol", "Tretinoin"), cadence_kind="every_n_days",
                    cadence_every_n=3, cadence_anchor=dt.date(2026, 1, 1))
    factory.procedure(busy, kind="microneedling", performed_on=dt.date(2026, 3, 20), intensity="aggressive",
                      retinoid_days_override=10, clinic="Clinic One")
    factory.procedure(busy, kind="microneedling", performed_on=dt.date(2026, 3, 1), washout_days_override=0)
    empty = factory.user(email="empty@example.com")

    batch = planners_for([plain.id, busy.id, empty.id, 10**9], NOW)
    assert sorted(batch) == sorted([plain.id, busy.id, empty.id])  # a missing user is simply absent
    for user in (plain, busy, empty):
        one, found = planner_for(user, NOW), batch[user.id]
        assert (found.inputs.profile, found.inputs.procedures, found.inputs.products) == (
            one.inputs.profile, one.inputs.procedures, one.inputs.products)
        assert found.today == one.today
        for start, days in ((dt.date(2026, 3, 10), 1), (dt.date(2026, 3, 18), 2), (dt.date(2026, 2, 20), 40)):
            end = start + dt.timedelta(days=days)
            assert found.plan(start, end) == plan_for(user, start, end, NOW) == one.plan(start, end)
    busy_plan = batch[busy.id].plan(dt.date(2026, 3, 18), dt.date(2026, 3, 19))
    assert [f.date for f in busy_plan.procedures] == [dt.date(2026, 3, 1), dt.date(2026, 3, 20)]
    assert busy_plan.procedures[1].clinic == "Clinic One"
    assert busy_plan.procedures[1].windows.retinoid_days_after == 10


def test_procedure_facts_carry_the_windows_every_face_reads(app, factory):
    user = factory.user()
    factory.procedure(user, kind="microneedling", performed_on=dt.date(2026, 3, 12), washout_days_override=5,
                      retinoid_days_override=7, actives_days_override=4)
    facts = planner_for(user, NOW).facts()
    assert len(facts) == 1
    assert facts[0].label == "Microneedling" and facts[0].phrase == "microneedling"
    assert facts[0].washout_start == dt.date(2026, 3, 7)
    assert facts[0].recovery_end == dt.date(2026, 3, 19)  # max(7, 4) days after
    plan = planner_for(user, NOW).plan(dt.date(2026, 3, 7), dt.date(2026, 3, 20))
    assert plan.procedures == facts
    washout_days = [d.date for d in plan.days if any(m.kind.value == "washout" for m in d.markers)]
    recovery_days = [d.date for d in plan.days if any(m.kind.value == "recovery" for m in d.markers)]
    assert washout_days[0] == facts[0].washout_start and recovery_days[-1] == facts[0].recovery_end


@pytest.mark.parametrize("zone, instant, expected", [
    ("Pacific/Kiritimati", dt.datetime(2026, 3, 15, 11, 0, tzinfo=UTC), dt.date(2026, 3, 16)),
    ("Pacific/Pago_Pago", dt.datetime(2026, 3, 15, 10, 0, tzinfo=UTC), dt.date(2026, 3, 14)),
    ("Europe/Berlin", dt.datetime(2024, 2, 29, 23, 30, tzinfo=UTC), dt.date(2024, 3, 1)),
])
def test_today_is_the_users_local_date_at_the_injected_instant(app, factory, zone, instant, expected):
    user = factory.user(timezone=zone)
    assert planner_for(user, instant).today == expected == local_today(user, instant)
    assert plan_for(user, expected, expected + dt.timedelta(days=1), instant).today == expected


def test_a_zone_the_server_does_not_know_plans_in_utc_on_every_face(app, factory, client, auth):
    user = factory.user(timezone="Mars/Olympus_Mons")
    planner = planner_for(user, dt.datetime(2026, 3, 15, 23, 30, tzinfo=UTC))
    assert planner.zone.key == FALLBACK_ZONE and planner.zone_known is False
    assert planner.today == dt.date(2026, 3, 15)
    assert planners_for([user.id], dt.datetime(2026, 3, 15, 23, 30, tzinfo=UTC))[user.id].today == planner.today
    auth.login(user.email)
    page = client.get("/plan/")
    assert page.status_code == 200
    assert "is not known to this server" in page.get_data(as_text=True)


def test_the_apps_clock_decides_today_on_the_pages(app, factory, client, auth):
    user = factory.user(timezone="Europe/Berlin")
    app.config["CLOCK"] = lambda: dt.datetime(2027, 3, 27, 23, 30, tzinfo=UTC)  # 00:30 on the 28th in Berlin
    auth.login(user.email)
    day = client.get("/plan/").get_data(as_text=True)
    assert "Sunday 28 March" in day or "28 March" in day


def test_a_batch_larger_than_one_statement_is_loaded_in_chunks(app, factory, monkeypatch):
    monkeypatch.setattr(planning_inputs, "ID_CHUNK", 2)
    ids = [factory.user(email=f"u{i}@example.com").id for i in range(5)]
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        found = planners_for(ids, NOW)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert sorted(found) == sorted(ids)
    assert len(statements) == 3 * 3  # users, procedures, products for each of 3 chunks of at most 2 ids
