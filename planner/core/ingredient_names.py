"""The names the ingredient classifier knows, kept apart from the rules that use them.

Facts come from the shared clinical reference (``clinical_reference.toml``); each table names
the section it came from so a reviewer can check it. Names are written as INCI prints them:
the classifier compares them case-, spacing- and punctuation-blind, without parentheses, so
"Salix Alba (Willow) Bark Extract" also stands for "Salix Alba Bark Extract". Stdlib only.
"""

from __future__ import annotations

from planner.core.model import RetinoidStrength

# --- Retinoids: [ingredient_class.retinoid] strong / medium / gentle / synonyms ---------------
RETINOIDS: dict[RetinoidStrength, tuple[str, ...]] = {
    RetinoidStrength.PRESCRIPTION: (
        "Retinoic Acid", "Tretinoin", "All-trans Retinoic Acid", "Adapalene", "Tazarotene",
        "Trifarotene", "Isotretinoin",
    ),
    RetinoidStrength.RETINAL: ("Retinal", "Retinaldehyde"),
    RetinoidStrength.RETINOL: (
        "Retinol", "Hydroxypinacolone Retinoate", "HPR", "Granactive Retinoid", "Retinyl Retinoate",
    ),
    RetinoidStrength.WEAK_ESTER: (
        "Retinyl Palmitate", "Retinyl Acetate", "Retinyl Propionate", "Retinyl Linoleate",
        "Vitamin A Palmitate", "Vitamin A Acetate",
    ),
}
RETINOID_NOTES: dict[RetinoidStrength, str] = {
    RetinoidStrength.PRESCRIPTION: "Retinoid: prescription strength",
    RetinoidStrength.RETINAL: "Retinoid: retinal",
    RetinoidStrength.RETINOL: "Retinoid: retinol class",
    RetinoidStrength.WEAK_ESTER: "Retinoid: weak ester",
}

# --- AHA: [ingredient_class.aha] strong / medium / gentle / other / salts_esters_note --------
#: Counted wherever they appear: nobody adjusts pH with glycolic or mandelic acid.
AHA_ANYWHERE: dict[str, str] = {
    "Glycolic Acid": "AHA (strong)", "Sodium Glycolate": "AHA (glycolic salt)",
    "Ammonium Glycolate": "AHA (glycolic salt)", "Mandelic Acid": "AHA (gentle)",
}
#: Also common pH adjusters/buffers (FDA_AHA_QA note): counted only high in the list.
AHA_PH_ADJUSTERS: dict[str, str] = {
    "Lactic Acid": "AHA (medium)", "Citric Acid": "AHA", "Malic Acid": "AHA",
    "Tartaric Acid": "AHA", "Sodium Lactate": "AHA (lactic salt)",
    "Ammonium Lactate": "AHA (lactic salt)",
}

# --- BHA: [ingredient_class.bha] -------------------------------------------------------------
BHA: dict[str, str] = {
    "Salicylic Acid": "BHA (strong)",
    "Capryloyl Salicylic Acid": "BHA: LHA (medium)", "LHA": "BHA: LHA (medium)",
    "Lipo-Hydroxy Acid": "BHA: LHA (medium)",
    "Betaine Salicylate": "BHA (gentle)",
    "Salix Alba (Willow) Bark Extract": "BHA: willow bark (gentle)",
    "Salix Nigra (Willow) Bark Extract": "BHA: willow bark (gentle)",
    "Willow Bark Extract": "BHA: willow bark (gentle)",
    "White Willow Bark Extract": "BHA: willow bark (gentle)",
    "Black Willow Bark Extract": "BHA: willow bark (gentle)",
}

# --- PHA: [ingredient_class.pha] -------------------------------------------------------------
PHA_ANYWHERE: dict[str, str] = {"Lactobionic Acid": "PHA", "Maltobionic Acid": "PHA"}
#: Gluconolactone is also half of a common preservative blend (with sodium benzoate).
PHA_POSITIONAL: dict[str, str] = {"Gluconolactone": "PHA", "Glucono Delta Lactone": "PHA"}
PRESERVATIVE_BLEND_PARTNERS = ("Sodium Benzoate", "Calcium Gluconate", "Potassium Sorbate")

