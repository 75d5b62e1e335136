"""What the engine is given: a classified product, a procedure, the catalog's resolved windows,
the user's cadences, check-in answers and screening answers.

Frozen values, so a plan is a function of them alone (the same inputs, the same days).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from planner.core.model.vocabulary import (
    DEFAULT_AREAS, Area, ExosomeSource, Intensity, ProductClass, ProductType, RetinoidStrength, Slot,
)

__all__ = [
    "IngredientMatch",
    "Classification",
    "Overrides",
    "Windows",
    "CadenceKind",
    "Cadence",
    "ProcedureInput",
    "ProductInput",
    "CheckInAnswer",
    "CheckIn",
    "SafetyAnswers",
    "Profile",
]


# --------------------------------------------------------------------------
# Classification
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IngredientMatch:
    """One ingredient of a list that made the product belong to a class."""

    product_class: ProductClass
    ingredient: str  # as the user wrote it
    position: int  # 1-based position in the ingredient list
    note: str = ""  # e.g. "Retinoid: prescription strength"


@dataclass(frozen=True, slots=True)
class Classification:
    classes: frozenset[ProductClass]
    matches: tuple[IngredientMatch, ...] = ()
    retinoid_strength: RetinoidStrength | None = None
    #: Ingredients recognised and deliberately *not* counted (pH adjusters, jojoba oil, bakuchiol…), with why.
    ignored: tuple[tuple[str, str], ...] = ()

    def triggers(self, product_class: ProductClass) -> tuple[str, ...]:
        return tuple(m.ingredient for m in self.matches if m.product_class is product_class)


# --------------------------------------------------------------------------
# Catalog
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Overrides:
    """A clinician's own numbers, entered with the procedure; they always win."""

    washout_days_before: int | None = None
    retinoid_days_after: int | None = None
    actives_days_after: int | None = None
    #: "Home serum allowed from day N": the first day (counted from the procedure day, D = 0)
    #: a home serum and products the clinic did not approve may go on the skin again.
    home_serum_from_day: int | None = None


@dataclass(frozen=True, slots=True)
class Windows:
    """The resolved day counts for one procedure (kind + intensity + overrides).

    Days are counted from the procedure day D: washout is D-washout … D-1,
    the retinoid window is D+1 … D+retinoid_days_after, the actives window
    D+1 … D+actives_days_after. Every paused class is off on D itself.
    """

    washout_days_before: int
    retinoid_days_after: int
    actives_days_after: int
    downtime_days: int
    serum_on_procedure_day: bool  # True: serum after the treatment on D; False: from D+1
    follow_clinician: bool  # evidence is thin: the plan says to follow the clinician's instructions
    overridden: frozenset[str] = frozenset()  # names of fields a clinician override set
    #: The skin is open (re-epithelialising) on D … D+home_serum_from_day-1: only products the
    #: clinic provided or approved for healing skin go on it. 0: nothing is held.
    home_serum_from_day: int = 0


# --------------------------------------------------------------------------
# Engine inputs
# --------------------------------------------------------------------------


class CadenceKind(str, enum.Enum):
    DAILY = "daily"
    EVERY_OTHER_DAY = "every_other_day"
    WEEKDAYS = "weekdays"
    EVERY_N_DAYS = "every_n_days"


@dataclass(frozen=True, slots=True)
class Cadence:
    """How often the user wants an exfoliant, anchored to absolute dates.

    Anchoring on a fixed date (never on the start of the planned range) is what
    makes the plan for [a, c) equal [a, b) + [b, c).
    """

    kind: CadenceKind = CadenceKind.DAILY
    every_n_days: int = 1  # for EVERY_N_DAYS (>= 1); EVERY_OTHER_DAY is 2
    weekdays: frozenset[int] = frozenset()  # 0 = Monday, for WEEKDAYS
    anchor: dt.date = dt.date(2000, 1, 3)  # a Monday


@dataclass(frozen=True, slots=True)
class ProcedureInput:
    id: int
    kind: str  # catalog key, e.g. "microneedling"
    date: dt.date  # local date of the treatment
    intensity: Intensity = Intensity.STANDARD
    overrides: Overrides = Overrides()
    #: Not used to plan: carried into the procedure's facts so the faces need no second read.
    clinic: str = ""
    #: Where it was done: its windows pause only the products used on this area.
    area: Area = Area.FACE


@dataclass(frozen=True, slots=True)
class ProductInput:
    id: int
    name: str
    classes: frozenset[ProductClass]
    retinoid_strength: RetinoidStrength | None = None
    cadence: Cadence = Cadence()
    slot: Slot | None = None  # None: the engine chooses (exfoliants in the evening)
    exosome_source: ExosomeSource | None = None
    is_plated: bool | None = None
    #: The user marked it "provided or approved by my clinic for healing skin": it may go on
    #: open skin after a wounding procedure, when home products are held.
    clinic_approved: bool = False
    #: Specific ingredients some rules name ("tretinoin", "benzoyl_peroxide", "hydroquinone"…),
    #: from the classifier's matches (ingredients.ingredient_keys).
    ingredients: frozenset[str] = frozenset()
    #: The parts of the day the user chose (morning, evening or both); empty: ``slot`` if set,
    #: else the type's default (layering.slots_for). Wins over ``slot``.
    slots: frozenset[Slot] = frozenset()
    #: The user's choice of type; None: guessed from the name (layering.guess_type).
    product_type: ProductType | None = None
    #: Where the user puts it; windows pause it only after procedures on one of these.
    areas: frozenset[Area] = DEFAULT_AREAS


class CheckInAnswer(str, enum.Enum):
    """The user's answer to "Is your skin still red, peeling, stinging or broken?"."""

    STILL = "still"  # still red, peeling, stinging or broken: the pause goes on a day
    SETTLED = "settled"  # it has settled: the ramp may begin after the window


@dataclass(frozen=True, slots=True)
class CheckIn:
    """One answer of the skin check-in, for one procedure on one local day (core/checkins.py)."""

    procedure_id: int
    day: dt.date  # the user's local date the question was asked for
    answer: CheckInAnswer


@dataclass(frozen=True, slots=True)
class SafetyAnswers:
    """The screening questions asked in the profile."""

    active_cancer: bool = False
    active_skin_infection: bool = False
    pregnant: bool = False
    breastfeeding: bool = False
    skin_cancer_history: bool = False
    isotretinoin_last_6_months: bool = False
    dermatologist_approved: bool = False


@dataclass(frozen=True, slots=True)
class Profile:
    timezone: str = "UTC"
    serum_slot: Slot = Slot.EVENING
    safety: SafetyAnswers = SafetyAnswers()
