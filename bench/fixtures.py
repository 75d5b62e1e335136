"""A realistic heavy user shared by the benchmarks: 12 procedures and 6 products over a year,
as engine inputs and as rows in a migrated database (one setup for every bench).

The plan benchmark also grows the shelf and the history: ``shelf(n)`` is an enthusiast's first n
products (the six above, then a cleanser-to-sunscreen shelf with exfoliants of every class and
cadence, up to 50), and ``procedure_history(n)`` one procedure a month whose last twelve fall in
the planned year (so 200 is sixteen years of treatments).
"""

from __future__ import annotations

import datetime as dt

from planner.core.ingredients import classify, ingredient_keys
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

#: More of an enthusiast's shelf, gentle layers and exfoliants mixed so any prefix is a real shelf.
SHELF = (
    ("Gentle Gel Cleanser", "Aqua, Glycerin, Sodium Cocoyl Glycinate", CadenceKind.DAILY, None, None),
    ("Vitamin C Serum", "Aqua, Ascorbic Acid, Ferulic Acid, Tocopherol", CadenceKind.DAILY, None, None),
    ("Hydrating Toner", "Water, Sodium Hyaluronate, Glycerin", CadenceKind.DAILY, None, None),
    ("Lactic Acid Serum", "Aqua, Lactic Acid, Glycerin", CadenceKind.EVERY_N_DAYS, None, None),
    ("Niacinamide Serum", "Aqua, Niacinamide, Zinc PCA", CadenceKind.DAILY, None, None),
    ("Ceramide Cream", "Aqua, Ceramide NP, Cholesterol, Glycerin", CadenceKind.DAILY, None, None),
    ("Retinal Serum", "Aqua, Retinal, Squalane", CadenceKind.EVERY_N_DAYS, None, None),
    ("Squalane Oil", "Squalane, Tocopherol", CadenceKind.EVERY_OTHER_DAY, None, None),
    ("PHA Toner", "Aqua, Gluconolactone, Glycerin", CadenceKind.EVERY_OTHER_DAY, None, None),
    ("Clay Mask", "Kaolin, Aqua, Glycerin", CadenceKind.WEEKDAYS, frozenset({2}), None),
    ("Enzyme Powder", "Papain, Maltodextrin, Sodium Lauroyl Glutamate", CadenceKind.WEEKDAYS, frozenset({5}), None),
    ("Rice Essence", "Oryza Sativa Ferment Filtrate, Glycerin", CadenceKind.DAILY, None, None),
    ("Tretinoin Cream", "Tretinoin, Aqua, Polysorbate 80", CadenceKind.WEEKDAYS, frozenset({0, 3}), None),
    ("Benzoyl Peroxide Gel", "Aqua, Benzoyl Peroxide, Carbomer", CadenceKind.EVERY_OTHER_DAY, None, None),
    ("Eye Cream", "Aqua, Caffeine, Glycerin", CadenceKind.DAILY, None, None),
    ("Copper Peptide Serum", "Aqua, Copper Tripeptide-1", CadenceKind.DAILY, None, None),
    ("Walnut Scrub", "Aqua, Juglans Regia (Walnut) Shell Powder, Glycerin", CadenceKind.WEEKDAYS, frozenset({6}), None),
    ("Micellar Water", "Aqua, Poloxamer 184, Glycerin", CadenceKind.DAILY, None, None),
    ("Mandelic Acid Toner", "Aqua, Mandelic Acid", CadenceKind.WEEKDAYS, frozenset({1, 5}), None),
    ("Sheet Mask", "Aqua, Glycerin, Panthenol", CadenceKind.WEEKDAYS, frozenset({6}), None),
    ("Azelaic Acid Cream", "Aqua, Azelaic Acid, Glycerin", CadenceKind.DAILY, None, None),
    ("Centella Essence", "Centella Asiatica Extract, Aqua", CadenceKind.DAILY, None, None),
    ("Salicylic Cleanser", "Water, Salicylic Acid, Sodium Laureth Sulfate", CadenceKind.EVERY_OTHER_DAY, None, None),
    ("Barrier Balm", "Petrolatum, Ceramide NP", CadenceKind.EVERY_N_DAYS, None, None),
    ("Plant Exosome Ampoule", "Aqua, Rosa Damascena Callus Culture Exosomes", CadenceKind.DAILY, None, ExosomeSource.PLANT),
    ("Glycolic Peel Pads", "Aqua, Glycolic Acid, Sodium Hydroxide", CadenceKind.WEEKDAYS, frozenset({0, 4}), None),
    ("Bakuchiol Oil", "Aqua, Bakuchiol, Squalane", CadenceKind.DAILY, None, None),
    ("Tinted SPF 30", "Zinc Oxide, Titanium Dioxide, Aqua, Iron Oxides", CadenceKind.DAILY, None, None),
    ("Hydroquinone Cream", "Aqua, Hydroquinone", CadenceKind.EVERY_OTHER_DAY, None, None),
    ("Sleeping Mask", "Aqua, Glycerin, Panthenol, Squalane", CadenceKind.WEEKDAYS, frozenset({1, 4}), None),
    ("Retinol Eye Cream", "Aqua, Hydroxypinacolone Retinoate, Squalane", CadenceKind.EVERY_OTHER_DAY, None, None),
    ("Cleansing Balm", "Caprylic/Capric Triglyceride, Polyglyceryl-10 Oleate", CadenceKind.DAILY, None, None),
    ("Bromelain Mask", "Aqua, Bromelain, Glycerin", CadenceKind.WEEKDAYS, frozenset({3}), None),
    ("Hyaluronic Essence", "Aqua, Sodium Hyaluronate, Panthenol", CadenceKind.DAILY, None, None),
    ("Lactobionic Serum", "Aqua, Lactobionic Acid", CadenceKind.EVERY_N_DAYS, None, None),
    ("Night Cream", "Aqua, Shea Butter, Glycerin", CadenceKind.DAILY, None, None),
    ("Retinyl Palmitate Lotion", "Aqua, Retinyl Palmitate, Glycerin", CadenceKind.DAILY, None, None),
    ("Rose Mist", "Rosa Damascena Flower Water, Glycerin", CadenceKind.DAILY, None, None),
    ("Apricot Polish", "Aqua, Prunus Armeniaca (Apricot) Seed Powder", CadenceKind.EVERY_N_DAYS, None, None),
    ("Peptide Eye Serum", "Aqua, Acetyl Hexapeptide-8, Glycerin", CadenceKind.DAILY, None, None),
    ("Glycolic Cleanser", "Aqua, Glycolic Acid, Sodium Cocoyl Glycinate", CadenceKind.WEEKDAYS, frozenset({0, 2, 4}), None),
    ("Face Oil", "Rosa Canina Fruit Oil, Squalane", CadenceKind.EVERY_OTHER_DAY, None, None),
    ("Sunscreen Stick SPF 50", "Zinc Oxide, Caprylic/Capric Triglyceride", CadenceKind.DAILY, None, None),
    ("Overnight Lactic Peel", "Aqua, Lactic Acid, Gluconolactone", CadenceKind.WEEKDAYS, frozenset({6}), None),
)
#: ``every_n_days`` for the EVERY_N_DAYS products of the shelf, by position (3 unless listed).
_EVERY_N = {3: 3, 6: 3, 23: 4, 34: 5, 38: 7}


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