# --- Enzymes: [ingredient_class.enzyme] (fruit extracts and subtilisin only by analogy) -----
ENZYMES: dict[str, str] = {
    "Papain": "Enzyme exfoliant", "Bromelain": "Enzyme exfoliant",
    "Subtilisin": "Enzyme exfoliant", "Protease": "Enzyme exfoliant",
}
FRUIT_ENZYMES: dict[str, str] = {
    "Carica Papaya (Papaya) Fruit Extract": "Enzyme exfoliant: papaya fruit",
    "Papaya Fruit Extract": "Enzyme exfoliant: papaya fruit",
    "Ananas Sativus (Pineapple) Fruit Extract": "Enzyme exfoliant: pineapple fruit",
    "Ananas Comosus (Pineapple) Fruit Extract": "Enzyme exfoliant: pineapple fruit",
    "Pineapple Fruit Extract": "Enzyme exfoliant: pineapple fruit",
    "Cucurbita Pepo (Pumpkin) Fruit Extract": "Enzyme exfoliant: pumpkin fruit",
    "Pumpkin Fruit Extract": "Enzyme exfoliant: pumpkin fruit",
    "Pumpkin Ferment Extract": "Enzyme exfoliant: pumpkin ferment",
}
#: Words anywhere in the pasted text that say the product claims enzyme activity.
ENZYME_WORDS = ("enzyme", "enzymes", "enzymatic", "papain", "bromelain", "protease", "subtilisin")

# --- Physical exfoliants: [ingredient_class.physical_exfoliant] ------------------------------
#: Hard particles that are only ever in a product to scrub.
SCRUB_ALWAYS: dict[str, str] = {
    "Prunus Armeniaca (Apricot) Seed Powder": "Scrub: apricot kernel (harsh)",
    "Juglans Regia (Walnut) Shell Powder": "Scrub: walnut shell (harsh)",
    "Pumice": "Scrub: pumice (harsh)",
    "Argania Spinosa Shell Powder": "Scrub: argan shell (harsh)",
    "Olea Europaea (Olive) Seed Powder": "Scrub: olive stone (harsh)",
    "Vitis Vinifera (Grape) Seed Powder": "Scrub: grape seed powder",
    "Cocos Nucifera (Coconut) Shell Powder": "Scrub: coconut shell",
    "Prunus Amygdalus Dulcis (Sweet Almond) Shell Powder": "Scrub: almond shell",
}
#: Beads and crystals that are also waxes, film formers or pigment coatings (MICROBEAD_ACT).
SCRUB_BEADS: dict[str, str] = {
    "Jojoba Esters": "Scrub: jojoba beads (gentle)",
    "Hydrogenated Jojoba Oil": "Scrub: jojoba beads (gentle)",
    "Polyethylene": "Scrub: plastic microbeads",
    "Polypropylene": "Scrub: plastic microbeads",
    "Alumina": "Scrub: alumina crystals",
}
#: Powders that are usually thickeners, mattifiers or fillers ([...physical_exfoliant].uncertain).
SCRUB_FILLERS: dict[str, str] = {
    "Silica": "Scrub: silica", "Hydrated Silica": "Scrub: silica",
    "Cellulose": "Scrub: cellulose", "Microcrystalline Cellulose": "Scrub: cellulose",
    "Diatomaceous Earth": "Scrub: diatomaceous earth",
    "Zea Mays (Corn) Kernel Meal": "Scrub: corn kernel meal",
}
#: Salt and sugar: a scrub only as the base of an anhydrous scrub.
SCRUB_SALT_SUGAR: dict[str, str] = {
    "Sodium Chloride": "Scrub: salt", "Maris Sal": "Scrub: sea salt", "Sea Salt": "Scrub: sea salt",
    "Sucrose": "Scrub: sugar", "Sugar": "Scrub: sugar", "Cane Sugar": "Scrub: sugar",
    "Brown Sugar": "Scrub: sugar",
}
#: Words anywhere in the pasted text that say the product is a scrub.
SCRUB_WORDS = (
    "scrub", "scrubs", "scrubbing", "bead", "beads", "microbead", "microbeads", "granule",
    "granules", "polish", "polishing", "microdermabrasion",
)

# --- Other actives paused around procedures: [ingredient_class.other_strong_actives_...] ----
OTHER_ACTIVES: dict[str, str] = {
    "Benzoyl Peroxide": "Strong active: benzoyl peroxide",
    "Ascorbic Acid": "Strong active: L-ascorbic acid (vitamin C)",
    "Hydroquinone": "Strong active: hydroquinone",
    "Azelaic Acid": "Strong active: azelaic acid",
    "Kojic Acid": "Strong active: kojic acid (by analogy with bleaching agents)",
    "Tranexamic Acid": "Strong active: tranexamic acid (by analogy with bleaching agents)",
}

