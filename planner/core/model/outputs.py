"""What the engine returns: days of steps, pauses, markers, advice and check-in questions, the
screening's findings and each procedure's facts.

Every face (pages, feed, messages, API) reads only these, so they can never disagree.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from planner.core.model.inputs import CheckInAnswer, Windows
from planner.core.model.vocabulary import Area, Intensity, ProductClass, Slot

__all__ = [
    "StepRole",
    "MarkerKind",
    "Step",
    "Pause",
    "Marker",
    "AftercareTopic",
    "Advice",
    "CheckInAsk",
    "DayPlan",
    "Severity",
    "Finding",
    "Screening",
    "ProcedureFacts",
    "Plan",
]


class StepRole(str, enum.Enum):
    SERUM = "serum"  # the once-daily exosome serum (or the peptide serum that replaces it)
    LAYER = "layer"  # a gentle product layered with the serum
    EXFOLIANT = "exfoliant"


class MarkerKind(str, enum.Enum):
    WASHOUT = "washout"
    PROCEDURE = "procedure"
    RECOVERY = "recovery"
    RAMP = "ramp"  # exfoliants coming back gradually


@dataclass(frozen=True, slots=True)
class Step:
    product_id: int | None  # None only for a generic step with no product
    product_name: str
    slot: Slot
    role: StepRole
    order: int  # application order within the slot, 1-based
    note: str = ""  # e.g. "after the treatment", "ramp: 1st of 3 nights this week"
    #: The product has a step in the other slot too today (a morning-and-evening moisturizer):
    #: its marks are kept per slot (storage.adherence.step_key).
    twice: bool = False


@dataclass(frozen=True, slots=True)
class Pause:
    product_id: int
    product_name: str
    product_class: ProductClass
    reason: str  # "no retinoid: day 3 of 7 after microneedling on 12 March"
    procedure_id: int | None = None


@dataclass(frozen=True, slots=True)
class Marker:
    kind: MarkerKind
    procedure_id: int
    label: str  # "Recovery after microneedling (day 3 of 7)"
    day_number: int  # 1-based position of this day in the window
    days_total: int


class AftercareTopic(str, enum.Enum):
    """What aftercare beyond products is about (aftercare.py)."""

    SUN = "sun"  # daily sunscreen and no direct sun
    MAKEUP = "makeup"
    SWEAT = "sweat"  # sweating and exercise
    HEAT = "heat"  # sauna, steam, hot tubs, hot showers, hot yoga
    SWIMMING = "swimming"  # pools (chlorine)
    PICKING = "picking"  # picking or peeling flaking skin


@dataclass(frozen=True, slots=True)
class Advice:
    """One piece of aftercare for one day, after one procedure, with concrete times.

    ``text`` reads on that day ("No makeup until tomorrow evening (after microneedling on 10 March)");
    ``summary`` reads on any day ("No makeup until the evening of Wed 11 March"), for a calendar
    event that spans several days or a list of the whole aftercare.
    """

    topic: AftercareTopic
    procedure_id: int
    text: str
    summary: str
    last_day: dt.date  # the last local date the advice applies
    sources: tuple[str, ...] = ()
    #: True for a warning that needs the user to act (no sunscreen on the shelf).
    is_warning: bool = False


@dataclass(frozen=True, slots=True)
class CheckInAsk:
    """The day asks "Is your skin still red, peeling, stinging or broken?" about one procedure
    (the last days of its recovery window, and the days it was extended): the faces offer the
    two answers, and show the one given."""

    procedure_id: int
    label: str  # "microneedling", as it reads mid-sentence
    procedure_date: dt.date
    answer: CheckInAnswer | None = None  # what the user said for this day, if anything
    extended: bool = False  # this day is one the user's answers added to the window


@dataclass(frozen=True, slots=True)
class DayPlan:
    date: dt.date
    steps: tuple[Step, ...] = ()
    pauses: tuple[Pause, ...] = ()
    markers: tuple[Marker, ...] = ()
    notes: tuple[str, ...] = ()  # every other decision explained in words
    #: The skin check-ins the day asks (core/checkins.py).
    checkins: tuple[CheckInAsk, ...] = ()
    #: Aftercare beyond products (sun, makeup, sweat, heat, swimming, picking), from aftercare.py.
    advice: tuple[Advice, ...] = ()

    def steps_in(self, slot: Slot) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.slot is slot)

    @property
    def serum(self) -> Step | None:
        return next((s for s in self.steps if s.role is StepRole.SERUM), None)


class Severity(str, enum.Enum):
    BLOCK = "block"  # no exosome plan at all
    NEEDS_APPROVAL = "needs_approval"  # plan shown only after a dermatologist approved it
    WARNING = "warning"  # shown beside the plan
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    code: str  # stable identifier, e.g. "active_cancer"
    message: str


@dataclass(frozen=True, slots=True)
class Screening:
    findings: tuple[Finding, ...] = ()

    @property
    def blocks_exosomes(self) -> bool:
        return any(f.severity is Severity.BLOCK for f in self.findings)

    @property
    def needs_approval(self) -> bool:
        return any(f.severity is Severity.NEEDS_APPROVAL for f in self.findings)


@dataclass(frozen=True, slots=True)
class ProcedureFacts:
    """What every face says about one procedure, resolved by the engine once.

    The calendar, the feed, the reminders and the procedures page all read these instead of
    resolving windows again, so a washout start or a recovery end can never differ between them.
    """

    id: int
    kind: str
    label: str  # "Microneedling", as a title
    phrase: str  # "microneedling", as it reads mid-sentence
    date: dt.date
    intensity: Intensity
    windows: Windows
    washout_start: dt.date  # first day of the washout (the procedure day when there is none)
    recovery_end: dt.date  # last day of the recovery band (the procedure day when there is none)
    clinic: str = ""
    #: Days the user's "still red, peeling…" answers added after the planned recovery end (in recovery_end).
    extended_days: int = 0
    #: The local day of the last "still" answer that extended the window, if any.
    extended_on: dt.date | None = None
    area: Area = Area.FACE

    @property
    def has_washout(self) -> bool:
        return self.washout_start < self.date

    @property
    def has_recovery(self) -> bool:
        return self.recovery_end > self.date


@dataclass(frozen=True, slots=True)
class Plan:
    days: tuple[DayPlan, ...]
    screening: Screening = Screening()
    #: True when safety blocks the exosome serum, or approval is still missing.
    withheld: bool = False
    notes: tuple[str, ...] = field(default=())
    #: Every procedure of the user (by date, then id), whether or not the range touches it.
    procedures: tuple[ProcedureFacts, ...] = ()
    #: The user's local date the plan was made on (the screening's "today").
    today: dt.date | None = None
    #: True while the safety answers need a dermatologist's approval the user has not confirmed:
    #: every window and pause is planned, only the exosome serum is withheld.
    awaiting_approval: bool = False

    def procedure(self, procedure_id: int) -> ProcedureFacts | None:
        return next((p for p in self.procedures if p.id == procedure_id), None)
