"""Plain value types shared by the pure core.

The catalog, the ingredient classifier, the schedule engine and the safety
screening speak only in these frozen dataclasses and enums, so the web pages,
the iCal feed and the reminders can all feed the engine the same inputs and
get the same days back. Nothing here knows about Flask or the database.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field


class Intensity(str, enum.Enum):
    """How hard the procedure was; moves catalog numbers within their range."""

    LIGHT = "light"
    STANDARD = "standard"
    AGGRESSIVE = "aggressive"


class Slot(str, enum.Enum):
    """Part of the day a step belongs to."""

    MORNING = "morning"
    EVENING = "evening"


class ProductType(str, enum.Enum):
    """What kind of product it is, which decides where it goes in a routine (layering.py).

    The user chooses it; a guess from the name is the default (layering.guess_type)."""

    CLEANSER = "cleanser"
    MASK = "mask"  # masks and other rinse-off products
    TONER = "toner"
    ESSENCE = "essence"
    SERUM = "serum"
    TREATMENT = "treatment"
    MOISTURIZER = "moisturizer"
    OIL = "oil"
    SUNSCREEN = "sunscreen"


PRODUCT_TYPE_LABELS: dict[ProductType, str] = {
    ProductType.CLEANSER: "Cleanser",
    ProductType.MASK: "Mask or other rinse-off",
    ProductType.TONER: "Toner",
    ProductType.ESSENCE: "Essence",
    ProductType.SERUM: "Serum",
    ProductType.TREATMENT: "Treatment",
    ProductType.MOISTURIZER: "Moisturizer or cream",
    ProductType.OIL: "Face or body oil",
    ProductType.SUNSCREEN: "Sunscreen",
}


class Area(str, enum.Enum):
    """Where on the body a procedure is done and a product is used.

    Five areas, as clinics book them: arms, legs, back and belly all count as ``BODY`` (a laser on
    the legs is a body procedure), so a body lotion and a leg treatment meet, and a facial retinol
    never does. A window pauses only products used on its procedure's area."""

    FACE = "face"
    NECK = "neck"
    CHEST = "chest"
    HANDS = "hands"
    BODY = "body"


AREA_LABELS: dict[Area, str] = {
    Area.FACE: "Face",
    Area.NECK: "Neck",
    Area.CHEST: "Chest (décolleté)",
    Area.HANDS: "Hands",
    Area.BODY: "Body (arms, legs, back, belly)",
}
#: What a product is used on when nobody said otherwise (and every product made before areas).
DEFAULT_AREAS: frozenset[Area] = frozenset({Area.FACE})


class ProductClass(str, enum.Enum):
    """What a product is, as far as planning around procedures cares."""

    RETINOID = "retinoid"
    AHA = "aha"
    BHA = "bha"
    PHA = "pha"
    ENZYME = "enzyme"
    PHYSICAL_EXFOLIANT = "physical_exfoliant"
    OTHER_ACTIVE = "other_active"  # benzoyl peroxide, L-ascorbic acid, hydroquinone, azelaic acid…
    EXOSOME = "exosome"
    PEPTIDE = "peptide"
    GENTLE = "gentle"
    SUNSCREEN = "sunscreen"

    @property
    def label(self) -> str:
        return CLASS_LABELS[self]


CLASS_LABELS: dict[ProductClass, str] = {
    ProductClass.RETINOID: "retinoid",
    ProductClass.AHA: "AHA",
    ProductClass.BHA: "BHA",
    ProductClass.PHA: "PHA",
    ProductClass.ENZYME: "enzyme exfoliant",
    ProductClass.PHYSICAL_EXFOLIANT: "scrub",
    ProductClass.OTHER_ACTIVE: "strong active",
    ProductClass.EXOSOME: "exosome serum",
    ProductClass.PEPTIDE: "peptide",
    ProductClass.GENTLE: "gentle",
    ProductClass.SUNSCREEN: "sunscreen",
}

#: Classes kept away from skin in washout and recovery windows.
PAUSED_CLASSES: frozenset[ProductClass] = frozenset(
    {
        ProductClass.RETINOID,
        ProductClass.AHA,
        ProductClass.BHA,
        ProductClass.PHA,
        ProductClass.ENZYME,
        ProductClass.PHYSICAL_EXFOLIANT,
        ProductClass.OTHER_ACTIVE,
    }
)
#: Paused classes governed by the catalog's "actives" window rather than the retinoid one.
ACTIVE_CLASSES: frozenset[ProductClass] = PAUSED_CLASSES - {ProductClass.RETINOID}
#: Acids: never on the same evening as a retinoid.
ACID_CLASSES: frozenset[ProductClass] = frozenset({ProductClass.AHA, ProductClass.BHA, ProductClass.PHA})


class RetinoidStrength(str, enum.Enum):
    """Potency follows conversion distance to retinoic acid (esters → retinol → retinal → acid)."""

    PRESCRIPTION = "prescription"  # retinoic acid / tretinoin, adapalene, tazarotene, trifarotene
    RETINAL = "retinal"
    RETINOL = "retinol"  # retinol, hydroxypinacolone retinoate, retinyl retinoate
    WEAK_ESTER = "weak_ester"  # retinyl palmitate / acetate / propionate / linoleate


class ExosomeSource(str, enum.Enum):
    HUMAN = "human"
    ANIMAL = "animal"
    PLANT = "plant"
    UNKNOWN = "unknown"


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


# --------------------------------------------------------------------------
# Engine outputs
# --------------------------------------------------------------------------


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