def shelf(n: int) -> list[ProductInput]:
    """The first ``n`` products of an enthusiast's shelf: the six above, then ``SHELF``."""
    entries = (PRODUCTS + SHELF)[:n]
    if len(entries) < n:
        raise ValueError(f"the shelf holds {len(PRODUCTS + SHELF)} products, not {n}")
    out = []
    for i, (name, inci, cadence, weekdays, source) in enumerate(entries):
        found = classify(inci)
        every_n = 2 if cadence is CadenceKind.EVERY_OTHER_DAY else _EVERY_N.get(i - len(PRODUCTS), 3)
        out.append(
            ProductInput(
                id=i + 1,
                name=name,
                classes=found.classes,
                retinoid_strength=found.retinoid_strength,
                cadence=Cadence(kind=cadence, every_n_days=1 if cadence in (CadenceKind.DAILY, CadenceKind.WEEKDAYS) else every_n,
                                weekdays=weekdays or frozenset()),
                exosome_source=source,
                ingredients=ingredient_keys(found),
            )
        )
    return out


def procedure_history(n: int) -> list[ProcedureInput]:
    """``n`` procedures, one a month, the last twelve of them ``procedures()`` in the planned
    year and the others the years before (the kinds and intensities going round the same way)."""
    planned = procedures()
    if n <= len(planned):
        return planned[:n]
    intensities = (Intensity.LIGHT, Intensity.STANDARD, Intensity.AGGRESSIVE)
    earlier = []
    for k in range(1, n - len(planned) + 1):
        i = -k
        earlier.append(ProcedureInput(id=len(planned) + k, kind=KINDS[i % len(KINDS)],
                                      date=START + dt.timedelta(days=30 * i + 10), intensity=intensities[i % 3]))
    return earlier[::-1] + planned


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
