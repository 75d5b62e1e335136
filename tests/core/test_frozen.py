"""frozen.maker builds the same value as the frozen dataclass's own constructor."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from planner.core.frozen import maker
from planner.core.model import DayPlan, Pause, ProductClass, Slot, Step, StepRole


def test_a_made_pause_equals_the_constructed_one():
    made = maker(Pause)(7, "Night Retinol", ProductClass.RETINOID, "no retinoid: day 2 of 5", 3)
    built = Pause(7, "Night Retinol", ProductClass.RETINOID, "no retinoid: day 2 of 5", 3)
    assert type(made) is Pause
    assert made == built and hash(made) == hash(built)
    assert made.reason == "no retinoid: day 2 of 5" and made.procedure_id == 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.reason = "changed"  # still frozen


def test_a_made_day_plan_equals_the_constructed_one():
    step = Step(1, "Cream", Slot.EVENING, StepRole.LAYER, 1)
    fields = (dt.date(2026, 3, 1), (step,), (), (), ("a note",), (), ())
    made, built = maker(DayPlan)(*fields), DayPlan(*fields)
    assert made == built and made.steps == (step,) and made.notes == ("a note",)


def test_every_field_must_be_given():
    with pytest.raises(TypeError, match="missing 1 required positional argument"):
        maker(Pause)(7, "Night Retinol", ProductClass.RETINOID, "no retinoid")


def test_only_slotted_dataclasses_without_post_init():
    @dataclasses.dataclass(frozen=True)
    class Plain:
        x: int

    with pytest.raises(TypeError, match="slotted"):
        maker(Plain)
