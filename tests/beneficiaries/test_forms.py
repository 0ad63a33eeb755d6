"""The participant form's rules, shared by the page, the import and the API."""
from datetime import date, timedelta

import pytest
from werkzeug.datastructures import MultiDict

from registry.beneficiaries.forms import BeneficiaryForm
from registry.reference.models import Province

VALID = {"family_name": "Sok", "given_name": "Chanthy", "sex": "female", "province": "02", "category": "at_risk",
         "date_of_birth": "2001-03-15"}


def check(app, **changes):
    """Validate the form with VALID plus changes; return (form, errors)."""
    values = {k: v for k, v in {**VALID, **changes}.items() if v is not None}
    with app.test_request_context():
        form = BeneficiaryForm(formdata=MultiDict(values), meta={"csrf": False}, provinces=Province.listed())
        form.validate()
        return form, {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def test_a_complete_record_is_valid(app):
    form, errors = check(app)
    assert errors == {}
    data = form.record_data()
    assert data["date_of_birth"] == date(2001, 3, 15) and data["province"] == "02"
    assert data["registered_on"] == date.today()


@pytest.mark.parametrize("written", ["012 345 678", "+855 12 345 678", "012-345-678", "(012) 345678", "85512345678"])
def test_the_same_phone_written_many_ways_is_stored_alike(app, written):
    form, errors = check(app, phone=written)
    assert errors == {} and form.phone.data == "+85512345678"


@pytest.mark.parametrize("changes, field, message", [
    ({"family_name": None, "given_name": None}, "given_name", "Give a name in Latin letters or in Khmer."),
    ({"date_of_birth": (date.today() + timedelta(days=1)).isoformat()}, "date_of_birth", "cannot be in the future"),
    ({"date_of_birth": "1900-01-01"}, "date_of_birth", "more than 100 years ago"),
    ({"date_of_birth": None, "birth_year": "1890"}, "birth_year", "more than 100 years ago"),
    ({"birth_year": "1999"}, "birth_year", "either a date of birth or an estimated year"),
    ({"phone": "12345"}, "phone", "Not a phone number"),
    ({"id_document_number": "123"}, "id_document_number", "type of ID document"),
    ({"consent_data_use": "y"}, "consent_on", "date the consent was recorded"),
    ({"baseline_monthly_income": "100"}, "baseline_income_currency", "currency of the income"),
    ({"baseline_monthly_income": "-5", "baseline_income_currency": "USD"}, "baseline_monthly_income", "cannot be negative"),
    ({"sex": "unknown"}, "sex", "Not a valid choice"),
    ({"province": "99"}, "province", "Not a valid choice"),
    ({"date_of_birth": "15/03/2001"}, "date_of_birth", "Not a valid date"),
    ({"household_size": "0"}, "household_size", "between 1 and 40"),
    ({"registered_on": (date.today() + timedelta(days=3)).isoformat()}, "registered_on", "future"),
])
def test_bad_values_are_refused_next_to_their_field(app, changes, field, message):
    _form, errors = check(app, **changes)
    assert field in errors, errors
    assert message in errors[field][0]


def test_a_khmer_name_alone_is_enough(app):
    _form, errors = check(app, family_name=None, given_name=None, family_name_km="សុខ", given_name_km="ចាន់ធី")
    assert errors == {}


def test_an_estimated_birth_year_alone_is_enough(app):
    form, errors = check(app, date_of_birth=None, birth_year="1990")
    assert errors == {} and form.record_data()["birth_year"] == 1990


def test_names_are_stored_normalised(app):
    form, _errors = check(app, family_name="  Sok  ", given_name_km="ចាន់\u200bធី")
    assert form.record_data()["family_name"] == "Sok"
    assert form.record_data()["given_name_km"] == "ចាន់ធី"


def test_migration_details_are_dropped_for_people_at_risk(app):
    form, _errors = check(app, category="at_risk", destination_country="Thailand", return_mode="deported")
    data = form.record_data()
    assert data["destination_country"] == "" and data["return_mode"] is None


def test_yes_no_questions_keep_unknown(app):
    form, _errors = check(app, disability="yes", idpoor="no")
    data = form.record_data()
    assert (data["disability"], data["idpoor"], data["regular_migration"]) == (True, False, None)
