"""The classifier finds what the plan must pause, in lists written as real products print them,
and recognises the traps (pH adjusters, jojoba oil, sunscreen salicylates, vitamin C derivatives).
UV filters make a sunscreen: test_sunscreens.py."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core import ingredient_names
from planner.core.inci import split_inci
from planner.core.ingredients import classify
from planner.core.model import ExosomeSource, ProductClass, RetinoidStrength

P = ProductClass
GENTLE = frozenset({P.GENTLE})


def exosome_notes(text: str) -> list[str]:
    """What the classification says about each exosome ingredient's source, in list order."""
    return [m.note for m in classify(text).matches if m.product_class is P.EXOSOME]


@dataclass(frozen=True)
class Product:
    """A full ingredient list and what the classifier must make of it."""

    text: str
    triggers: dict[ProductClass, tuple[str, ...]]  # every class found → the ingredients behind it
    strength: RetinoidStrength | None = None
    ignored: frozenset[str] = field(default_factory=frozenset)  # names reported as not counted
    source: ExosomeSource | None = None


PRODUCTS: dict[str, Product] = {
    "adapalene_gel_drug_facts": Product(
        """Drug Facts
Active ingredient                         Purpose
Adapalene 0.1% (retinoid)..................Acne treatment
Uses  • for the treatment of acne
Warnings
For external use only
When using this product • skin irritation may occur • avoid contact with eyes
Directions • apply a thin layer once daily after washing
Inactive ingredients carbomer 940, edetate disodium, methylparaben, poloxamer 182, propylene glycol,
purified water, sodium hydroxide (may contain hydrochloric acid and/or sodium hydroxide to adjust pH)""",
        {P.RETINOID: ("Adapalene",)}, RetinoidStrength.PRESCRIPTION,
    ),
    "tretinoin_cream": Product(
        "Active ingredient: Tretinoin 0.05%. Inactive ingredients: Purified Water, Stearic Acid, "
        "Isopropyl Myristate, Polyoxyl 40 Stearate, Stearyl Alcohol, Xanthan Gum, Sorbic Acid, "
        "Butylated Hydroxytoluene.",
        {P.RETINOID: ("Tretinoin",)}, RetinoidStrength.PRESCRIPTION,
    ),
    "retinal_emulsion": Product(
        "Aqua (Water), Caprylic/Capric Triglyceride, Glycerin, Squalane, Cetearyl Isononanoate, "
        "Butylene Glycol, Cetearyl Alcohol, Polysorbate 20, Ceteareth-20, Hydrogenated Polyisobutene, "
        "Retinal, Tocopherol, Sodium Acrylates Copolymer, Lecithin, Xanthan Gum, Ethylhexylglycerin, "
        "Phenoxyethanol",
        {P.RETINOID: ("Retinal",)}, RetinoidStrength.RETINAL,
    ),
    "retinaldehyde_cream": Product(
        "AQUA/WATER, CAPRYLIC/CAPRIC TRIGLYCERIDE, GLYCERIN, CETEARYL ALCOHOL, PEG-100 STEARATE, "
        "RETINALDEHYDE, TOCOPHERYL GLUCOSIDE, CARBOMER, SODIUM HYDROXIDE, PHENOXYETHANOL.",
        {P.RETINOID: ("RETINALDEHYDE",)}, RetinoidStrength.RETINAL,
    ),
    "retinol_in_squalane": Product(
        "Squalane, Caprylic/Capric Triglyceride, Simmondsia Chinensis (Jojoba) Seed Oil, "
        "Solanum Lycopersicum (Tomato) Fruit Extract, Retinol, Rosmarinus Officinalis (Rosemary) "
        "Leaf Extract, BHT.",
        {P.RETINOID: ("Retinol",)}, RetinoidStrength.RETINOL,
        ignored=frozenset({"Simmondsia Chinensis (Jojoba) Seed Oil"}),
    ),
    "granactive_retinoid_emulsion": Product(
        "Aqua (Water), Dimethyl Isosorbide, Squalane, Glycerin, Cetyl Ethylhexanoate, Isodecyl "
        "Neopentanoate, Polysorbate 20, Hydroxypinacolone Retinoate, Sorbitan Laurate, Hydrogenated "
        "Polyisobutene, Ceteareth-20, Tocopherol, Sodium Hydroxide, Acrylates/C10-30 Alkyl Acrylate "
        "Crosspolymer, Xanthan Gum, Phenoxyethanol, Chlorphenesin",
        {P.RETINOID: ("Hydroxypinacolone Retinoate",)}, RetinoidStrength.RETINOL,
    ),
    "retinyl_palmitate_moisturizer": Product(
        "Water, Glycerin, Isohexadecane, Niacinamide, Isopropyl Isostearate, Panthenol, "
        "Polyacrylamide, Tocopheryl Acetate, Retinyl Palmitate, Ascorbyl Palmitate, Dimethicone, "
        "Cetyl Alcohol, C13-14 Isoparaffin, Laureth-7, Benzyl Alcohol, Methylparaben, "
        "Propylparaben, Disodium EDTA",
        {P.RETINOID: ("Retinyl Palmitate",)}, RetinoidStrength.WEAK_ESTER,
        ignored=frozenset({"Ascorbyl Palmitate"}),
    ),
    "bakuchiol_serum": Product(
        "Squalane, Caprylic/Capric Triglyceride, Bakuchiol, Helianthus Annuus (Sunflower) Seed Oil, "
        "Tocopherol, Rosmarinus Officinalis (Rosemary) Leaf Extract",
        {}, ignored=frozenset({"Bakuchiol"}),
    ),
    "glycolic_toner": Product(
        "Aqua (Water), Glycolic Acid, Rosa Damascena Flower Water, Centaurea Cyanus Flower Water, "
        "Aloe Barbadensis Leaf Water, Propanediol, Glycerin, Triethanolamine, Aminomethyl Propanol, "
        "Panax Ginseng Root Extract, Tasmannia Lanceolata Fruit/Leaf Extract, Polysorbate 20, "
        "Ethylhexylglycerin, 1,2-Hexanediol, Caprylyl Glycol",
        {P.AHA: ("Glycolic Acid",)},
    ),
    "lactic_acid_10_serum": Product(
        "Aqua (Water), Lactic Acid, Glycerin, Pentylene Glycol, Sodium Hydroxide, Sodium Hyaluronate "
        "Crosspolymer, Tasmannia Lanceolata Fruit/Leaf Extract, Acacia Senegal Gum, Xanthan Gum, "
        "Isoceteth-20, Trisodium Ethylenediamine Disuccinate, Ethylhexylglycerin, 1,2-Hexanediol, "
        "Caprylyl Glycol",
        {P.AHA: ("Lactic Acid",)},
    ),
    "mandelic_acid_10": Product(
        "Aqua (Water), Mandelic Acid, Propanediol, Dimethyl Isosorbide, Sodium Hydroxide, Tasmannia "
        "Lanceolata Fruit/Leaf Extract, Hydroxyethylcellulose, Trisodium Ethylenediamine Disuccinate, "
        "Ethylhexylglycerin, Phenoxyethanol",
        {P.AHA: ("Mandelic Acid",)},
    ),
    "lactic_acid_body_lotion": Product(
        "Water, Lactic Acid, Ammonium Hydroxide, Light Mineral Oil, Glyceryl Stearate, PEG-100 "
        "Stearate, Propylene Glycol, Polyoxyl 40 Stearate, Glycerin, Magnesium Aluminum Silicate, "
        "Laureth-4, Cetyl Alcohol, Methylcellulose, Methylparaben, Propylparaben",
        {P.AHA: ("Lactic Acid",)},
    ),
    "moisturizer_citric_ph_adjuster": Product(
        "Water, Glycerin, Caprylic/Capric Triglyceride, Cetearyl Alcohol, Niacinamide, Butyrospermum "
        "Parkii (Shea) Butter, Dimethicone, Panthenol, Glyceryl Stearate, PEG-100 Stearate, "
        "Tocopherol, Sodium Hyaluronate, Carbomer, Phenoxyethanol, Ethylhexylglycerin, Sodium "
        "Hydroxide, Citric Acid, Sodium Citrate.",
        {}, ignored=frozenset({"Citric Acid", "Sodium Citrate"}),
    ),
    "hydrating_cleanser_lactylate": Product(
        "Aqua/Water, Glycerin, Cetearyl Alcohol, PEG-40 Stearate, Stearyl Alcohol, Potassium "
        "Phosphate, Ceramide NP, Ceramide AP, Ceramide EOP, Carbomer, Glyceryl Stearate, "
        "Behentrimonium Methosulfate, Sodium Lauroyl Lactylate, Sodium Hyaluronate, Cholesterol, "
        "Phenoxyethanol, Disodium EDTA, Dipotassium Phosphate, Phytosphingosine, Xanthan Gum, "
        "Ethylhexylglycerin",
        {}, ignored=frozenset({"Sodium Lauroyl Lactylate"}),
    ),
    "bha_liquid": Product(
        "Water (Aqua), Methylpropanediol, Butylene Glycol, Salicylic Acid, Polysorbate 20, Camellia "
        "Oleifera Leaf Extract, Sodium Hydroxide, Tetrasodium EDTA.",
        {P.BHA: ("Salicylic Acid",)},
    ),
    "willow_bark_toner": Product(
        "Aqua, Hamamelis Virginiana (Witch Hazel) Extract, Glycerin, Salix Alba (Willow) Bark "
        "Extract, Aloe Barbadensis Leaf Juice, Rosa Centifolia Flower Water, Citric Acid, Sodium "
        "Benzoate, Potassium Sorbate",
        {P.BHA: ("Salix Alba (Willow) Bark Extract",)}, ignored=frozenset({"Citric Acid"}),
    ),
    "lha_cleanser": Product(
        "Aqua / Water, Sodium Laureth Sulfate, Coco-Betaine, Glycerin, PEG-8, Zinc PCA, Sodium "
        "Chloride, Capryloyl Salicylic Acid, Sodium Hydroxide, Citric Acid, Polyquaternium-10, "
        "Sodium Benzoate, Parfum / Fragrance",
        {P.BHA: ("Capryloyl Salicylic Acid",)}, ignored=frozenset({"Sodium Chloride", "Citric Acid"}),
    ),
    "pha_toner": Product(
        "Aqua (Water), Gluconolactone, Propanediol, Lactobionic Acid, Glycerin, Sodium Hydroxide, "
        "Panthenol, Allantoin, Sodium Hyaluronate, Phenoxyethanol, Ethylhexylglycerin",
        {P.PHA: ("Gluconolactone", "Lactobionic Acid")},
    ),
    "papain_enzyme_powder_wash": Product(
        "Zea Mays (Corn) Starch, Sodium Cocoyl Glutamate, Oryza Sativa (Rice) Starch, Papain, "
        "Disodium Cocoyl Glutamate, Carica Papaya (Papaya) Fruit Extract, Glycerin, Hydrolyzed Rice "
        "Bran Protein, Silica, Fragrance",
        {P.ENZYME: ("Papain", "Carica Papaya (Papaya) Fruit Extract")}, ignored=frozenset({"Silica"}),
    ),
    "pumpkin_enzyme_mask": Product(
        "Cucurbita Pepo (Pumpkin) Fruit Extract, Water, Glycolic Acid, Kaolin, Butylene Glycol, "
        "Cetearyl Alcohol, Glyceryl Stearate, Xanthan Gum, Phenoxyethanol, Fragrance",
        {P.ENZYME: ("Cucurbita Pepo (Pumpkin) Fruit Extract",), P.AHA: ("Glycolic Acid",)},
    ),
    "day_cream_with_trace_papaya": Product(
        "Water, Glycerin, Caprylic/Capric Triglyceride, Cetearyl Alcohol, Dimethicone, Glyceryl "
        "Stearate, Tocopheryl Acetate, Carica Papaya (Papaya) Fruit Extract, Ananas Sativus "
        "(Pineapple) Fruit Extract, Phenoxyethanol, Ethylhexylglycerin",
        {}, ignored=frozenset({"Carica Papaya (Papaya) Fruit Extract", "Ananas Sativus (Pineapple) Fruit Extract"}),
    ),
    "walnut_apricot_scrub": Product(
        "Water, Juglans Regia (Walnut) Shell Powder, Glyceryl Stearate, Propylene Glycol Stearate, "
        "Propylene Glycol, Cetyl Alcohol, Zea Mays (Corn) Kernel Meal, Polysorbate 60, Sodium Laureth "
        "Sulfate, Cetearyl Alcohol, Prunus Armeniaca (Apricot) Fruit Extract, Sodium Lauryl "
        "Sulfoacetate, Fragrance, Methylparaben, Propylparaben, Disodium EDTA, Potassium Hydroxide, "
        "CI 15985, CI 19140",
        {P.PHYSICAL_EXFOLIANT: ("Juglans Regia (Walnut) Shell Powder", "Zea Mays (Corn) Kernel Meal")},
    ),
    "apricot_blemish_scrub": Product(
        "Active ingredient: Salicylic Acid 2%\n"
        "Inactive ingredients: Water, Prunus Armeniaca (Apricot) Seed Powder, Glyceryl Stearate, "
        "Hydrated Silica, Sodium Laureth Sulfate, Cetyl Alcohol, Glycerin, Polysorbate 60, Fragrance, "
        "Methylparaben, Disodium EDTA",
        {P.BHA: ("Salicylic Acid",),
         P.PHYSICAL_EXFOLIANT: ("Prunus Armeniaca (Apricot) Seed Powder", "Hydrated Silica")},
    ),
    "jojoba_bead_cleanser": Product(
        "Water, Sodium Laureth Sulphate, Cocamidopropyl Betaine, Glycerin, Jojoba Esters, Acrylates "
        "Copolymer, Sodium Chloride, Glycol Distearate, PEG-120 Methyl Glucose Dioleate, "
        "Phenoxyethanol, Fragrance, Disodium EDTA, Sodium Hydroxide, CI 16035",
        {P.PHYSICAL_EXFOLIANT: ("Jojoba Esters",)}, ignored=frozenset({"Sodium Chloride"}),
    ),
    "microbead_face_wash": Product(
        "Water, Sodium Laureth Sulfate, Polyethylene, Cocamidopropyl Betaine, Glycerin, Acrylates "
        "Copolymer, Sodium Hydroxide, Fragrance, DMDM Hydantoin, CI 42090",
        {P.PHYSICAL_EXFOLIANT: ("Polyethylene",)},
    ),
    "cleansing_balm_waxes": Product(
        "Caprylic/Capric Triglyceride, PEG-20 Glyceryl Triisostearate, Polyethylene, Hydrogenated "
        "Jojoba Oil, Simmondsia Chinensis (Jojoba) Seed Oil, Tocopherol",
        {}, ignored=frozenset({"Polyethylene", "Hydrogenated Jojoba Oil", "Simmondsia Chinensis (Jojoba) Seed Oil"}),
    ),
    "jojoba_facial_oil": Product(
        "Simmondsia Chinensis (Jojoba) Seed Oil, Rosa Canina Fruit Oil, Squalane, Tocopherol, "
        "Lavandula Angustifolia (Lavender) Oil, Linalool",
        {}, ignored=frozenset({"Simmondsia Chinensis (Jojoba) Seed Oil"}),
    ),
    "sugar_lip_and_face_scrub": Product(
        "Sucrose, Butyrospermum Parkii (Shea) Butter, Prunus Amygdalus Dulcis (Sweet Almond) Oil, "
        "Cocos Nucifera (Coconut) Oil, Tocopherol, Parfum",
        {P.PHYSICAL_EXFOLIANT: ("Sucrose",)},
    ),
    "sea_salt_body_scrub": Product(
        "Maris Sal (Sea Salt), Helianthus Annuus (Sunflower) Seed Oil, Cocos Nucifera (Coconut) Oil, "
        "Tocopherol, Citrus Aurantium Dulcis (Orange) Peel Oil, Limonene",
        {P.PHYSICAL_EXFOLIANT: ("Maris Sal (Sea Salt)",)},
    ),
    "benzoyl_peroxide_wash": Product(
        "Active ingredient: Benzoyl Peroxide 10%\n"
        "Inactive ingredients: Water, Sodium Cocoyl Isethionate, Glycerin, Sodium Methyl Cocoyl "
        "Taurate, Cocamidopropyl Betaine, Carbomer, Sodium Hydroxide, Disodium EDTA, Xanthan Gum",
        {P.OTHER_ACTIVE: ("Benzoyl Peroxide",)},
    ),
    "vitamin_c_ferulic_serum": Product(
        "Aqua/Water/Eau, Ethoxydiglycol, Ascorbic Acid, Glycerin, Propylene Glycol, Laureth-23, "
        "Phenoxyethanol, Tocopherol, Triethanolamine, Ferulic Acid, Panthenol, Sodium Hyaluronate",
        {P.OTHER_ACTIVE: ("Ascorbic Acid",)},
    ),
    "l_ascorbic_15_serum": Product(
        "Water, L-Ascorbic Acid, Propylene Glycol, Glycerin, Tocopherol, Sodium Hyaluronate, "
        "Hydroxyethylcellulose, Phenoxyethanol",
        {P.OTHER_ACTIVE: ("L-Ascorbic Acid",)},
    ),
    "vitamin_c_derivative_serum": Product(
        "Water, Propanediol, Sodium Ascorbyl Phosphate, 3-O-Ethyl Ascorbic Acid, Ascorbyl Glucoside, "
        "Glycerin, Tetrahexyldecyl Ascorbate, Sodium Hyaluronate, Hydroxyethylcellulose, "
        "Phenoxyethanol, Ethylhexylglycerin",
        {}, ignored=frozenset({"Sodium Ascorbyl Phosphate", "3-O-Ethyl Ascorbic Acid",
                               "Ascorbyl Glucoside", "Tetrahexyldecyl Ascorbate"}),
    ),
    "azelaic_acid_suspension": Product(
        "Aqua (Water), Isodecyl Neopentanoate, Dimethicone, Azelaic Acid, Dimethyl Isosorbide, "
        "Polysilicone-11, Isohexadecane, Tocopherol, Hydroxyethyl Acrylate/Sodium Acryloyldimethyl "
        "Taurate Copolymer, Polysorbate 60, Trideceth-6, Chlorphenesin, Phenoxyethanol",
        {P.OTHER_ACTIVE: ("Azelaic Acid",)},
    ),
    "hydroquinone_cream": Product(
        "Active ingredient: Hydroquinone 4%. Inactive ingredients: Purified Water, Cetyl Alcohol, "
        "Glyceryl Stearate, Stearyl Alcohol, Propylene Glycol, Polyoxyl 40 Stearate, Sodium "
        "Metabisulfite, Methylparaben, Propylparaben, Citric Acid.",
        {P.OTHER_ACTIVE: ("Hydroquinone",)}, ignored=frozenset({"Citric Acid"}),
    ),
    "tranexamic_brightening_serum": Product(
        "Water, Niacinamide, Tranexamic Acid, Alpha-Arbutin, Kojic Acid, Propanediol, Glycerin, "
        "Sodium Hyaluronate, Xanthan Gum, Phenoxyethanol, Ethylhexylglycerin",
        {P.OTHER_ACTIVE: ("Tranexamic Acid", "Kojic Acid")}, ignored=frozenset({"Alpha-Arbutin"}),
    ),
    "human_adipose_exosome_serum": Product(
        "Water, Human Adipocyte Conditioned Media Extract, Glycerin, Butylene Glycol, Sodium "
        "Hyaluronate, Niacinamide, Palmitoyl Tripeptide-1, Acetyl Hexapeptide-8, Panthenol, "
        "Allantoin, Phenoxyethanol, Ethylhexylglycerin",
        {P.EXOSOME: ("Human Adipocyte Conditioned Media Extract",),
         P.PEPTIDE: ("Palmitoyl Tripeptide-1", "Acetyl Hexapeptide-8")},
        source=ExosomeSource.HUMAN,
    ),
    "umbilical_cord_exosome_ampoule": Product(
        "Aqua, Human Umbilical Cord Mesenchymal Stem Cell Conditioned Media, Butylene Glycol, "
        "1,2-Hexanediol, Sodium Hyaluronate, Adenosine, Sh-Oligopeptide-1, Ethylhexylglycerin",
        {P.EXOSOME: ("Human Umbilical Cord Mesenchymal Stem Cell Conditioned Media",),
         P.PEPTIDE: ("Sh-Oligopeptide-1",)},
        source=ExosomeSource.HUMAN,
    ),
    "rose_callus_exosome_serum": Product(
        "Water, Butylene Glycol, Glycerin, Rosa Damascena Callus Exosomes, Niacinamide, "
        "1,2-Hexanediol, Centella Asiatica Extract, Sodium Hyaluronate, Adenosine, Ethylhexylglycerin",
        {P.EXOSOME: ("Rosa Damascena Callus Exosomes",)},
        source=ExosomeSource.PLANT,
    ),
    "bovine_colostrum_exosome_cream": Product(
        "Water, Glycerin, Bovine Colostrum Exosome, Propanediol, Caprylic/Capric Triglyceride, "
        "Cetearyl Olivate, Sorbitan Olivate, Ceramide NP, Carbomer, Arginine, Phenoxyethanol",
        {P.EXOSOME: ("Bovine Colostrum Exosome",)},
        source=ExosomeSource.ANIMAL,
    ),
    "red_deer_conditioned_media_serum": Product(
        "Water, Red Deer Umbilical Cord Stem Cell Conditioned Media, Glycerin, Dipropylene Glycol, "
        "Copper Tripeptide-1, Xanthan Gum, Ethylhexylglycerin",
        {P.EXOSOME: ("Red Deer Umbilical Cord Stem Cell Conditioned Media",),
         P.PEPTIDE: ("Copper Tripeptide-1",)},
        source=ExosomeSource.ANIMAL,
    ),
    "lactobacillus_exosome_toner": Product(
        "Water, Lactobacillus Ferment Lysate Exosome, Lactobacillus Ferment, Glycerin, Betaine, "
        "Panthenol, 1,2-Hexanediol",
        {P.EXOSOME: ("Lactobacillus Ferment Lysate Exosome",)},
        ignored=frozenset({"Lactobacillus Ferment"}),
        source=ExosomeSource.UNKNOWN,
    ),
    "copper_peptide_serum": Product(
        "Aqua (Water), Glycerin, Copper Tripeptide-1, Acetyl Hexapeptide-8, Palmitoyl Tripeptide-1, "
        "Palmitoyl Tetrapeptide-7, Sodium Hyaluronate, Lactococcus Ferment Lysate, Pentylene Glycol, "
        "Phenoxyethanol, Chlorphenesin",
        {P.PEPTIDE: ("Copper Tripeptide-1", "Acetyl Hexapeptide-8", "Palmitoyl Tripeptide-1",
                     "Palmitoyl Tetrapeptide-7")},
    ),
    "plain_moisturizer": Product(
        "Purified Water, Petrolatum, Sorbitol, Cetearyl Alcohol, Propylene Glycol, Ceteareth-20, "
        "Simethicone, Glyceryl Stearate, PEG-30 Stearate, Sorbic Acid, BHT",
        {},
    ),
    "sunscreen_salicylate_filters": Product(
        "Active ingredients: Avobenzone 3%, Homosalate 10%, Octisalate 5%, Octocrylene 10%\n"
        "Inactive ingredients: Water, Silica, Dimethicone, Styrene/Acrylates Copolymer, Butyloctyl "
        "Salicylate, Glycerin, Caprylyl Methicone, Ethylhexylglycerin, Tocopherol, Phenoxyethanol, "
        "Disodium EDTA",
        {P.SUNSCREEN: ("Avobenzone", "Homosalate", "Octisalate", "Octocrylene")},
        ignored=frozenset({"Butyloctyl Salicylate", "Silica"}),
    ),
    "eu_mineral_hybrid_sunscreen": Product(
        "Aqua, Ethylhexyl Salicylate, Homosalate, Zinc Oxide, Titanium Dioxide [nano], Alumina, "
        "Stearic Acid, Glycerin, Polyhydroxystearic Acid, Tocopherol, Phenoxyethanol, Xanthan Gum",
        {P.SUNSCREEN: ("Ethylhexyl Salicylate", "Homosalate", "Zinc Oxide", "Titanium Dioxide [nano]")},
        ignored=frozenset({"Alumina"}),
    ),
    "hyaluronic_serum": Product(
        "Aqua (Water), Sodium Hyaluronate, Pentylene Glycol, Propanediol, Sodium Hyaluronate "
        "Crosspolymer, Panthenol, Ahnfeltia Concinna Extract, Glycerin, Trisodium Ethylenediamine "
        "Disuccinate, Citric Acid, Isoceteth-20, Ethoxydiglycol, Ethylhexylglycerin, Hexylene Glycol, "
        "1,2-Hexanediol, Phenoxyethanol, Caprylyl Glycol",
        {}, ignored=frozenset({"Citric Acid"}),
    ),
    "gluconolactone_preserved_cream": Product(
        "Aqua, Glycerin, Cetearyl Alcohol, Caprylic/Capric Triglyceride, Glyceryl Stearate Citrate, "
        "Squalane, Gluconolactone, Sodium Benzoate, Xanthan Gum, Tocopherol, Calcium Gluconate",
        {}, ignored=frozenset({"Gluconolactone"}),
    ),
    "retinol_salicylic_acne_serum": Product(
        "Water, Propanediol, Niacinamide, Salicylic Acid, Glycerin, Retinol, Polysorbate 20, "
        "Zinc PCA, Sodium Hydroxide, Carbomer, Phenoxyethanol",
        {P.RETINOID: ("Retinol",), P.BHA: ("Salicylic Acid",)}, RetinoidStrength.RETINOL,
    ),
    "multi_acid_peel": Product(
        "Aqua, Glycolic Acid, Lactic Acid, Citric Acid, Salicylic Acid, Propanediol, Sodium "
        "Hydroxide, Glycerin, Aloe Barbadensis Leaf Juice, Allantoin, Phenoxyethanol, "
        "Ethylhexylglycerin",
        {P.AHA: ("Glycolic Acid", "Lactic Acid", "Citric Acid"), P.BHA: ("Salicylic Acid",)},
    ),
}


