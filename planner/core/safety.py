"""Safety screening before any exosome plan, and plain words about where a serum comes from.

No regulator, association or manufacturer lists contraindications for topical exosome serums,
and no exosome product is FDA-approved. So these rules are deliberate precautions, borrowed from
the contraindications of the procedures that deliver such serums (SkinPen microneedling: active
skin cancer in the area, active infection, pregnancy or nursing, isotretinoin) and from the
theoretical concerns reviews raise (growth signals, immune reactions, contamination):

- an active cancer or an active skin infection blocks the exosome plan; a tripeptide/hexapeptide
  serum, studied twice daily around fractional laser, is offered instead;
- pregnancy, breastfeeding or a history of skin cancer need a dermatologist's approval first;
- recent isotretinoin is flagged before needling or resurfacing;
- everyone with an exosome product hears that peptides are the more established alternative;
- every screening says this is general information, not medical advice.

The facts are written into this module (from the project's clinical reference) so nothing is
read from disk at run time. Pure: plain values in, plain values out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from planner.core import reasons
from planner.core.model import (
    ExosomeSource, Finding, ProcedureInput, ProductClass, ProductInput, SafetyAnswers, Screening, Severity,
)

#: Catalog kinds that wound the skin deeply enough for the isotretinoin question.
ISOTRETINOIN_SENSITIVE_KINDS = frozenset({
    "microneedling", "rf_microneedling", "nonablative_fractional_laser", "ablative_fractional_laser",
    "fully_ablative_resurfacing",
})
_SENSITIVE_WORDS = ("microneedling", "ablative", "resurfacing")

_PEPTIDE_EVIDENCE = (
    "a tripeptide/hexapeptide serum used twice daily "
    "from two weeks before to two months after a non-ablative fractional laser improved results and "
    "recovery with no significant side effects (Wang 2020), and a tripeptide/hexapeptide gel used "
    "around fractional laser for acne scars lowered water loss and redness (Regenerating Skin Nectar "
    "study)."
)
PEPTIDE_ALTERNATIVE = (
    f"The established alternative is a peptide serum: {_PEPTIDE_EVIDENCE} Add one to your products and the "
    "plan uses it in the serum's place."
)
#: For everyone with an exosome product whose plan keeps it: the same evidence, as a choice.
PEPTIDE_ALONGSIDE = (
    f"Peptides are the more established alternative to exosomes: {_PEPTIDE_EVIDENCE} Home exosome serums "
    "have far less evidence behind them; ask your clinician whether a peptide serum would suit you instead."
)
#: Beside a product's "plated" answer: what reputable brands offer, and what the evidence does and does not say.
PLATED_ADVICE = (
    "The usual advice is to choose plated exosomes (collected from cells grown in culture) from a reputable "
    "brand that names its source. Even so, the strongest evidence for exosomes comes from in-office use "
    "alongside procedures; home products may lack the concentration or the validated sources used there, "
    "and long-term safety data are still emerging."
)
NOT_MEDICAL_ADVICE = (
    "Afterglow gives general information, not medical advice: your clinician's instructions come "
    "first. No exosome product is FDA-approved; the FDA's 2019 public safety notification warns that "
    "exosome products sold to treat conditions are unapproved, after serious adverse events "
    "(including sepsis) from an unapproved placenta-derived product."
)

_BLOCKS = {
    "active_cancer": (
        "You told us you have an active cancer. Exosomes carry growth signals, and no study shows "
        "an exosome serum is safe alongside a cancer, so Afterglow will not plan one. Ask your "
        "oncologist or dermatologist before any serum or procedure. A peptide serum is offered instead."
    ),
    "active_skin_infection": (
        "You told us you have an active skin infection (bacterial, fungal or viral, including cold "
        "sores). Serums and procedures on infected skin can spread it, and procedures are not done "
        "on it, so Afterglow will not plan an exosome serum until it has cleared: update your "
        "answers then. A peptide serum is offered instead."
    ),
}
_APPROVALS = {
    "pregnancy": "you are pregnant",
    "breastfeeding": "you are breastfeeding",
    "skin_cancer_history": "you have had skin cancer",
}


def _kind_is_sensitive(kind: str) -> bool:
    return kind in ISOTRETINOIN_SENSITIVE_KINDS or any(w in kind for w in _SENSITIVE_WORDS)


def screen(
    answers: SafetyAnswers,
    procedures: Sequence[ProcedureInput] = (),
    products: Sequence[ProductInput] = (),
    today: dt.date | None = None,
) -> Screening:
    """Findings for the profile's answers, most severe first. ``today`` limits the isotretinoin
    check to procedures on or after it; None checks every procedure."""
    findings: list[Finding] = []
    blocked = {"active_cancer": answers.active_cancer, "active_skin_infection": answers.active_skin_infection}
    for code, is_set in blocked.items():
        if is_set:
            findings.append(Finding(Severity.BLOCK, code, _BLOCKS[code]))
    if any(blocked.values()):
        findings.append(Finding(Severity.INFO, "peptide_alternative", PEPTIDE_ALTERNATIVE))
    elif any(ProductClass.EXOSOME in p.classes for p in products):
        findings.append(Finding(Severity.INFO, "peptide_alternative", PEPTIDE_ALONGSIDE))

    approvals = {"pregnancy": answers.pregnant, "breastfeeding": answers.breastfeeding,
                 "skin_cancer_history": answers.skin_cancer_history}
    for code, is_set in approvals.items():
        if not is_set:
            continue
        if answers.dermatologist_approved:
            findings.append(Finding(Severity.WARNING, code, (
                f"You told us {_APPROVALS[code]} and that a dermatologist approved this plan. Safety of "
                "exosome serums has not been studied here; stop and ask them if anything changes.")))
        else:
            findings.append(Finding(Severity.NEEDS_APPROVAL, code, (
                f"You told us {_APPROVALS[code]}. Exosome serums have not been studied in this case, so "
                "your plan has no exosome serum until you confirm a dermatologist approved it; every pause "
                "around your procedures still applies.")))
    if (answers.pregnant or answers.breastfeeding) and any(ProductClass.RETINOID in p.classes for p in products):
        findings.append(Finding(Severity.WARNING, "retinoid_pregnancy", (
            "One of your products contains a retinoid. Retinoids are usually avoided during pregnancy "
            "and breastfeeding: discuss it with your clinician before using it (each such product and "
            "each day it is planned says why, with the sources).")))

    if answers.isotretinoin_last_6_months:
        findings.append(_isotretinoin(procedures, today))
    findings.append(Finding(Severity.INFO, "not_medical_advice", NOT_MEDICAL_ADVICE))
    order = list(Severity)
    return Screening(tuple(sorted(findings, key=lambda f: order.index(f.severity))))


def _isotretinoin(procedures: Sequence[ProcedureInput], today: dt.date | None) -> Finding:
    upcoming = sorted((p for p in procedures if _kind_is_sensitive(p.kind) and (today is None or p.date >= today)),
                      key=lambda p: (p.date, p.id))
    if not upcoming:
        return Finding(Severity.INFO, "isotretinoin", (
            "You took isotretinoin in the last 6 months: tell your clinician before any procedure."))
    named = ", ".join(f"{reasons.kind_label(p.kind)} on {reasons.short_date(p.date)} {p.date.year}"
                      for p in upcoming)
    return Finding(Severity.WARNING, "isotretinoin", (
        f"You took isotretinoin in the last 6 months and have planned {named}: tell your clinician; many "
        "clinics wait 6 months after isotretinoin before needling or laser resurfacing, because "
        "healing may be slower and scarring more likely."))


# --------------------------------------------------------------------------
# Where a serum's exosomes come from
# --------------------------------------------------------------------------

_SOURCES = {
    ExosomeSource.HUMAN: [
        "Human-derived: the exosomes come from human stem cells (for example fat or umbilical-cord "
        "stem cells, sometimes placenta). Reputable makers source them from accredited tissue banks "
        "with screened donors: ask the brand which bank and which screening.",
        "Human-derived materials are not permitted in EU or UK cosmetics. The FDA's 2019 safety "
        "notification followed serious infections after an unapproved placenta-derived product.",
    ],
    ExosomeSource.ANIMAL: [
        "Animal-derived: for example from cow's milk or colostrum, or conditioned media from red deer "
        "umbilical cord; marine sources (such as salmon) are claims by sellers. Ask the brand which "
        "animal and how the vesicles were purified.",
    ],
    ExosomeSource.PLANT: [
        "Plant-derived: these are exosome-like nanovesicles (for example from rose), not exosomes "
        "from human cells. They are likely less effective, and there is less evidence behind them.",
    ],
    ExosomeSource.UNKNOWN: [
        "Source unknown: ask the brand whether its exosomes are human, animal or plant-derived, and "
        "how they were made. Labels rarely say.",
    ],
}
_PLATED = {
    True: ("Plated: the brand says the vesicles were collected from cells grown (\"plated\") in "
           "culture dishes, not extracted straight from tissue, milk or plants. That describes how "
           "they were made, not how well they work: evidence comparing production methods is limited."),
    False: ("Not plated: the vesicles were extracted straight from their source (tissue, milk or "
            "plants) rather than collected from cells grown in culture. Evidence comparing "
            "production methods is limited."),
    None: ("Ask the brand whether the vesicles were collected from cells grown (\"plated\") in "
           "culture or extracted straight from their source; either way, evidence comparing "
           "production methods is limited."),
}


def describe_exosome_source(source: ExosomeSource | None, is_plated: bool | None) -> list[str]:
    """Plain sentences shown where a user picks a serum: its source, then how it was made."""
    return [*_SOURCES[source or ExosomeSource.UNKNOWN], _PLATED[is_plated]]
