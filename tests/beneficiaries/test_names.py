"""Participant names: storage form, duplicate-search keys, romanisation and name_match."""
import unicodedata
from pathlib import Path

import pytest

from registry.beneficiaries.names import (
    clean_name, khmer_key, khmer_to_latin, latin_key, name_match, phonetic_key,
)

ZWSP, ZWNJ, ZWJ, BOM = "\u200b", "\u200c", "\u200d", "\ufeff"
CYRILLIC_A = "\u0430"
# Khmer letters and signs by name, so that typing orders can be built explicitly.
SA, RO, MO, HA, NGO, CHA, NO, KA = "\u179f", "\u179a", "\u1798", "\u17a0", "\u1784", "\u1785", "\u1793", "\u1780"
TA, DA = "\u178f", "\u178a"
COENG, ROBAT = "\u17d2", "\u17cc"
MUUSIKATOAN, TRIISAP = "\u17c9", "\u17ca"
AA, I, II, U, E, OE, OO = "\u17b6", "\u17b7", "\u17b8", "\u17bb", "\u17c1", "\u17be", "\u17c4"
NIKAHIT = "\u17c6"


def person(given="", family="", given_km="", family_km=""):
    """A name dict as the registry passes it to name_match."""
    return {"given_name": given, "family_name": family,
            "given_name_km": given_km, "family_name_km": family_km}


# clean_name: how names are stored

@pytest.mark.parametrize("typed, stored", [
    (None, ""),
    ("", ""),
    ("  Sok   Chanthy ", "Sok Chanthy"),
    ("Sok\tChanthy\n", "Sok Chanthy"),
    ("Sok\u00a0Chanthy", "Sok Chanthy"),
    (f"Sok{ZWSP}Chanthy", "SokChanthy"),
    (f"{BOM}Sok{ZWNJ}{ZWJ}", "Sok"),
    (f"សុខ{ZWSP}ចាន់ធី", "សុខចាន់ធី"),
    ("Srey-Neang", "Srey-Neang"),
])
def test_clean_name_normalises_invisible_characters_and_spacing(typed, stored):
    assert clean_name(typed) == stored


def test_clean_name_of_decomposed_input_equals_composed():
    composed = "Nguyễn Đức"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert clean_name(decomposed) == composed


def test_clean_name_keeps_case_and_khmer_typing_order():
    typed = SA + II + COENG + RO
    assert clean_name("CHANTHY") == "CHANTHY"
    assert clean_name(typed) == typed


# latin_key: exact duplicate search on Latin names

@pytest.mark.parametrize("one, other", [
    (("Sok", "Chanthy"), ("CHANTHY", "sok")),
    (("Sok", "Chanthy"), ("Chan-thy", "Sok")),
    (("Sreyneang", "Sok"), ("Srey Neang", "Sok")),
    (("Sreyneang", "Sok"), ("Srey-Neang", "SOK")),
    (("Sreyneang", "Sok"), ("Sok", "srey.neang")),
    (("Sothea", "Chea"), (f"Sothe{CYRILLIC_A}", "Chea")),
    (("Nguyễn", "Đức"), ("Nguyen", "Duc")),
    (("Chanthy", "Sok"), ("  Chanthy ", "Sok,")),
])
def test_latin_key_ignores_case_accents_spacing_punctuation_and_order(one, other):
    assert latin_key(*one) == latin_key(*other)


def test_latin_key_is_the_sorted_fields_joined_by_one_space():
    assert latin_key("Srey Neang", "Sok") == "sok sreyneang"


@pytest.mark.parametrize("one, other", [
    (("Dara", "Sok"), ("Dara", "Chea")),
    (("Pisey", "Sok"), ("Piseth", "Sok")),
    (("Sok", "Chanthy"), ("Sokh", "Chanthy")),
])
def test_latin_key_differs_for_different_spellings(one, other):
    assert latin_key(*one) != latin_key(*other)


@pytest.mark.parametrize("given, family", [("", ""), (None, None), ("  ", "-"), ("", None)])
def test_latin_key_is_empty_without_a_name(given, family):
    assert latin_key(given, family) == ""


# phonetic_key: sound-alike spellings of Khmer names