@pytest.mark.parametrize("name", PRODUCTS)
def test_real_products(name: str) -> None:
    product = PRODUCTS[name]
    result = classify(product.text)
    assert result.classes == (frozenset(product.triggers) or GENTLE)
    for product_class, triggers in product.triggers.items():
        assert result.triggers(product_class) == triggers
    assert result.retinoid_strength is product.strength
    assert {ingredient for ingredient, _ in result.ignored} == product.ignored
    if product.source is not None:
        assert exosome_notes(product.text) == [f"Exosome ({product.source.value} source)"]


def test_positions_are_one_based_across_drug_facts_sections() -> None:
    text = PRODUCTS["benzoyl_peroxide_wash"].text
    names = split_inci(text)
    assert names[:3] == ["Benzoyl Peroxide", "Water", "Sodium Cocoyl Isethionate"]
    for match in classify(text).matches:
        assert names[match.position - 1] == match.ingredient


def test_notes_say_why() -> None:
    matches = classify(PRODUCTS["adapalene_gel_drug_facts"].text).matches
    assert matches[0].note == "Retinoid: prescription strength"
    ignored = dict(classify(PRODUCTS["moisturizer_citric_ph_adjuster"].text).ignored)
    assert "pH adjuster" in ignored["Citric Acid"] and "after Carbomer" in ignored["Citric Acid"]
    assert "not a retinoid" in dict(classify(PRODUCTS["bakuchiol_serum"].text).ignored)["Bakuchiol"]
    assert "preservative" in dict(classify(PRODUCTS["gluconolactone_preserved_cream"].text).ignored)["Gluconolactone"]
    assert "analogy" in classify("Tranexamic Acid").matches[0].note


