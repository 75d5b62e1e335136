"""Safety screening and the words about an exosome serum's source."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.core import catalog
from planner.core.model import ExosomeSource, ProcedureInput, ProductClass, ProductInput, SafetyAnswers, Severity
from planner.core.safety import describe_exosome_source, screen

D = dt.date
TODAY = D(2025, 6, 1)


def codes(screening) -> list[tuple[Severity, str]]:
    return [(f.severity, f.code) for f in screening.findings]


def test_nothing_to_flag_still_says_it_is_not_medical_advice():
    screening = screen(SafetyAnswers())
    assert codes(screening) == [(Severity.INFO, "not_medical_advice")]
    message = screening.findings[0].message
    assert "not medical advice" in message and "2019" in message
    assert "No exosome product is FDA-approved" in message
    assert not screening.blocks_exosomes and not screening.needs_approval


@pytest.mark.parametrize("answer", ["active_cancer", "active_skin_infection"])
def test_cancer_or_infection_blocks_and_offers_peptides(answer):
    screening = screen(SafetyAnswers(**{answer: True}))
    assert screening.blocks_exosomes
    assert codes(screening) == [(Severity.BLOCK, answer), (Severity.INFO, "peptide_alternative"),
                                (Severity.INFO, "not_medical_advice")]
    assert "peptide serum is offered instead" in screening.findings[0].message
    alternative = screening.findings[1].message
    assert "tripeptide/hexapeptide" in alternative and "Wang 2020" in alternative and "twice daily" in alternative


def test_both_blocks_offer_the_alternative_once():
    screening = screen(SafetyAnswers(active_cancer=True, active_skin_infection=True))
    assert [code for _, code in codes(screening)].count("peptide_alternative") == 1


@pytest.mark.parametrize("answer, code", [("pregnant", "pregnancy"), ("breastfeeding", "breastfeeding"),
                                          ("skin_cancer_history", "skin_cancer_history")])
def test_some_answers_need_a_dermatologists_approval(answer, code):
    waiting = screen(SafetyAnswers(**{answer: True}))
    assert waiting.needs_approval and codes(waiting)[0] == (Severity.NEEDS_APPROVAL, code)
    approved = screen(SafetyAnswers(**{answer: True}, dermatologist_approved=True))
    assert not approved.needs_approval
    assert codes(approved)[0] == (Severity.WARNING, code)
    assert "dermatologist approved" in approved.findings[0].message


def test_retinoids_are_flagged_in_pregnancy():
    retinoid = ProductInput(1, "Tretinoin", frozenset({ProductClass.RETINOID}))
    pregnant = screen(SafetyAnswers(pregnant=True), products=[retinoid])
    assert (Severity.WARNING, "retinoid_pregnancy") in codes(pregnant)
    assert (Severity.WARNING, "retinoid_pregnancy") not in codes(screen(SafetyAnswers(), products=[retinoid]))


def test_recent_isotretinoin_before_needling_or_resurfacing_is_a_warning():
    answers = SafetyAnswers(isotretinoin_last_6_months=True)
    needling = ProcedureInput(1, "microneedling", D(2025, 6, 12))
    found = screen(answers, [needling], today=TODAY)
    warning = next(f for f in found.findings if f.code == "isotretinoin")
    assert warning.severity is Severity.WARNING
    assert "microneedling on 12 June 2025" in warning.message
    assert "tell your clinician" in warning.message and "many clinics wait 6 months" in warning.message
    past = screen(answers, [ProcedureInput(1, "microneedling", D(2025, 5, 1))], today=TODAY)
    assert (Severity.INFO, "isotretinoin") in codes(past)
    assert (Severity.WARNING, "isotretinoin") in codes(screen(answers, [needling]))  # no today: every procedure


@pytest.mark.parametrize("kind", [k.key for k in catalog.procedure_kinds()])
def test_which_procedures_raise_the_isotretinoin_warning(kind):
    found = screen(SafetyAnswers(isotretinoin_last_6_months=True), [ProcedureInput(1, kind, TODAY)], today=TODAY)
    expected = kind in {"microneedling", "rf_microneedling", "nonablative_fractional_laser",
                        "ablative_fractional_laser", "fully_ablative_resurfacing"}
    assert ((Severity.WARNING, "isotretinoin") in codes(found)) is expected


def test_findings_come_most_severe_first():
    screening = screen(SafetyAnswers(active_cancer=True, pregnant=True, isotretinoin_last_6_months=True),
                       [ProcedureInput(1, "ablative_fractional_laser", TODAY)], today=TODAY)
    order = [f.severity for f in screening.findings]
    assert order == sorted(order, key=list(Severity).index)
    assert screening.blocks_exosomes and screening.needs_approval


def test_describe_each_source():
    human = " ".join(describe_exosome_source(ExosomeSource.HUMAN, None))
    assert "tissue banks" in human and "ask the brand" in human and "not permitted in EU or UK cosmetics" in human
    animal = " ".join(describe_exosome_source(ExosomeSource.ANIMAL, None))
    assert "milk" in animal and "deer" in animal
    plant = " ".join(describe_exosome_source(ExosomeSource.PLANT, None))
    assert "exosome-like nanovesicles" in plant and "less effective" in plant and "less evidence" in plant
    for unknown in (ExosomeSource.UNKNOWN, None):
        assert describe_exosome_source(unknown, None)[0].startswith("Source unknown: ask the brand")


@pytest.mark.parametrize("is_plated", [True, False, None])
def test_describe_plating_honestly(is_plated):
    sentences = describe_exosome_source(ExosomeSource.HUMAN, is_plated)
    assert "culture" in sentences[-1]
    assert "evidence comparing production methods is limited" in sentences[-1].lower()
    assert sentences[-1].startswith({True: "Plated:", False: "Not plated:", None: "Ask the brand"}[is_plated])


def test_everyone_with_an_exosome_product_hears_of_peptides():
    from planner.core.model import ProductClass, ProductInput
    from planner.core.safety import PEPTIDE_ALONGSIDE

    serum = ProductInput(1, "Exo serum", frozenset({ProductClass.EXOSOME}))
    cream = ProductInput(2, "Cream", frozenset({ProductClass.GENTLE}))
    screening = screen(SafetyAnswers(), products=[cream, serum])
    assert codes(screening) == [(Severity.INFO, "peptide_alternative"), (Severity.INFO, "not_medical_advice")]
    assert screening.findings[0].message == PEPTIDE_ALONGSIDE
    assert "more established alternative" in PEPTIDE_ALONGSIDE and "Wang 2020" in PEPTIDE_ALONGSIDE
    assert not screening.blocks_exosomes
    assert codes(screen(SafetyAnswers(), products=[cream])) == [(Severity.INFO, "not_medical_advice")]
    blocked = screen(SafetyAnswers(active_cancer=True), products=[serum])
    assert [code for _, code in codes(blocked)].count("peptide_alternative") == 1
