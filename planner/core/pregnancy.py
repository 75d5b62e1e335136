"""Ingredient classes to discuss with a clinician in pregnancy and while breastfeeding, sourced.

Afterglow does not decide for the clinician: a flagged product stays in the plan, and wherever it
appears (the products page, each day it is planned) it says what the evidence says and "discuss
with your clinician". The classes, from the sources in sources.toml:

- **Topical retinoids** (retinol, retinal, tretinoin, adapalene, tazarotene…): little is absorbed
  and cohort studies of first-trimester tretinoin found no clear excess of birth defects, but oral
  retinoids are teratogenic and reviews advise avoiding topical ones in pregnancy; tazarotene is
  contraindicated (CHIEN_2016_JABFM, BOZZO_2011_CFP, MOTHERTOBABY_TRETINOIN, HAN_2020_JCAD).
- **Hydroquinone**: absorbed through the skin far more than most topicals and barely studied in
  pregnancy; not recommended (BOZZO_2011_CFP, UKTIS_HYDROQUINONE).
- **Salicylic acid**: washes and leave-on products up to 2% are generally considered acceptable;
  peels, high strengths and large areas are not (CHIEN_2016_JABFM, MNT_SALICYLIC_ACOG).

Benzoyl peroxide and azelaic acid are the usual pregnancy-compatible acne treatments
(CHIEN_2016_JABFM), so they are not flagged. Pure data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from planner.core.model import ProductClass, ProductInput, SafetyAnswers

DISCUSS = "discuss with your clinician"


@dataclass(frozen=True)
class PregnancyFlag:
    key: str
    what: str  # "a topical retinoid"
    evidence: str  # what the sources say, in a sentence
    sources: tuple[str, ...]
    applies: Callable[[ProductInput], bool]

    def sentence(self, product_name: str) -> str:
        """"Retinol serum holds a topical retinoid: … — discuss with your clinician (sources: …)."."""
        return (f"{product_name} holds {self.what}: {self.evidence} In pregnancy or while breastfeeding, "
                f"{DISCUSS} before using it (sources: {', '.join(self.sources)}).")


FLAGS: tuple[PregnancyFlag, ...] = (
    PregnancyFlag(
        "retinoid", "a topical retinoid",
        "little is absorbed and studies of early-pregnancy tretinoin found no clear excess of birth defects, "
        "but oral retinoids cause them and reviews advise avoiding topical ones in pregnancy (tazarotene is "
        "contraindicated).",
        ("CHIEN_2016_JABFM", "BOZZO_2011_CFP", "MOTHERTOBABY_TRETINOIN", "HAN_2020_JCAD"),
        lambda p: ProductClass.RETINOID in p.classes,
    ),
    PregnancyFlag(
        "hydroquinone", "hydroquinone",
        "it is absorbed through the skin far more than most creams and has hardly been studied in "
        "pregnancy, so it is not recommended.",
        ("BOZZO_2011_CFP", "UKTIS_HYDROQUINONE"),
        lambda p: "hydroquinone" in p.ingredients,
    ),
    PregnancyFlag(
        "salicylic_acid", "salicylic acid",
        "washes and products up to 2% are generally considered acceptable; peels, higher strengths and "
        "large areas are not.",
        ("CHIEN_2016_JABFM", "MNT_SALICYLIC_ACOG"),
        lambda p: "salicylic_acid" in p.ingredients,
    ),
)


def applies_to(answers: SafetyAnswers) -> bool:
    """The flags matter to someone pregnant or breastfeeding."""
    return answers.pregnant or answers.breastfeeding


def flags_for(product: ProductInput) -> tuple[PregnancyFlag, ...]:
    return tuple(flag for flag in FLAGS if flag.applies(product))


def notes_for(product: ProductInput) -> tuple[str, ...]:
    """Every flag's sentence for one product (empty when none applies)."""
    return tuple(flag.sentence(product.name) for flag in flags_for(product))