# --------------------------------------------------------------------------
# Names, synonyms and traps
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "product_class"),
    [
        ("GLYCOLIC ACID", P.AHA), ("glycolic-acid", P.AHA), ("Glycollic Acid", P.AHA),
        ("Sodium Glycolate", P.AHA), ("Ammonium Glycolate", P.AHA), ("mandelic acid", P.AHA),
        ("Salicylic Acid (BHA)", P.BHA), ("Salix Alba Bark Extract", P.BHA),
        ("Salix Alba (Willow) Bark Extract", P.BHA), ("Salix Nigra (Willow) Bark Extract", P.BHA),
        ("Willow Bark Extract", P.BHA), ("Betaine Salicylate", P.BHA), ("LHA", P.BHA),
        ("capryloyl  salicylic   acid", P.BHA),
        ("Gluconolactone", P.PHA), ("Lactobionic Acid", P.PHA), ("Maltobionic Acid", P.PHA),
        ("Papain", P.ENZYME), ("Bromelain", P.ENZYME), ("Subtilisin", P.ENZYME),
        ("Pumice", P.PHYSICAL_EXFOLIANT), ("Argania Spinosa Shell Powder", P.PHYSICAL_EXFOLIANT),
        ("Olea Europaea (Olive) Seed Powder", P.PHYSICAL_EXFOLIANT),
        ("Prunus Armeniaca Seed Powder", P.PHYSICAL_EXFOLIANT),
        ("Benzoyl Peroxide USP", P.OTHER_ACTIVE), ("L-Ascorbic Acid", P.OTHER_ACTIVE),
        ("l ascorbic acid", P.OTHER_ACTIVE), ("Vitamin C (Ascorbic Acid)", P.OTHER_ACTIVE),
        ("Hydroquinone", P.OTHER_ACTIVE), ("Azelaic Acid", P.OTHER_ACTIVE), ("Kojic Acid", P.OTHER_ACTIVE),
        ("GHK-Cu", P.PEPTIDE), ("Palmitoyl Pentapeptide-4", P.PEPTIDE), ("Matrixyl 3000", P.PEPTIDE),
        ("Dipeptide Diaminobutyroyl Benzylamide Diacetate", P.PEPTIDE),
        ("Extracellular Vesicles", P.EXOSOME), ("Stem Cell Conditioned Medium", P.EXOSOME),
        ("Milk Exosomes", P.EXOSOME),
    ],
)
def test_synonyms_and_spellings(name: str, product_class: ProductClass) -> None:
    assert classify(name).classes == {product_class}