@pytest.mark.parametrize("spellings", [
    ["Sok", "Sokh", "SOKH"],
    ["Chanthy", "Chanthi", "Chanthey"],
    ["Sreyneang", "Srey Neang", "Srei Neang", "Srey-Neang"],
    ["Sophal", "Sophall"],
    ["Vannak", "Vanak"],
    ["Dara", "Darah"],
    ["Bopha", "Bupha", "Boppha"],
    ["Chea", "Chear"],
    ["Kim", "Kym"],
    ["Rithy", "Rithi"],
    ["Sothea", f"Sothe{CYRILLIC_A}"],
    ["Leakhena", "Leakena"],
    ["Srey", "Srei"],
    ["Suon", "Soun"],
    ["Chamroeun", "Chamreun"],
    ["Chhim", "Chim"],
])
def test_phonetic_key_merges_common_variant_spellings(spellings):
    keys = {phonetic_key(spelling, "") for spelling in spellings}
    assert len(keys) == 1


@pytest.mark.parametrize("one, other", [
    ("Pisey", "Piseth"),
    ("Heng", "Heang"),
    ("Meng", "Menh"),
    ("Sophea", "Sopheap"),
    ("Sun", "Suon"),
    ("Dara", "Dany"),
    ("Chanthy", "Chantha"),
    ("Pisal", "Visal"),
])
def test_phonetic_key_keeps_different_names_apart(one, other):
    assert phonetic_key(one, "") != phonetic_key(other, "")


def test_phonetic_key_ignores_field_order():
    assert phonetic_key("Sokh", "Chanthi") == phonetic_key("Chanthy", "Sok")


def test_phonetic_key_is_empty_without_a_name():
    assert phonetic_key(None, "") == ""


# khmer_key: exact duplicate search on Khmer names

@pytest.mark.parametrize("typed", [
    f"សុខ{ZWSP}ចាន់ធី",
    "សុខ ចាន់ធី",
    "សុខចាន់ធី",
    f"{BOM}សុខ{ZWNJ}ចាន់ធី ",
])
def test_khmer_key_ignores_spaces_and_zero_width_characters(typed):
    assert khmer_key(typed, "") == khmer_key("សុខចាន់ធី", "")


@pytest.mark.parametrize("canonical, other_order", [
    # ស្រី: subscript RO typed after the vowel
    (SA + COENG + RO + II, SA + II + COENG + RO),
    # ម៉េង: register shifter typed after the vowel
    (MO + MUUSIKATOAN + E + NGO, MO + E + MUUSIKATOAN + NGO),
    # ហ៊ុន: register shifter typed after the vowel u
    (HA + TRIISAP + U + NO, HA + U + TRIISAP + NO),
    # ស្ត្រី: subscript RO goes after the other subscript
    (SA + COENG + TA + COENG + RO + II, SA + COENG + RO + COENG + TA + II),
    # robat goes right after its base
    (KA + ROBAT + AA, KA + AA + ROBAT),
    # nikahit goes after the vowel (ចាំ)
    (CHA + AA + NIKAHIT, CHA + NIKAHIT + AA),
])
def test_khmer_key_puts_signs_in_canonical_order(canonical, other_order):
    assert khmer_key(other_order, "") == khmer_key(canonical, "") == canonical


@pytest.mark.parametrize("composite, halves", [
    (OE, E + II),
    (OE, II + E),
    (OO, E + AA),
])
def test_khmer_key_composes_two_part_vowels(composite, halves):
    # ចំរើន / សោ typed with the vowel as its two visible halves
    assert khmer_key(CHA + NIKAHIT + RO + halves + NO, "") == CHA + NIKAHIT + RO + composite + NO


def test_khmer_key_treats_subscript_da_and_ta_alike():
    assert khmer_key("ចិន" + COENG + DA + AA, "") == khmer_key("ចិន" + COENG + TA + AA, "")


def test_khmer_key_ignores_field_order():
    assert khmer_key("ចាន់ធី", "សុខ") == khmer_key("សុខ", "ចាន់ធី")


def test_khmer_key_normalises_each_field():
    assert khmer_key(SA + II + COENG + RO + "នាង", "សុខ") == khmer_key("សុខ", "ស្រីនាង")


@pytest.mark.parametrize("one, other", [
    (("ដារ៉ា", "សុខ"), ("ដារ៉ា", "ជា")),
    (("ពិសី", ""), ("ពិសិដ្ឋ", "")),
    (("ហេង", ""), ("ហៀង", "")),
])
def test_khmer_key_differs_for_different_names(one, other):
    assert khmer_key(*one) != khmer_key(*other)