# --- Sunscreens: UV filters (EU Annex VI and US monograph names, with trade names) -------------
_UV = "UV filter: a sunscreen"
_NOT_SALICYLIC_UV = "UV filter (a salicylate ester, not a BHA): a sunscreen"
#: Organic filters: nobody adds them for anything but UV protection, so they count anywhere.
UV_FILTERS: dict[str, str] = {
    "Avobenzone": _UV, "Butyl Methoxydibenzoylmethane": _UV,
    "Octocrylene": _UV,
    "Homosalate": _NOT_SALICYLIC_UV,
    "Octisalate": _NOT_SALICYLIC_UV, "Ethylhexyl Salicylate": _NOT_SALICYLIC_UV,
    "Octinoxate": _UV, "Ethylhexyl Methoxycinnamate": _UV, "Octyl Methoxycinnamate": _UV,
    "Oxybenzone": _UV, "Benzophenone-3": _UV,
    "Sulisobenzone": _UV, "Benzophenone-4": _UV,
    "Bemotrizinol": _UV, "Bis-Ethylhexyloxyphenol Methoxyphenyl Triazine": _UV, "Tinosorb S": _UV,
    "Bisoctrizole": _UV, "Methylene Bis-Benzotriazolyl Tetramethylbutylphenol": _UV, "Tinosorb M": _UV,
    "Ethylhexyl Triazone": _UV, "Octyl Triazone": _UV, "Uvinul T 150": _UV,
    "Diethylhexyl Butamido Triazone": _UV, "Iscotrizinol": _UV, "Uvasorb HEB": _UV,
    "Drometrizole Trisiloxane": _UV, "Mexoryl XL": _UV,
    "Ecamsule": _UV, "Terephthalylidene Dicamphor Sulfonic Acid": _UV, "Mexoryl SX": _UV,
    "Diethylamino Hydroxybenzoyl Hexyl Benzoate": _UV, "Uvinul A Plus": _UV,
    "Phenylbenzimidazole Sulfonic Acid": _UV, "Ensulizole": _UV,
    "Disodium Phenyl Dibenzimidazole Tetrasulfonate": _UV, "Bisdisulizole Disodium": _UV, "Neo Heliopan AP": _UV,
    "Polysilicone-15": _UV, "Parsol SLX": _UV,
    "Isoamyl p-Methoxycinnamate": _UV, "Amiloxate": _UV,
    "4-Methylbenzylidene Camphor": _UV, "Enzacamene": _UV,
    "Methoxypropylamino Cyclohexenylidene Ethoxyethylcyanoacetate": _UV, "Mexoryl 400": _UV,
    "Tris-Biphenyl Triazine": _UV, "Tinosorb A2B": _UV,
    "Phenylene Bis-Diphenyltriazine": _UV, "TriAsorB": _UV,
    "Meradimate": _UV, "Menthyl Anthranilate": _UV,
    "Padimate O": _UV, "Ethylhexyl Dimethyl PABA": _UV,
    "Cinoxate": _UV, "Dioxybenzone": _UV, "Benzophenone-8": _UV,
}
#: Mineral filters, which are also white pigments and colourants: a sunscreen only above the 1%
#: line in the first half of the list (a filter dose is 2-25%), with a printed percentage of at
#: least 1%, or in a Drug Facts active section. Their colour index names (CI 77891, CI 77947)
#: are colourants whatever their place: NOT_COUNTED.
UV_MINERALS: dict[str, str] = {
    "Titanium Dioxide": "UV filter (mineral): a sunscreen",
    "Zinc Oxide": "UV filter (mineral): a sunscreen",
}