@pytest.mark.parametrize(
    ("name", "strength"),
    [(name, strength) for strength, names in ingredient_names.RETINOIDS.items() for name in names]
    + [("all-trans-retinoic acid", RetinoidStrength.PRESCRIPTION), ("ADAPALENE 0.3%", RetinoidStrength.PRESCRIPTION),
       ("Retinol (Vitamin A)", RetinoidStrength.RETINOL), ("Encapsulated Retinol", RetinoidStrength.RETINOL),
       ("retinaldehyde", RetinoidStrength.RETINAL), ("Retinyl Palmitate (Vitamin A)", RetinoidStrength.WEAK_ESTER)],
)
def test_every_retinoid_name_has_its_strength(name: str, strength: RetinoidStrength) -> None:
    result = classify(name)
    assert result.classes == {P.RETINOID}
    assert result.retinoid_strength is strength


def test_strongest_retinoid_wins() -> None:
    result = classify("Water, Retinyl Palmitate, Retinol, Retinal, Glycerin")
    assert result.retinoid_strength is RetinoidStrength.RETINAL
    assert result.triggers(P.RETINOID) == ("Retinyl Palmitate", "Retinol", "Retinal")


@pytest.mark.parametrize(
    "name",
    [
        "Benzyl Salicylate", "Methyl Salicylate",
        "Sodium Salicylate", "Ascorbyl Palmitate", "Sodium Ascorbyl Phosphate", "Magnesium Ascorbyl Phosphate",
        "Tetrahexyldecyl Ascorbate", "Ethyl Ascorbic Acid", "Sodium Lauroyl Lactylate",
        "Sodium Stearoyl Lactylate", "Lauryl Lactate", "Cetyl Lactate", "Lactobacillus Ferment",
        "Lactobacillus/Soybean Ferment Extract", "Bakuchiol", "Simmondsia Chinensis (Jojoba) Seed Oil",
        "Jojoba Oil", "Sodium Citrate", "BHA", "Potassium Azeloyl Diglycinate", "Alpha-Arbutin",
    ],
)
def test_traps_are_recognised_and_not_counted(name: str) -> None:
    result = classify(name)
    assert result.classes == GENTLE
    assert result.matches == ()
    assert [ingredient for ingredient, _ in result.ignored] == [name]


