"""Reading a cell of the import sheet: a drop-down's label in English or Khmer, or the code, in any case or spacing."""
import pytest
from flask_babel import force_locale

from registry.beneficiaries.import_columns import CellError, choice_labels, form_value, normalised

PROVINCES = {"02": ("Battambang", "បាត់ដំបង", "02 Battambang")}


@pytest.mark.parametrize("field, cell, code", [
    ("category", "returned_migrant", "returned_migrant"),
    ("category", "Returned migrant", "returned_migrant"),
    ("category", "  RETURNED   migrant ", "returned_migrant"),
    ("category", "ជនចំណាកស្រុកវិលត្រឡប់", "returned_migrant"),
    ("category", "ជនចំណាកស្រុក\u200bវិលត្រឡប់", "returned_migrant"),  # a zero-width space from a Khmer keyboard
    ("sex", "ស្រី", "female"),
    ("sex", "Other / prefer not to say", "other"),
    ("baseline_employment", "In training or education", "in_training_or_education"),
    ("baseline_employment", "in_training_or_education", "in_training_or_education"),
    ("baseline_income_currency", "រៀល (KHR)", "KHR"),
    ("baseline_income_currency", "khr", "KHR"),
])
def test_a_choice_is_read_from_either_language_or_its_code(app_ctx, field, cell, code):
    assert form_value(field, cell, PROVINCES) == code


@pytest.mark.parametrize("field, cell, value", [
    ("disability", "Yes", "yes"), ("disability", "បាទ/ចាស", "yes"), ("disability", "ទេ", "no"),
    ("idpoor", " NO ", "no"), ("consent_data_use", "បាទ/ចាស", "y"), ("consent_data_use", "No", ""),
])
def test_yes_and_no_are_read_from_the_drop_downs_of_either_language(app_ctx, field, cell, value):
    assert form_value(field, cell, PROVINCES) == value


@pytest.mark.parametrize("cell", ["02 បាត់ដំបង", "02 Battambang", "បាត់ដំបង", " battambang ", 2])
def test_a_province_is_read_by_code_or_by_name_in_either_language(app_ctx, cell):
    assert form_value("province", cell, PROVINCES) == "02"


@pytest.mark.parametrize("language, allowed", [
    ("en", "Use one of: Female, Male, Other / prefer not to say."),
    ("km", "សូមប្រើមួយក្នុងចំណោម៖ ស្រី, ប្រុស, ផ្សេងៗ / មិនចង់បញ្ជាក់។"),
])
def test_a_wrong_label_lists_the_allowed_values_in_the_users_language(app_ctx, language, allowed):
    with force_locale(language), pytest.raises(CellError) as error:
        form_value("sex", "woman", PROVINCES)
    assert str(error.value) == allowed


def test_the_drop_down_values_are_labels_in_the_current_language(app_ctx):
    with force_locale("km"):
        assert choice_labels("category")[0] == "ជនចំណាកស្រុកវិលត្រឡប់" and choice_labels("idpoor") == ["បាទ/ចាស", "ទេ"]
    with force_locale("en"):
        assert choice_labels("category")[0] == "Returned migrant" and choice_labels("idpoor") == ["Yes", "No"]


def test_normalised_text_ignores_case_spacing_and_invisible_marks():
    assert normalised("  Returned\u00a0 MIGRANT\ufeff ") == "returned migrant"
