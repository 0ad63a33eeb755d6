"""The participant pages (register, edit) under hostile input: saved as typed, or refused next to the field.

Properties, over the test client signed in as an officer: the answer is a redirect with the record
saved (names NFC, no zero-width characters, single spaces; numbers and dates as sent) or the form
again with an error next to a field that was sent (or one that depends on it), and nothing written.
Never a 5xx.

Inputs tried per run: 40 (register, any field) + 30 (register, the text fields) + 30 (edit) = 100 generated,
and 8 inputs that once failed or sit on a limit.
"""
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.audit.models import AuditEvent
from registry.beneficiaries.models import Beneficiary
from tests.bad_input.conftest import counts
from tests.bad_input.pages import error_messages, explained, invalid_fields, refused_before_the_form
from tests.bad_input.strategies import answered, budget, has_control, hostile_text, hostile_value, stored_name

CENT = Decimal("0.01")  # incomes are kept to the cent, halves rounded away from zero as PostgreSQL does
GOOD = {"family_name": "Sok", "given_name": "Dara", "sex": "female", "date_of_birth": "2001-03-15", "province": "02",
        "category": "returned_migrant", "destination_country": "Thailand", "consent_data_use": "y",
        "consent_on": "2026-03-01", "registered_on": "2026-03-01"}
FIELDS = ["given_name", "family_name", "given_name_km", "family_name_km", "sex", "date_of_birth", "birth_year",
          "phone", "province", "district", "commune", "village", "id_document_type", "id_document_number",
          "category", "destination_country", "sector_abroad", "return_date", "return_mode", "regular_migration",
          "disability", "idpoor", "household_size", "education_level", "baseline_employment",
          "baseline_monthly_income", "baseline_income_currency", "consent_data_use", "consent_follow_up",
          "consent_photos", "consent_on", "registered_on"]
TEXT_FIELDS = ["given_name", "family_name", "given_name_km", "family_name_km", "district", "commune", "village",
               "destination_country", "sector_abroad"]
# A field may be marked wrong because of another one: the rule across fields names it.
DEPENDS = {"given_name": {"family_name", "given_name_km", "family_name_km"},
           "consent_on": {"consent_data_use", "consent_follow_up", "consent_photos"},
           "birth_year": {"date_of_birth"}, "id_document_number": {"id_document_type"},
           "baseline_income_currency": {"baseline_monthly_income"}}
TABLES = (Beneficiary, AuditEvent)
# Inputs that once failed on PostgreSQL, or were stored otherwise on SQLite (control characters, 12.345).
FOUND = [{"given_name": "a" * 100, "family_name": "b" * 100},  # search key of 201 characters
         {"given_name_km": "ក" * 100, "family_name_km": "ខ" * 100},
         {"family_name_km": "ខ\u200b" * 60},  # 120 typed, 60 kept: the limit is on what is kept
         {"given_name": "\ufdfa" * 20},  # folds to 300 letters
         {"baseline_monthly_income": "1e-20000", "baseline_income_currency": "USD"},  # numeric overflow
         {"baseline_monthly_income": "12.345", "baseline_income_currency": "USD"},  # 12.345 kept on SQLite
         {"given_name": "Chan\x00thy"}, {"village": "\x1b[31m"}]


def mutations(fields):
    """One to four fields of the form, each with a hostile value."""
    return st.dictionaries(st.sampled_from(fields), hostile_value() if fields is FIELDS else hostile_text(),
                           min_size=1, max_size=4)