@pytest.mark.parametrize(
    "name",
    ["Hyaluronic Acid", "Ferulic Acid", "Lactose", "Polylactic Acid", "Retinoid Complex", "Vitamin A",
     "Hydroxyethylcellulose", "Cellulose Gum", "Silica Dimethyl Silylate", "Acetylsalicylic Acid Free Base",
     "Saccharide Isomerate", "Malus Domestica Fruit Cell Culture Extract",
     "Saccharum Officinarum (Sugar) Extract", "Citrus Limon (Lemon) Fruit Extract"],
)
def test_lookalikes_are_plain_ingredients(name: str) -> None:
    assert classify(name) == classify("Water") == classify(name.upper())
    assert classify(name).classes == GENTLE


def test_percentage_printed_next_to_a_ph_adjuster_makes_it_count() -> None:
    text = "Water, Butylene Glycol, Glycerin, Propanediol, Panthenol, Allantoin, Citric Acid 5%, Phenoxyethanol"
    assert classify(text).triggers(P.AHA) == ("Citric Acid",)
    assert classify(text.replace(" 5%", "")).classes == GENTLE


def test_slashed_marker_sets_the_one_percent_line() -> None:
    text = "Aqua/Water/Eau, Glycerin, Citric Acid, Parfum/Fragrance, Glycolic Acid, Sodium Citrate, Mica"
    ignored = dict(classify(text).ignored)
    assert classify(text).triggers(P.AHA) == ("Citric Acid", "Glycolic Acid")
    assert set(ignored) == {"Sodium Citrate"}
    text = "Aqua/Water/Eau, Glycerin, Dimethicone, Cetyl Alcohol, Parfum/Fragrance, Citric Acid, Mica"
    assert "after Parfum/Fragrance" in dict(classify(text).ignored)["Citric Acid"]


