"""The words the core speaks: what a product is, where it goes, how hard a procedure was.

Enums and their labels, shared by the engine's inputs and outputs (model/inputs.py,
model/outputs.py), the classifier and every face.
"""

from __future__ import annotations

import enum

__all__ = [
    "Intensity",
    "Slot",
    "ProductType",
    "PRODUCT_TYPE_LABELS",
    "Area",
    "AREA_LABELS",
    "DEFAULT_AREAS",
    "ProductClass",
    "CLASS_LABELS",
    "PAUSED_CLASSES",
    "ACTIVE_CLASSES",
    "ACID_CLASSES",
    "RetinoidStrength",
    "ExosomeSource",
]


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
