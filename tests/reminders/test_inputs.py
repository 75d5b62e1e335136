"""The batch loader gives the engine exactly what storage.plans.plan_for gives it."""

from __future__ import annotations

import datetime as dt

from planner.reminders.inputs import load
from planner.storage.plans import plan_for
from planner.storage.queries import engine_inputs
from tests.support.reminders import GLYCOLIC, RETINOL, routine_user


def test_batch_inputs_and_plans_equal_plan_for(app, factory):
    plain = routine_user(factory, email="plain@example.com")
    busy = routine_user(factory, email="busy@example.com", timezone="America/New_York", serum_slot="morning",
                        isotretinoin_last_6_months=True, active_skin_infection=True)
    factory.product(busy, name="Old scrub", ingredients="Aqua, Jojoba Esters, Walnut Shell Powder", is_active=False)
    factory.product(busy, name="Peel pads", ingredients=GLYCOLIC, cadence_kind="weekdays", cadence_weekdays="0,3",
                    slot="morning", classes_override="aha,bha")
    factory.product(busy, name="Tret", ingredients=RETINOL.replace("Retinol", "Tretinoin"), cadence_kind="every_n_days",
                    cadence_every_n=3, cadence_anchor=dt.date(2026, 1, 1))
    factory.procedure(busy, kind="microneedling", performed_on=dt.date(2026, 3, 20), intensity="aggressive",
                      retinoid_days_override=10)
    factory.procedure(busy, kind="microneedling", performed_on=dt.date(2026, 3, 1), washout_days_override=0)
    empty = factory.user(email="empty@example.com")

    loaded = load([plain.id, busy.id, empty.id])
    for user in (plain, busy, empty):
        profile, procedures, products = engine_inputs(user)
        found = loaded[user.id]
        assert (found.profile, found.procedures, found.products) == (profile, procedures, products)
        for start, days in ((dt.date(2026, 3, 10), 1), (dt.date(2026, 3, 18), 2), (dt.date(2026, 2, 20), 40)):
            end = start + dt.timedelta(days=days)
            assert found.plan(start, end) == plan_for(user, start, end)
