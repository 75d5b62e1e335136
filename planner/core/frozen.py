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
    names = [f.name for f in dataclasses.fields(cls)]
    # Generated as dataclasses generates __init__: one plain call per field, no loop.
    scope: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    scope.update({f"_set_{name}": getattr(cls, name).__set__ for name in names})
    source = (f"def make_{cls.__name__}({', '.join(names)}):\n    obj = _new(_cls)\n"
              + "".join(f"    _set_{name}(obj, {name})\n" for name in names) + "    return obj\n")
    exec(source, scope)  # noqa: S102 (field names of a dataclass, not input)
    return scope[f"make_{cls.__name__}"]