# --- Recognised and deliberately not counted -------------------------------------------------
_NOT_SALICYLIC = "salicylate ester used as a sunscreen filter, not a BHA"
_LACTYLATE = "emulsifier made from lactic acid, not an AHA"
_LACTATE_ESTER = "fatty ester of lactic acid (an emollient), not an AHA"
_VIT_C_DERIVATIVE = "vitamin C derivative, not L-ascorbic acid; not paused"
NOT_COUNTED: dict[str, str] = {
    # [ingredient_class.retinoid] not_retinoid_but_marketed_as_alternative
    "Bakuchiol": "not a retinoid (a plant alternative); not paused",
    # [ingredient_class.physical_exfoliant]: jojoba beads are hydrogenated wax, not the oil
    "Simmondsia Chinensis (Jojoba) Seed Oil": "jojoba oil is an oil, not exfoliating beads",
    "Jojoba Seed Oil": "jojoba oil is an oil, not exfoliating beads",
    "Jojoba Oil": "jojoba oil is an oil, not exfoliating beads",
    # salicylates that are not salicylic acid ([ingredient_class.bha]); the sunscreen ones
    # (octisalate, homosalate) are UV filters: UV_FILTERS
    "Benzyl Salicylate": "fragrance ingredient, not a BHA",
    "Methyl Salicylate": "wintergreen fragrance/flavour ester, not an exfoliating BHA",
    "Butyloctyl Salicylate": "emollient ester, not a BHA",
    "Tridecyl Salicylate": "emollient ester, not a BHA",
    "C12-15 Alkyl Salicylate": "emollient ester, not a BHA",
    "Sodium Salicylate": "salicylate salt used as a preservative, not a BHA",
    # lactic-acid lookalikes ([ingredient_class.aha])
    "Sodium Lauroyl Lactylate": _LACTYLATE, "Sodium Stearoyl Lactylate": _LACTYLATE,
    "Calcium Stearoyl Lactylate": _LACTYLATE, "Sodium Isostearoyl Lactylate": _LACTYLATE,
    "Lauryl Lactate": _LACTATE_ESTER, "Cetyl Lactate": _LACTATE_ESTER,
    "Myristyl Lactate": _LACTATE_ESTER, "C12-13 Alkyl Lactate": _LACTATE_ESTER,
    "C12-15 Alkyl Lactate": _LACTATE_ESTER, "Menthyl Lactate": "cooling agent, not an AHA",
    "Sodium Citrate": "citrate buffer salt, not an exfoliant",
    "Potassium Citrate": "citrate buffer salt, not an exfoliant",
    # [ingredient_class.other_strong_actives_paused_post_procedure] notes: derivatives
    "Sodium Ascorbyl Phosphate": _VIT_C_DERIVATIVE, "Magnesium Ascorbyl Phosphate": _VIT_C_DERIVATIVE,
    "Ascorbyl Glucoside": _VIT_C_DERIVATIVE, "Tetrahexyldecyl Ascorbate": _VIT_C_DERIVATIVE,
    "Ascorbyl Tetraisopalmitate": _VIT_C_DERIVATIVE, "Ascorbyl Palmitate": _VIT_C_DERIVATIVE,
    "3-O-Ethyl Ascorbic Acid": _VIT_C_DERIVATIVE, "Ethyl Ascorbic Acid": _VIT_C_DERIVATIVE,
    "Sodium Ascorbate": _VIT_C_DERIVATIVE, "Aminopropyl Ascorbyl Phosphate": _VIT_C_DERIVATIVE,
    "Potassium Azeloyl Diglycinate": "azelaic acid derivative, not azelaic acid; not paused",
    "Kojic Dipalmitate": "kojic acid ester, not kojic acid; not paused",
    "Alpha-Arbutin": "hydroquinone glycoside, not hydroquinone; not paused",
    "Arbutin": "hydroquinone glycoside, not hydroquinone; not paused",
    # mineral filters named as colourants
    "CI 77891": "titanium dioxide as a colourant (colour index name), not a sunscreen",
    "CI 77947": "zinc oxide as a colourant (colour index name), not a sunscreen",
    # lookalikes of other abbreviations
    "BHA": "BHA on a label is butylated hydroxyanisole (an antioxidant), not salicylic acid",
}
#: Names starting with these words are recognised traps.
NOT_COUNTED_PREFIXES: dict[str, str] = {
    "Lactobacillus": "probiotic ferment, not lactic acid",
}