def test_citric_acid_high_in_a_list_is_an_exfoliant() -> None:
    assert classify("Aqua, Citric Acid, Glycerin, Xanthan Gum, Phenoxyethanol").triggers(P.AHA) == ("Citric Acid",)
    assert classify("Water, Lactic Acid").classes == {P.AHA}


def test_glycolic_acid_counts_even_low_in_the_list() -> None:
    text = "Water, Glycerin, Dimethicone, Cetyl Alcohol, Phenoxyethanol, Fragrance, Glycolic Acid"
    assert classify(text).triggers(P.AHA) == ("Glycolic Acid",)


def test_fruit_enzyme_counts_when_an_enzyme_is_named() -> None:
    text = ("Enzyme exfoliating cleanser. Ingredients: Water, Glycerin, Cocamidopropyl Betaine, Decyl "
            "Glucoside, Panthenol, Ananas Sativus (Pineapple) Fruit Extract, Phenoxyethanol")
    result = classify(text)
    assert result.triggers(P.ENZYME) == ("Ananas Sativus (Pineapple) Fruit Extract",)
    assert split_inci(text)[0] == "Water"


def test_scrub_wording_turns_fillers_into_scrubs() -> None:
    base = "Water, Hydrated Silica, Glycerin, Cetearyl Alcohol, Kaolin, Panthenol, Xanthan Gum, Phenoxyethanol"
    assert classify(base).classes == GENTLE
    scrub = classify("Gentle polishing scrub. Ingredients: " + base)
    assert scrub.triggers(P.PHYSICAL_EXFOLIANT) == ("Hydrated Silica",)
    assert classify("Water, Glycerin, Jojoba Esters (beads), Phenoxyethanol").classes == {P.PHYSICAL_EXFOLIANT}


