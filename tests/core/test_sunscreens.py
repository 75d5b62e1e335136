"""UV filters make a product a sunscreen; titanium dioxide or zinc oxide far down a list (a white
pigment, a colourant) does not. Lists are written as real products print them."""

from __future__ import annotations

import pytest

from planner.core.ingredients import classify
from planner.core.model import PAUSED_CLASSES, ProductClass

P = ProductClass

SUNSCREENS = {
    "us_drug_facts_chemical": (
        "Drug Facts\nActive ingredients: Avobenzone 3%, Homosalate 10%, Octisalate 5%, Octocrylene 7%\n"
        "Purpose: Sunscreen\nInactive ingredients: Water, Styrene/Acrylates Copolymer, Silica, Glycerin, "
        "Dimethicone, Phenoxyethanol, Fragrance",
        ("Avobenzone", "Homosalate", "Octisalate", "Octocrylene"),
    ),
    "us_drug_facts_mineral": (
        "Active Ingredients: Zinc Oxide 9.0%, Titanium Dioxide 3.0%\nInactive Ingredients: Water, "
        "Caprylic/Capric Triglyceride, Cyclopentasiloxane, Glycerin, Polyglyceryl-4 Isostearate, "
        "Sodium Chloride, Phenoxyethanol, Iron Oxides",
        ("Zinc Oxide", "Titanium Dioxide"),
    ),
    "eu_tinosorb_fluid": (
        "Aqua, Alcohol Denat., Diisopropyl Sebacate, Bis-Ethylhexyloxyphenol Methoxyphenyl Triazine, "
        "Butyl Methoxydibenzoylmethane, Ethylhexyl Triazone, Methylene Bis-Benzotriazolyl "
        "Tetramethylbutylphenol [nano], Diethylamino Hydroxybenzoyl Hexyl Benzoate, Diethylhexyl "
        "Butamido Triazone, Glycerin, Tocopherol, Xanthan Gum, Parfum",
        ("Bis-Ethylhexyloxyphenol Methoxyphenyl Triazine", "Butyl Methoxydibenzoylmethane",
         "Ethylhexyl Triazone", "Methylene Bis-Benzotriazolyl Tetramethylbutylphenol [nano]",
         "Diethylamino Hydroxybenzoyl Hexyl Benzoate", "Diethylhexyl Butamido Triazone"),
    ),
    "mexoryl_cream": (
        "Aqua / Water, Homosalate, Ethylhexyl Salicylate, Octocrylene, Butyl Methoxydibenzoylmethane, "
        "Drometrizole Trisiloxane, Terephthalylidene Dicamphor Sulfonic Acid, Glycerin, Triethanolamine, "
        "Phenoxyethanol",
        ("Homosalate", "Ethylhexyl Salicylate", "Octocrylene", "Butyl Methoxydibenzoylmethane",
         "Drometrizole Trisiloxane", "Terephthalylidene Dicamphor Sulfonic Acid"),
    ),
    "older_us_formula": (
        "Active ingredients: Octinoxate 7.5%, Oxybenzone 6%, Ensulizole 2%\n"
        "Inactive ingredients: Water, Glycerin, Cetyl Alcohol, Methylparaben",
        ("Octinoxate", "Oxybenzone", "Ensulizole"),
    ),
    "eu_synonyms": (
        "Aqua, Ethylhexyl Methoxycinnamate, Benzophenone-3, Phenylbenzimidazole Sulfonic Acid, "
        "Polysilicone-15, Cetearyl Alcohol, Sodium Benzoate",
        ("Ethylhexyl Methoxycinnamate", "Benzophenone-3", "Phenylbenzimidazole Sulfonic Acid", "Polysilicone-15"),
    ),
    "mineral_day_cream_spf30": (
        "Aqua, Zinc Oxide, Caprylic/Capric Triglyceride, Titanium Dioxide (CI 77891), Glycerin, Cetearyl "
        "Alcohol, Squalane, Tocopherol, Sodium Hyaluronate, Phenoxyethanol, Xanthan Gum",
        ("Zinc Oxide", "Titanium Dioxide (CI 77891)"),
    ),
}

NOT_SUNSCREENS = {
    # titanium dioxide after the fragrance: an opacifier in a night cream
    "night_cream_colourant": (
        "Aqua, Glycerin, Caprylic/Capric Triglyceride, Cetearyl Alcohol, Niacinamide, Shea Butter, "
        "Dimethicone, Panthenol, Tocopherol, Phenoxyethanol, Parfum, Titanium Dioxide",
        "Titanium Dioxide",
    ),
    # only a colour index name in a tinted balm's colour list
    "tinted_balm_ci_names": (
        "Water, Isononyl Isononanoate, Glycerin, Squalane, Mica, Tocopherol, Xanthan Gum, "
        "CI 77891, CI 77491, CI 77492, CI 77499",
        "CI 77891",
    ),
    # zinc oxide very low in a long list, before any 1% marker
    "zinc_oxide_low": (
        "Water, Glycerin, Butylene Glycol, Squalane, Cetearyl Alcohol, Shea Butter, Dimethicone, "
        "Niacinamide, Allantoin, Panthenol, Ceramide NP, Cholesterol, Zinc Oxide, Tocopherol",
        "Zinc Oxide",
    ),
}


@pytest.mark.parametrize("name", SUNSCREENS)
def test_uv_filters_make_a_sunscreen(name: str) -> None:
    text, triggers = SUNSCREENS[name]
    result = classify(text)
    assert result.classes == {P.SUNSCREEN}
    assert result.triggers(P.SUNSCREEN) == triggers
    assert not result.classes & PAUSED_CLASSES  # salicylate filters are not a BHA


@pytest.mark.parametrize("name", NOT_SUNSCREENS)
def test_mineral_pigment_low_in_a_list_is_not_a_sunscreen(name: str) -> None:
    text, trap = NOT_SUNSCREENS[name]
    result = classify(text)
    assert result.classes == {P.GENTLE}
    why = dict(result.ignored)[trap]
    assert "not a sunscreen" in why


def test_a_printed_percentage_makes_a_low_mineral_count() -> None:
    result = classify("Water, Glycerin, Squalane, Cetearyl Alcohol, Dimethicone, Niacinamide, Panthenol, "
                      "Titanium Dioxide 5%, Phenoxyethanol")
    assert result.classes == {P.SUNSCREEN}
    assert result.triggers(P.SUNSCREEN) == ("Titanium Dioxide",)


def test_a_sunscreen_with_a_retinoid_is_both() -> None:
    result = classify("Aqua, Octocrylene, Ethylhexyl Triazone, Glycerin, Retinol, Phenoxyethanol")
    assert result.classes == {P.SUNSCREEN, P.RETINOID}
