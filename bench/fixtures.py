"""A realistic heavy user shared by the benchmarks: 12 procedures and 6 products over a year."""

from __future__ import annotations

import datetime as dt

from planner.core.ingredients import classify
from planner.core.model import (
    Cadence,
    CadenceKind,
    ExosomeSource,
    Intensity,
    ProcedureInput,
    ProductInput,
    Profile,
    Slot,
)

START = dt.date(2026, 1, 1)
KINDS = (
    "microneedling", "ipl_photofacial", "superficial_chemical_peel", "hydrafacial",
    "nonablative_fractional_laser", "dermaplaning", "rf_microneedling", "microdermabrasion",
    "botulinum_toxin", "laser_hair_removal", "dermal_filler_ha", "ablative_fractional_laser",
)
PRODUCTS = (
    ("Glow Exosomes", "Water, Human Adipocyte Conditioned Media Extract, Glycerin", CadenceKind.DAILY, None, ExosomeSource.HUMAN),
    ("Night Retinol", "Aqua, Squalane, Glycerin, Retinol, Tocopherol, Phenoxyethanol", CadenceKind.DAILY, None, None),
    ("Glycolic Toner", "Aqua, Glycolic Acid, Sodium Hydroxide, Glycerin, Phenoxyethanol", CadenceKind.EVERY_OTHER_DAY, None, None),
    ("BHA Liquid", "Water, Methylpropanediol, Butylene Glycol, Salicylic Acid, Polysorbate 20", CadenceKind.WEEKDAYS, frozenset({0, 2, 4}), None),
    ("Peptide Cream", "Aqua, Glycerin, Palmitoyl Tripeptide-1, Acetyl Hexapeptide-8, Shea Butter", CadenceKind.DAILY, None, None),
    ("Mineral SPF 50", "Zinc Oxide, Caprylic/Capric Triglyceride, Glycerin, Tocopherol", CadenceKind.DAILY, None, None),
)


def procedures() -> list[ProcedureInput]:
    """One procedure a month, a mix of kinds and intensities."""
    intensities = (Intensity.LIGHT, Intensity.STANDARD, Intensity.AGGRESSIVE)
    return [
        ProcedureInput(id=i + 1, kind=kind, date=START + dt.timedelta(days=30 * i + 10), intensity=intensities[i % 3])
        for i, kind in enumerate(KINDS)
    ]


def products() -> list[ProductInput]:
    out = []
    for i, (name, inci, cadence, weekdays, source) in enumerate(PRODUCTS):
        found = classify(inci)
        out.append(
            ProductInput(
                id=i + 1,
                name=name,
                classes=found.classes,
                retinoid_strength=found.retinoid_strength,
                cadence=Cadence(kind=cadence, every_n_days=2 if cadence is CadenceKind.EVERY_OTHER_DAY else 1, weekdays=weekdays or frozenset()),
                exosome_source=source,
            )
        )
    return out


def profile() -> Profile:
    return Profile(timezone="Europe/Berlin", serum_slot=Slot.EVENING)