def test_salt_after_water_is_not_a_scrub() -> None:
    assert classify("Water, Sodium Chloride, Glycerin").classes == GENTLE
    assert classify("Sodium Chloride, Glycerin, Water").classes == {P.PHYSICAL_EXFOLIANT}


def test_exosome_and_peptide_in_one_name() -> None:
    result = classify("Water, Exosome Peptide Complex")
    assert result.classes == {P.EXOSOME, P.PEPTIDE}


@pytest.mark.parametrize(
    ("text", "sources"),
    [
        ("Human Adipocyte Conditioned Media Extract", (ExosomeSource.HUMAN,)),
        ("Adipose-Derived Stem Cell Exosomes", (ExosomeSource.HUMAN,)),
        ("Placenta Conditioned Media", (ExosomeSource.HUMAN,)),
        ("Bovine Milk Exosomes", (ExosomeSource.ANIMAL,)),
        ("Colostrum Exosome", (ExosomeSource.ANIMAL,)),
        ("Salmon Egg Exosome", (ExosomeSource.ANIMAL,)),
        ("Red Deer Umbilical Cord Conditioned Media", (ExosomeSource.ANIMAL,)),
        ("Rosa Damascena Callus Exosomes", (ExosomeSource.PLANT,)),
        ("Centella Asiatica Leaf Exosome", (ExosomeSource.PLANT,)),
        ("Nelumbo Nucifera (Lotus) Exosomes", (ExosomeSource.PLANT,)),
        ("Plant-Derived Exosomes", (ExosomeSource.PLANT,)),
        ("Lactobacillus Ferment Lysate Exosome", (ExosomeSource.UNKNOWN,)),
        ("Stem Cell Conditioned Media", (ExosomeSource.UNKNOWN,)),
        ("Water, Glycerin", ()),
        ("Rosa Damascena Callus Exosomes, Human Adipocyte Conditioned Media Extract", (ExosomeSource.PLANT, ExosomeSource.HUMAN)),
        ("Rosa Damascena Callus Exosomes, Bovine Colostrum Exosome", (ExosomeSource.PLANT, ExosomeSource.ANIMAL)),
    ],
)
def test_each_exosome_ingredient_names_its_source(text: str, sources: tuple[ExosomeSource, ...]) -> None:
    assert exosome_notes(text) == [f"Exosome ({source.value} source)" for source in sources]


