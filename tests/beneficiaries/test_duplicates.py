"""Likely duplicates: what matches, why, and what does not."""
from datetime import date

import pytest

from registry.beneficiaries.duplicate_index import DuplicateIndex
from registry.beneficiaries.duplicates import find_duplicates
from tests.makers import BASE


def reasons_for(data):
    """{code: reasons} of the likely duplicates of data."""
    return {m.beneficiary.code: m.reasons for m in find_duplicates({**BASE, **data})}


def test_transposed_latin_names_match(app_ctx, create_beneficiary):
    create_beneficiary(given_name="Chanthy", family_name="Sok")
    assert reasons_for({"given_name": "Sok", "family_name": "Chanthy"}) == {
        "BR-000001": ["latin_exact", "birth_same_date"]}


@pytest.mark.parametrize("given, family", [("Chanthi", "Sokh"), ("CHANTHY", "sok"), ("Chan thy", "Sok"),
                                           ("Chanthy.", "Sok")])
def test_misspelt_or_differently_typed_latin_names_match(app_ctx, create_beneficiary, given, family):
    create_beneficiary(given_name="Chanthy", family_name="Sok")
    found = reasons_for({"given_name": given, "family_name": family})
    assert "BR-000001" in found
    assert found["BR-000001"][0] in ("latin_exact", "latin_similar")


def test_khmer_name_with_and_without_zero_width_spaces_match(app_ctx, create_beneficiary):
    create_beneficiary(given_name="", family_name="", family_name_km="សុខ", given_name_km="ចាន់ធី")
    found = reasons_for({"given_name": "", "family_name": "", "family_name_km": "សុខ\u200b",
                         "given_name_km": "ចាន់\u200bធី"})
    assert found == {"BR-000001": ["khmer_exact", "birth_same_date"]}


def test_khmer_name_typed_in_another_order_matches(app_ctx, create_beneficiary):
    # ស + COENG + RO + II typed as ស + II + COENG + RO: the same visible name.
    create_beneficiary(given_name="", family_name="", given_name_km="\u179f\u17d2\u179a\u17b8", family_name_km="")
    found = reasons_for({"given_name": "", "family_name": "", "given_name_km": "\u179f\u17b8\u17d2\u179a"})
    assert found["BR-000001"][0] == "khmer_exact"


@pytest.mark.parametrize("stored, typed", [("+85512345678", "+85512345678")])
def test_same_phone_matches_whatever_the_name(app_ctx, create_beneficiary, stored, typed):
    create_beneficiary(phone=stored, given_name="Dara", family_name="Chea")
    found = reasons_for({"phone": typed, "given_name": "Vuthy", "family_name": "Lim", "date_of_birth": None})
    assert found == {"BR-000001": ["phone"]}


def test_same_id_number_matches_ignoring_spaces_and_case(app_ctx, create_beneficiary):
    create_beneficiary(id_document_type="national_id", id_document_number="0102 3456 7", given_name="Dara")
    found = reasons_for({"id_document_type": "national_id", "id_document_number": "010234567",
                         "given_name": "Someone", "family_name": "Else"})
    assert found == {"BR-000001": ["id_number"]}


def test_same_name_born_far_apart_is_not_a_duplicate(app_ctx, create_beneficiary):
    create_beneficiary(date_of_birth=date(1975, 5, 1))
    assert reasons_for({"date_of_birth": date(2001, 3, 15)}) == {}


def test_close_birth_year_and_estimated_year(app_ctx, create_beneficiary):
    create_beneficiary(date_of_birth=None, birth_year=2000)
    assert reasons_for({"date_of_birth": date(2001, 3, 15)})["BR-000001"] == ["latin_exact", "birth_close_year"]
    assert reasons_for({"date_of_birth": None, "birth_year": 2000})["BR-000001"] == ["latin_exact",
                                                                                     "birth_same_year"]


def test_unknown_birth_matches_on_the_same_name_only(app_ctx, create_beneficiary):
    create_beneficiary(date_of_birth=None)
    assert reasons_for({"date_of_birth": date(1990, 1, 1)})["BR-000001"][-1] == "birth_unknown"
    assert reasons_for({"given_name": "Dara", "family_name": "Chea", "date_of_birth": None}) == {}


def test_different_people_do_not_match(app_ctx, create_beneficiary):
    create_beneficiary(given_name="Dara", family_name="Chea")
    assert reasons_for({"given_name": "Sophal", "family_name": "Lim"}) == {}


def test_merged_records_are_not_offered(app_ctx, create_beneficiary):
    from registry.beneficiaries.models import Beneficiary

    first = create_beneficiary()
    Beneficiary.update(status="merged").where(Beneficiary.id == first.id).execute()
    assert reasons_for({}) == {}


