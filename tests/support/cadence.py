"""A plain reference for "is the product due on this day?", written independently of the
engine's fast `cadence.due_test`, so property tests check the engine against it."""

from __future__ import annotations

import datetime as dt

from planner.core.model import Cadence, CadenceKind


def is_due(cadence: Cadence, day: dt.date) -> bool:
    if cadence.kind is CadenceKind.WEEKDAYS:
        return day.weekday() in cadence.weekdays
    step = {CadenceKind.DAILY: 1, CadenceKind.EVERY_OTHER_DAY: 2}.get(cadence.kind, max(1, cadence.every_n_days))
    return (day - cadence.anchor).days % step == 0