# --------------------------------------------------------------------------
# Splitting
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("  \n\t ", []),
        ("Ingredients: Water, Glycerin.", ["Water", "Glycerin"]),
        ("INGREDIENTS: AQUA, GLYCERIN, RETINOL", ["AQUA", "GLYCERIN", "RETINOL"]),
        ("Our best-selling night cream. Ingredients: Water, Retinol.", ["Water", "Retinol"]),
        ("Water, Retinol\nDirections: apply at night, avoid eyes.", ["Water", "Retinol"]),
        ("Water, Retinol.\nWarnings: avoid scrubs.\nContains: Silica", ["Water", "Retinol", "Silica"]),
        ("Active ingredients: Salicylic Acid 2%\nInactive ingredients: Water, Glycerin",
         ["Salicylic Acid", "Water", "Glycerin"]),
        ("• Water\n• Glycerin\n- Niacinamide\n* Retinol", ["Water", "Glycerin", "Niacinamide", "Retinol"]),
        ("Water • Glycerin · Niacinamide | Squalane; Retinol",
         ["Water", "Glycerin", "Niacinamide", "Squalane", "Retinol"]),
        ("1. Water\n2. Glycerin\r\n3. Retinol", ["Water", "Glycerin", "Retinol"]),
        ("Dimethyl Isosorbide (and) Hydroxypinacolone Retinoate",
         ["Dimethyl Isosorbide", "Hydroxypinacolone Retinoate"]),
        ("Water, 1,2-Hexanediol, Retinol 0,3%", ["Water", "1,2-Hexanediol", "Retinol"]),
        ("10% Niacinamide, Salicylic Acid (2%), Retinol 0.5 % w/w", ["Niacinamide", "Salicylic Acid", "Retinol"]),
        ("Aqua (Water, Eau), Glycerin", ["Aqua (Water, Eau)", "Glycerin"]),
        ("Water, Talc. May contain: CI 77491, CI 77492, Mica", ["Water", "Talc"]),
        ("Water, Mica [+/- CI 77491, CI 77891]", ["Water", "Mica"]),
        ("Aloe Barbadensis Leaf Juice*, Glycerin**, and water.",
         ["Aloe Barbadensis Leaf Juice", "Glycerin", "water"]),
        ("Titanium Dioxide [nano], Zinc Oxide", ["Titanium Dioxide [nano]", "Zinc Oxide"]),
        ("Salix Alba (Willow) Bark Extract", ["Salix Alba (Willow) Bark Extract"]),
        ("Key ingredients: Retinol, Peptides", ["Retinol", "Peptides"]),
        ("Key ingredients: Retinol. Ingredients: Water, Retinol", ["Water", "Retinol"]),
        ("Contains: Tretinoin 0.025%", ["Tretinoin"]),
    ],
)
def test_split_inci(text: str, expected: list[str]) -> None:
    assert split_inci(text) == expected


def test_split_inci_survives_an_unclosed_parenthesis() -> None:
    names = split_inci("Water, Glycerin (vegetable, Retinol, Squalane")
    assert len(names) == 4
    assert names[-2:] == ["Retinol", "Squalane"]


def test_split_inci_drops_drug_facts_sections() -> None:
    names = split_inci(PRODUCTS["adapalene_gel_drug_facts"].text)
    assert names == ["Adapalene", "carbomer 940", "edetate disodium", "methylparaben", "poloxamer 182",
                     "propylene glycol", "purified water", "sodium hydroxide"]


# --------------------------------------------------------------------------
# Properties and size
# --------------------------------------------------------------------------

INCI_NAMES = [name.strip() for product in PRODUCTS.values() for name in split_inci(product.text)]


def _check_invariants(text: str) -> None:
    result = classify(text)
    assert result == classify(text)
    assert result.classes
    assert P.GENTLE not in result.classes or result.classes == GENTLE
    assert result.classes == (frozenset(m.product_class for m in result.matches) or GENTLE)
    assert (result.retinoid_strength is not None) == (P.RETINOID in result.classes)
    names = split_inci(text)
    for match in result.matches:
        assert names[match.position - 1] == match.ingredient


@settings(deadline=None, max_examples=300)
@given(st.text())
def test_classify_never_raises_and_is_deterministic(text: str) -> None:
    _check_invariants(text)


@settings(deadline=None, max_examples=200)
@given(st.lists(st.sampled_from(INCI_NAMES)), st.sampled_from([", ", "\n", "; ", " • "]))
def test_any_mix_of_real_names_classifies_consistently(names: list[str], separator: str) -> None:
    text = separator.join(names)
    _check_invariants(text)
    assert len(split_inci(text)) == len(names)


def test_200_kb_input() -> None:
    block = PRODUCTS["moisturizer_citric_ph_adjuster"].text.rstrip(".") + ", "
    text = block * (200_000 // len(block)) + "Retinol"
    assert len(text) >= 190_000
    result = classify(text)
    assert result.triggers(P.RETINOID) == ("Retinol",)
    assert result.matches[0].position == len(split_inci(text))


@pytest.mark.parametrize("junk", ["." * 200_000, "9" * 200_000, "(" * 200_000, "a " * 100_000, "%,%" * 70_000])
def test_200_kb_of_junk(junk: str) -> None:
    assert classify(junk).classes == GENTLE