def test_khmer_key_is_empty_without_a_name():
    assert khmer_key(None, "") == ""
    assert khmer_key(ZWSP, " ") == ""


# khmer_to_latin: romanisation for cross-script comparison

@pytest.mark.parametrize("khmer, latin", [
    ("សុខ", "sok"),
    ("ជា", "chea"),
    ("គឹម", "kim"),
    ("ហេង", "heng"),
    ("ចាន់ធី", "chanthi"),
    ("ស្រីនាង", "sreyneang"),
    ("ដារ៉ា", "dara"),
    ("សុផល", "sophal"),
    ("វណ្ណៈ", "vannak"),
    ("ពិសី", "pisey"),
    ("ពិសិដ្ឋ", "piset"),
    ("បុប្ផា", "boppha"),
    ("ច័ន្ទ", "chan"),
    ("សុភាព", "sopheap"),
    ("ចំរើន", "chamreun"),
    ("សុខ ចាន់ធី", "sok chanthi"),
])
def test_khmer_to_latin_romanises_common_names(khmer, latin):
    assert khmer_to_latin(khmer) == latin


def test_khmer_to_latin_does_not_depend_on_typing_order():
    assert khmer_to_latin(SA + II + COENG + RO) == khmer_to_latin(SA + COENG + RO + II) == "srey"


@pytest.mark.parametrize("khmer, latin", [
    ("សុខ", "Sokh"), ("ចាន់ធី", "Chanthy"), ("ស្រីនាង", "Srey Neang"), ("រិទ្ធី", "Rithy"),
    ("បុប្ផា", "Bopha"), ("ដារ៉ា", "Darah"), ("គឹម", "Kym"), ("ចំរើន", "Chamroeun"),
])
def test_romanised_khmer_has_the_phonetic_key_of_a_common_spelling(khmer, latin):
    assert phonetic_key(khmer_to_latin(khmer), "") == phonetic_key(latin, "")


def test_khmer_to_latin_of_nothing_is_empty():
    assert khmer_to_latin(None) == khmer_to_latin("") == ""


# name_match: the evidence that two names are the same

@pytest.mark.parametrize("a, b, expected", [
    (person("Sok", "Chanthy"), person("CHANTHY", "sok"), (100, "latin_exact")),
    (person("Sreyneang", "Sok"), person("Sok", "Srey-Neang"), (100, "latin_exact")),
    (person("Sok Chanthy"), person("Chanthy", "Sok"), (100, "latin_exact")),
    (person("Sokh", "Chanthi"), person("Chanthy", "Sok"), (95, "latin_similar")),
    (person("Chamroeun", "Sok"), person("Chamroeum", "Sok"), (88, "latin_similar")),
    (person("Sophal", "Sok"), person("Sopahl", "Sok"), (83, "latin_similar")),
    (person("Leakhena", "Sok"), person("Sok", "Laekhena"), (87, "latin_similar")),
    (person(given_km=f"សុខ{ZWSP}ចាន់ធី"), person(given_km="សុខ ចាន់ធី"), (100, "khmer_exact")),
    (person(given_km="ចាន់ធី", family_km="សុខ"), person(given_km="សុខ", family_km="ចាន់ធី"),
     (100, "khmer_exact")),
    (person(given_km=SA + II + COENG + RO + "នាង"), person(given_km="ស្រីនាង"), (100, "khmer_exact")),
    (person(given_km="ចាន់ធី", family_km="សុខ"), person(given_km="ចាន់ធិ", family_km="សុខ"),
     (90, "khmer_similar")),
    (person(given_km="ចាន់ធី", family_km="សុខ"), person("Chanthy", "Sok"), (90, "cross_script")),
    (person("Chanthy", "Sok"), person(given_km="ចាន់ធី", family_km="សុខ"), (90, "cross_script")),
])
def test_name_match_gives_score_and_reason(a, b, expected):
    assert name_match(a, b) == expected