def test_the_import_index_finds_what_the_single_check_finds(app_ctx, create_beneficiary):
    create_beneficiary(given_name="Chanthy", family_name="Sok", phone="+85512345678")
    create_beneficiary(given_name="Dara", family_name="Chea", date_of_birth=None)
    index = DuplicateIndex.from_registry()
    for data in ({"given_name": "Chanthi", "family_name": "Sokh"}, {"phone": "+85512345678", "given_name": "X"},
                 {"given_name": "Dara", "family_name": "Chea", "date_of_birth": date(1999, 1, 1)},
                 {"given_name": "Nobody", "family_name": "Here"}):
        record = {**BASE, **data}
        single = {m.beneficiary.code: m.reasons for m in find_duplicates(record)}
        assert dict(index.find(record)) == single, data


def test_the_import_index_finds_rows_of_the_same_file(app_ctx):
    index = DuplicateIndex()
    index.add("row 2", DuplicateIndex.values_of(BASE))
    assert index.find({**BASE, "given_name": "Chanthi"}) == [("row 2", ["latin_similar", "birth_same_date"])]


def candidate_codes(data):
    """The codes the name look-up of the single check reads from the database for data."""
    from registry.beneficiaries.duplicates import _name_candidates, search_keys
    from registry.beneficiaries.models import Beneficiary

    return {row.code for row in _name_candidates(search_keys({**BASE, **data})).select(Beneficiary.code)}


def test_the_name_look_up_reads_only_people_who_share_a_first_sound(app_ctx, create_beneficiary):
    create_beneficiary(given_name="Chanthy", family_name="Sok")
    create_beneficiary(given_name="Dara", family_name="Chea")
    create_beneficiary(given_name="Sophal", family_name="Lim", date_of_birth=None)
    create_beneficiary(given_name="", family_name="", given_name_km="ចាន់ធី", family_name_km="សុខ")
    create_beneficiary(given_name="Chanthy", family_name="Sok", date_of_birth=date(1990, 1, 1))
    # Chanthi Sokh: the same first sounds as BR-000001 and the Khmer BR-000004; not Dara Chea, not Sophal Lim
    # (whose birth is unknown), not the Chanthy Sok born eleven years earlier.
    assert candidate_codes({"given_name": "Chanthi", "family_name": "Sokh"}) == {"BR-000001", "BR-000004"}
    assert candidate_codes({"given_name": "Sopheap", "family_name": "Ly"}) == {"BR-000003"}
    assert candidate_codes({"given_name": "Vuthy", "family_name": "Keo"}) == set()


def test_a_record_stored_without_blocks_is_still_compared(app_ctx, create_beneficiary):
    from registry.beneficiaries.models import Beneficiary

    create_beneficiary(given_name="Dara", family_name="Chea")
    Beneficiary.update(name_blocks="").execute()  # as a writer that skipped search_keys would leave it
    assert candidate_codes({"given_name": "Vuthy", "family_name": "Keo"}) == {"BR-000001"}
    assert reasons_for({"given_name": "Dara", "family_name": "Chea"}) == {"BR-000001": ["latin_exact",
                                                                                        "birth_same_date"]}


def test_like_wildcards_and_backslashes_in_names_are_plain_characters(app_ctx, create_beneficiary):
    create_beneficiary(given_name="", family_name="", given_name_km="a\\b", family_name_km="")
    create_beneficiary(given_name="", family_name="", given_name_km="axyz", family_name_km="")
    assert candidate_codes({"given_name": "", "family_name": "", "given_name_km": "a\\b"}) == {"BR-000001"}
    assert candidate_codes({"given_name": "", "family_name": "", "given_name_km": "a_yz"}) == set()
    assert candidate_codes({"given_name": "", "family_name": "", "given_name_km": "a%"}) == set()


def test_two_typos_at_the_start_of_both_names_escape_both_checks(app_ctx, create_beneficiary):
    from registry.beneficiaries.names import name_match

    create_beneficiary(given_name="Chanthy", family_name="Sophal")
    typed = {**BASE, "given_name": "Xhanthy", "family_name": "Zophal"}
    assert name_match(typed, {"given_name": "Chanthy", "family_name": "Sophal"})[1] == "latin_similar"
    assert find_duplicates(typed) == [] and DuplicateIndex.from_registry().find(typed) == []
    # One of the two spelt right at the start is enough.
    assert reasons_for({"given_name": "Xhanthy", "family_name": "Sophal"}) == {
        "BR-000001": ["latin_similar", "birth_same_date"]}