def check_stored(record, sent):
    """The record holds what was sent, as the form stores it."""
    kept_migration = record.category == "returned_migrant"
    for name, value in sent.items():
        stored = getattr(record, name + "_id" if name == "province" else name)
        if not value.strip():
            continue  # a blank (a registration date blank is today)
        if name in TEXT_FIELDS and (kept_migration or name not in ("destination_country", "sector_abroad")):
            assert stored == stored_name(value), name
        elif name in ("date_of_birth", "return_date", "consent_on", "registered_on") and stored is not None:
            assert stored == datetime.strptime(value, "%Y-%m-%d").date(), name
        elif name in ("birth_year", "household_size") and stored is not None:
            assert stored == int(value), name
        elif name == "baseline_monthly_income" and stored is not None:
            assert Decimal(stored) == Decimal(value).quantize(CENT, ROUND_HALF_UP), name
    for name in TEXT_FIELDS + ["phone", "id_document_number"]:
        assert not has_control(getattr(record, name)), name


def check_refused(response, sent, before, tables=TABLES):
    """The form is shown again with an error next to a field that was sent, and nothing was written."""
    page = response.get_data(as_text=True)
    marked = invalid_fields(page)
    assert marked and error_messages(page), "the form came back without saying what is wrong"
    assert explained(marked, sent, DEPENDS), (marked, sorted(sent))
    assert counts(*tables) == before


def register(signed_in_officer, tried, sent):
    """Post the register form with some fields changed: saved as sent, or refused naming a field."""
    tried()
    before = counts(*TABLES)
    response = signed_in_officer.post("/beneficiaries/new", data={**GOOD, **sent, "allow_duplicate": "1"})
    answered(response)
    if refused_before_the_form(response, sent):
        assert counts(*TABLES) == before
        return False
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        check_refused(response, sent, before)
        return False
    assert counts(Beneficiary)["beneficiary"] == before["beneficiary"] + 1
    check_stored(Beneficiary.select().order_by(Beneficiary.id.desc()).get(), sent)
    return True


@budget(40)
@given(sent=mutations(FIELDS))
def test_register_saves_or_names_the_field(signed_in_officer, tried, sent):
    register(signed_in_officer, tried, sent)


@budget(30)
@given(sent=mutations(TEXT_FIELDS))
def test_names_in_khmer_long_or_with_controls_are_stored_clean_or_refused(signed_in_officer, tried, sent):
    if not register(signed_in_officer, tried, sent):
        assert any(len(stored_name(v)) > 60 or has_control(stored_name(v)) or not stored_name(v)
                   for v in sent.values()), "a name that fits was refused"


@pytest.mark.parametrize("sent", FOUND)
def test_inputs_that_once_failed_are_saved_or_refused(signed_in_officer, tried, sent):
    register(signed_in_officer, tried, sent)


@pytest.fixture
def person(create_beneficiary):
    """The code of a returned migrant that every example edits (the database outlives examples)."""
    return create_beneficiary(category="returned_migrant").code


@budget(30)
@given(sent=mutations(FIELDS))
def test_edit_saves_or_names_the_field_and_keeps_the_record(signed_in_officer, person, tried, sent):
    tried()
    stored = Beneficiary.select().where(Beneficiary.code == person).dicts().get()
    before = counts(*TABLES)
    response = signed_in_officer.post(f"/beneficiaries/{person}/edit", data={**GOOD, **sent})
    answered(response)
    if response.status_code == 302:
        assert counts(Beneficiary)["beneficiary"] == before["beneficiary"]
        check_stored(Beneficiary.get(Beneficiary.code == person), sent)
        return
    if not refused_before_the_form(response, sent):
        assert response.status_code == 200, response.status_code
        check_refused(response, sent, before)
    assert counts(*TABLES) == before
    assert Beneficiary.select().where(Beneficiary.code == person).dicts().get() == stored


@pytest.mark.parametrize("path", ["/beneficiaries/?page=%C2%B2", "/beneficiaries/?page=99999999999999999999",
                                  "/beneficiaries/?page=" + "9" * 5000, "/follow-ups/?page=99999999999999999999"])
def test_a_page_number_no_list_has_is_not_a_500(signed_in_officer, path):
    """The list's first page: "²" passes str.isdigit() but not int(), 10**20 overflows the OFFSET."""
    assert signed_in_officer.get(path).status_code == 200