@pytest.mark.parametrize("a, b", [
    (person("Dara", "Sok"), person("Dara", "Chea")),
    (person("Pisey", "Sok"), person("Piseth", "Sok")),
    (person("Heng"), person("Heang")),
    (person("Dara", "Sok"), person("Dany", "Sok")),
    (person("Sophal", "Sok"), person("Sovann", "Sok")),
    (person("Pisal", "Sok"), person("Visal", "Sok")),
    (person("Sokh", "Chea"), person("Sokha", "Chea")),
    (person("Dara"), person("Dara", "Sok")),
    (person(given_km="ដារ៉ា", family_km="សុខ"), person(given_km="ដារ៉ា", family_km="ជា")),
    (person(given_km="ពិសី", family_km="សុខ"), person("Piseth", "Sok")),
    (person(given_km="សុខ"), person("Chea")),
])
def test_name_match_finds_nothing_for_different_names(a, b):
    assert name_match(a, b) == (0, None)


def test_one_letter_apart_in_a_long_name_looks_like_a_typo():
    # Chanthy and Chantha are different names, but no spelling rule can tell them from a
    # typo: the caller weighs the name evidence with the birth date.
    assert name_match(person("Chanthy", "Sok"), person("Chantha", "Sok")) == (85, "latin_similar")


def test_same_first_name_in_other_family_is_not_latin_exact():
    assert name_match(person("Dara", "Sok"), person("Dara", "Chea"))[1] != "latin_exact"


def test_name_match_prefers_exact_evidence_over_cross_script():
    a = person("Chanthy", "Sok", "ចាន់ធី", "សុខ")
    b = person("Chanthi", "Sokh", "ចាន់ធី", "សុខ")
    assert name_match(a, b) == (100, "khmer_exact")


@pytest.mark.parametrize("a, b", [
    ({}, {}),
    (None, person("Sok")),
    (person(), person()),
    ({"given_name": None, "family_name_km": None}, person("Sok", "Dara")),
    (person("Sok"), person(given_km="ចាន់ធី")),  # nothing comparable
])
def test_name_match_without_comparable_names_is_no_match(a, b):
    assert name_match(a, b) == (0, None)


def test_name_match_accepts_partial_dicts():
    assert name_match({"given_name": "Sok"}, {"given_name": "Sokh"}) == (95, "latin_similar")


@pytest.mark.parametrize("a, b", [
    (person("Sokh", "Chanthi"), person("Chanthy", "Sok")),
    (person(given_km="ចាន់ធី", family_km="សុខ"), person("Chanthy", "Sok")),
    (person("Sophea", "Sok"), person("Sopheap", "Sok")),
    (person("Kim", "Chea"), person("Chear", "Kym", "គឹម", "ជា")),
])
def test_name_match_is_symmetric_with_an_int_score(a, b):
    score, reason = name_match(a, b)
    assert name_match(b, a) == (score, reason)
    assert isinstance(score, int) and 0 <= score <= 100


# The measurement data (tools/name_pairs.tsv) is typed in canonical order.

def test_measurement_names_are_in_canonical_order():
    path = Path(__file__).resolve().parents[2] / "tools" / "name_pairs.tsv"
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith(("#", "kind\t"))]
    assert len(rows) >= 40
    assert all(khmer_key(khmer, "") == khmer for _, khmer, _ in rows)


def test_a_shared_khmer_family_name_is_not_the_same_name_when_latin_names_differ():
    rattanak = {"given_name": "Rattanak", "family_name": "Pich", "family_name_km": "ពេជ្រ"}
    theary = {"given_name": "Theary", "family_name": "Pich", "family_name_km": "ពេជ្រ"}
    assert name_match(rattanak, theary) == (0, None)


def test_a_typo_in_one_script_does_not_veto_the_other():
    a = {"given_name": "Chanthy", "family_name": "Sok", "given_name_km": "ចាន់ធី", "family_name_km": "សុខ"}
    b = {"given_name": "Chanthi", "family_name": "Sokh", "given_name_km": "ចាន់ធី", "family_name_km": "សុខ"}
    assert name_match(a, b)[1] == "khmer_exact"


def test_block_keys_meet_across_spellings_and_scripts():
    from registry.beneficiaries.names import block_keys

    latin = block_keys({"given_name": "Chanthy", "family_name": "Sok"})
    assert latin & block_keys({"given_name": "Chanthi", "family_name": "Sokh"})
    assert latin & block_keys({"given_name_km": "ចាន់ធី", "family_name_km": "សុខ"})
    assert not latin & block_keys({"given_name": "Vuthy", "family_name": "Lim"})
