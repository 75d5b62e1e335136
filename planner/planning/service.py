"""The plan service: the one way every face (pages, feed, reminders, API) gets a user's plan.

It loads the user's engine inputs (planning.inputs), resolves their zone and local today once
(planning.zones, by one rule), and asks the engine. The engine hands back, with the days, the
facts of every procedure (label, resolved windows, washout start, recovery end), so no face
resolves a window or a "today" of its own, and the calendar, the feed, today's email and the
API cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from planner.clock import utc_now
from planner.core import catalog, schedule
from planner.core.model import CheckIn, Plan, ProcedureFacts
from planner.planning import zones
from planner.planning.inputs import EngineInputs, load_many, load_one, procedure_inputs
from planner.storage.models import User


class UserPlanner:
    """One user's inputs, zone and local today, resolved once; plans any range of local dates."""

    __slots__ = ("inputs", "now_at", "zone", "zone_known", "today")

    def __init__(self, inputs: EngineInputs, now_at: dt.datetime | None = None):
        self.inputs = inputs
        self.now_at = now_at or utc_now()
        name = inputs.user.timezone
        self.zone: ZoneInfo = zones.zone(name)
        self.zone_known = zones.is_known(name)
        self.today: dt.date = self.now_at.astimezone(self.zone).date()

    @property
    def user(self):
        return self.inputs.user

    def plan(self, start: dt.date, end: dt.date) -> Plan:
        """The plan for local dates [start, end), with every procedure's facts."""
        inputs = self.inputs
        return schedule.plan(inputs.profile, inputs.procedures, inputs.products, start, end, today=self.today,
                             checkins=inputs.checkins)

    def facts(self) -> tuple[ProcedureFacts, ...]:
        """Every procedure's facts, without planning a day."""
        return schedule.procedure_facts(self.inputs.procedures, checkins=self.inputs.checkins)


def planner_for(user: User, now_at: dt.datetime | None = None) -> UserPlanner:
    """The planner of one (already loaded) user."""
    return UserPlanner(load_one(user), now_at)


def planners_for(user_ids: Iterable[int], now_at: dt.datetime | None = None) -> dict[int, UserPlanner]:
    """Planners for a batch of users (the dispatcher), in a few queries; missing users are absent."""
    now_at = now_at or utc_now()
    return {user_id: UserPlanner(inputs, now_at) for user_id, inputs in load_many(user_ids).items()}


def plan_for(user: User, start: dt.date, end: dt.date, now_at: dt.datetime | None = None) -> Plan:
    """The user's plan for local dates [start, end)."""
    return planner_for(user, now_at).plan(start, end)


def local_today(user, now_at: dt.datetime | None = None) -> dt.date:
    """The user's local date (the same rule a planner uses), for pages that plan nothing."""
    return zones.local_today(user.timezone, now_at)


def facts_of_rows(rows: Iterable, checkins: Iterable[CheckIn] = ()) -> tuple[ProcedureFacts, ...]:
    """Facts for procedure rows of any users (the dispatcher's notice search); unknown kinds skipped.
    ``checkins``: the skin check-ins that extend their recovery windows (none: the planned windows)."""
    known = [p for p in procedure_inputs(list(rows)) if catalog.is_known(p.kind)]
    checkins = tuple(checkins)
    try:
        return schedule.procedure_facts(known, checkins=checkins)
    except ValueError:  # a stored override out of range: resolve one by one, skipping the bad ones
        found = []
        for p in known:
            try:
                found.extend(schedule.procedure_facts([p], checkins=checkins))
            except ValueError:
                continue
        return tuple(sorted(found, key=lambda f: (f.date, f.id)))