# --- Position clues ---------------------------------------------------------------------------
#: Ingredients used at or below 1%: preservatives the EU caps at <=1% (Reg. 1223/2009 Annex V),
#: chelators, gums, fragrance and its declared allergens. Anything listed after the first of
#: these is itself at or below 1%, so an acid there is a pH adjuster, not an exfoliant.
ONE_PERCENT_MARKERS = (
    "Phenoxyethanol", "Ethylhexylglycerin", "Chlorphenesin", "Benzyl Alcohol", "Sodium Benzoate",
    "Potassium Sorbate", "Sorbic Acid", "Dehydroacetic Acid", "Sodium Dehydroacetate",
    "Methylparaben", "Propylparaben", "Ethylparaben", "Butylparaben", "Methylisothiazolinone",
    "Methylchloroisothiazolinone", "DMDM Hydantoin", "Disodium EDTA", "Tetrasodium EDTA",
    "Edetate Disodium", "Trisodium Ethylenediamine Disuccinate", "Sodium Phytate", "Phytic Acid",
    "Xanthan Gum", "Carbomer", "Carbomer 940", "BHT", "Butylated Hydroxytoluene",
    "Fragrance", "Parfum", "Fragrance (Parfum)", "Aroma", "Limonene", "Linalool", "Citronellol",
    "Geraniol", "Citral", "Eugenol", "Coumarin", "Hexyl Cinnamal", "Benzyl Benzoate",
)
#: Surfactants that make a list a rinse-off cleanser (where jojoba esters and plastics are beads).
RINSE_OFF_SURFACTANTS = (
    "Sodium Laureth Sulfate", "Sodium Lauryl Sulfate", "Ammonium Lauryl Sulfate",
    "Ammonium Laureth Sulfate", "Sodium Myreth Sulfate", "Cocamidopropyl Betaine", "Coco-Betaine",
    "Lauramidopropyl Betaine", "Sodium Cocoyl Isethionate", "Sodium Lauroyl Methyl Isethionate",
    "Sodium Lauroyl Sarcosinate", "Sodium Cocoyl Glycinate", "Potassium Cocoyl Glycinate",
    "Sodium Cocoyl Glutamate", "Sodium Lauroyl Glutamate", "Disodium Cocoyl Glutamate",
    "Sodium Methyl Cocoyl Taurate", "Sodium C14-16 Olefin Sulfonate", "Decyl Glucoside",
    "Coco-Glucoside", "Lauryl Glucoside", "Sodium Cocoamphoacetate", "Disodium Cocoamphodiacetate",
    "Sodium Lauroamphoacetate", "Disodium Laureth Sulfosuccinate", "Sodium Lauryl Sulfoacetate",
    "Potassium Cocoate", "Sodium Cocoate",
)
#: Tokens that make an ingredient water or a floral water.
WATER_WORDS = ("water", "aqua", "eau")

# --- Exosomes and peptides: [exosome.*], [exosome.peptide_alternatives] ----------------------
#: Substrings of a squashed (lowercase, letters and digits only) name.
EXOSOME_MARKERS = (
    "exosome", "extracellularvesicle", "conditionedmedia", "conditionedmedium", "secretome",
)
PEPTIDE_MARKERS = ("peptide", "ghkcu", "matrixyl", "argireline")
# [exosome.sources_of_exosomes]: human / animal / plant (microbial has no ExosomeSource member)
EXOSOME_HUMAN_WORDS = ("human", "homo")
EXOSOME_ANIMAL_WORDS = (
    "bovine", "bos", "milk", "colostrum", "deer", "cervus", "salmon", "salmo", "porcine", "pig",
    "equine", "horse", "sheep", "ovine", "goat", "caprine", "donkey", "camel", "egg",
)
EXOSOME_PLANT_WORDS = (
    "plant", "plants", "phyto", "botanical", "callus", "leaf", "flower", "fruit", "root", "seed",
    "petal", "rosa", "rose", "centella", "panax", "ginseng", "camellia", "aloe", "citrus",
    "malus", "apple", "vitis", "grape", "nelumbo", "lotus", "portulaca", "glycine", "soybean",
    "lilium", "dendrobium", "opuntia", "leontopodium", "zingiber", "ginger", "houttuynia",
    "artemisia", "hibiscus", "chrysanthemum", "lavandula", "helianthus", "morus", "pueraria",
    "orchid", "tomato", "solanum", "broccoli", "brassica", "chlorella",
)
#: Checked after the animal words, so "red deer umbilical cord" stays animal.
EXOSOME_HUMAN_TISSUE_WORDS = (
    "adipose", "adipocyte", "umbilical", "placenta", "placental", "mesenchymal", "fibroblast",
    "keratinocyte", "amniotic", "marrow", "cord",
)

# --- Spelling ---------------------------------------------------------------------------------
#: British → US spellings, word by word.
SPELLING: dict[str, str] = {
    "glycollic": "glycolic", "sulphate": "sulfate", "sulphates": "sulfates", "sulphur": "sulfur",
    "sulphonate": "sulfonate", "sulphosuccinate": "sulfosuccinate", "hydrolysed": "hydrolyzed",
    "aluminium": "aluminum", "stabilised": "stabilized", "colour": "color", "flavour": "flavor",
    "micronised": "micronized", "ionised": "ionized", "deionised": "deionized",
}
#: Marketing words in front of a name ("Encapsulated Retinol").
LEADING_QUALIFIERS = (
    "encapsulated", "microencapsulated", "pure", "stabilized", "liposomal", "organic", "certified",
    "natural", "l", "d", "dl",
)
#: Pharmacopoeia suffixes ("Tretinoin USP").
TRAILING_QUALIFIERS = ("usp", "bp", "nf", "ep", "ph", "eur", "jp")
