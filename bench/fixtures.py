"""A realistic heavy user shared by the benchmarks: 12 procedures and 6 products over a year,
as engine inputs and as rows in a migrated database (one setup for every bench)."""

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


# -- The same user in a database: shared by the benches that go through the app ---------------------

#: Long enough for the app's secret-key check; a bench's databases are thrown away after.
SECRET_KEY = "bench-secret-key-of-32-characters-or-more"
EMAIL = "bench@example.com"
PASSWORD = "benchmark password"


def sqlite_app(folder, **config):
    """The app on a migrated SQLite database in ``folder`` (a temp folder), scheduler off."""
    from pathlib import Path

    return migrated_app(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", Path(folder) / "instance", **config)


def migrated_app(database_url: str, instance, **config):
    """The app on ``database_url``, migrated to the head revision."""
    from flask_migrate import upgrade

    from planner import create_app

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY, "INSTANCE_PATH": str(instance),
                      "EMBEDDED_SCHEDULER": False, **config})
    with app.app_context():
        upgrade()
    return app


def add_heavy_user(email: str = EMAIL, start: dt.date = START):
    """The heavy user's account, procedures and products (within an app context); returns the user.

    ``start`` shifts the procedures: the first is at ``start`` + 10 days, one a month after."""
    from planner.extensions import db
    from planner.storage.models import Procedure, Product, User

    user = User(email=email, timezone=profile().timezone, email_verified_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    user.set_password(PASSWORD)  # confirmed, so the benches can log in
    db.session.add(user)
    db.session.commit()
    for p in procedures():
        db.session.add(Procedure(user_id=user.id, kind=p.kind, performed_on=start + (p.date - START),
                                 intensity=p.intensity.value))
    for name, inci, cadence, weekdays, source in PRODUCTS:
        db.session.add(Product(
            user_id=user.id, name=name, ingredients=inci, cadence_kind=cadence.value, cadence_every_n=2,
            cadence_weekdays=",".join(str(d) for d in sorted(weekdays or ())),
            exosome_source=source.value if source else None,
        ))
    db.session.commit()
    return user
