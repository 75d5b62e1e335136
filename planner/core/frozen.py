"""A faster constructor for the engine's frozen value classes (Pause, DayPlan).

A year's plan for an enthusiast's shelf makes about 1,600 Pause objects and 365 DayPlans, each
a ``@dataclass(frozen=True, slots=True)``. Its generated ``__init__`` sets every field through
``object.__setattr__`` (frozen forbids plain assignment), which costs about twice what setting
the slots directly does. ``maker(cls)`` returns a function taking every field positionally that
builds the same object (equal, same type, same hash) by setting the slots through their
descriptors. It skips defaults and ``__post_init__``: use it only with classes that have none
to run (checked when the maker is made) and with every field given.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def maker(cls: type[T]) -> Callable[..., T]:
    """``cls(*fields)`` for a frozen, slotted dataclass, with every field given positionally."""
    if not (dataclasses.is_dataclass(cls) and "__slots__" in cls.__dict__) or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: only a slotted dataclass without __post_init__")
    setters = tuple(getattr(cls, f.name).__set__ for f in dataclasses.fields(cls))
    new = object.__new__
    count = len(setters)

    def make(*values: Any) -> T:
        if len(values) != count:
            raise TypeError(f"{cls.__name__} takes {count} fields, got {len(values)}")
        obj = new(cls)
        for set_field, value in zip(setters, values):
            set_field(obj, value)
        return obj
    return make
