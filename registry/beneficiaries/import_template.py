"""What the participant import template holds, in a language of the user's choice (exports builds the workbook).

The drop-downs hold labels in that language, the Instructions sheet both languages side by side (the chosen
one first); the reader takes labels in either language and the codes (import_columns).
"""
from flask_babel import force_locale
from flask_babel import gettext as _

from registry.beneficiaries.import_columns import (CHOICE_FIELDS, COLUMNS, CONSENT_FIELDS, DATE_FIELDS, INSTRUCTIONS,
                                                   LANGUAGES, YES_NO_FIELDS, bilingual_header, choice_labels)
from registry.reference.models import Province

WIDTHS = {"code": 11, "sex": 9, "province": 20, "category": 18, "phone": 16}
EXAMPLE = {"family_name": "Sok", "given_name": "Chanthy", "family_name_km": "សុខ", "given_name_km": "ចាន់ធី",
           "sex": "female", "date_of_birth": "2001-03-15", "phone": "012 345 678", "province": "02",
           "category": "returned_migrant", "destination_country": "Thailand", "consent_data_use": "yes",
           "consent_on": "2026-03-01"}


def _note(field):
    if field in DATE_FIELDS:
        return _("A date: 2026-03-01 or 01/03/2026.")
    if field in CHOICE_FIELDS or field in YES_NO_FIELDS or field in CONSENT_FIELDS:
        return _("One of: %(values)s.", values=", ".join(choice_labels(field)))
    if field == "code":
        return _("Empty for a new participant; the code of a registered one to correct it.")
    return ""


def _province_label(province):
    """A province as the drop-down offers it: its code, which the reader goes by, and its name."""
    return f"{province.code} {province.name}"


def _example(headers, provinces):
    """The example participant, its coded values shown as the drop-downs show them."""
    shown = dict(EXAMPLE)
    for field in ("sex", "category"):
        shown[field] = str(CHOICE_FIELDS[field][EXAMPLE[field]])
    shown["consent_data_use"] = choice_labels("consent_data_use")[0]
    shown["province"] = next((label for label in provinces if label.startswith("02 ")), "02")
    return _("Example: %(example)s", example="; ".join(f"{headers[f]}: {v}" for f, v in shown.items()))


def _instructions(headers, provinces):
    """The paragraphs in the current language."""
    return [str(text) for text in INSTRUCTIONS] + [_example(headers, provinces)]


def template_parts(language):
    """The keyword arguments of exports.import_template.build_import_template, for a template in `language`."""
    headers = {field: bilingual_header(field) for field, _h, _r in COLUMNS}
    other = next(code for code in LANGUAGES if code != language)
    listed = list(Province.listed())
    with force_locale(other):
        second = _instructions(headers, [_province_label(p) for p in listed])
    with force_locale(language):
        provinces = [_province_label(p) for p in listed]
        choices = {headers[f]: choice_labels(f) for f in (*CHOICE_FIELDS, *sorted(YES_NO_FIELDS | CONSENT_FIELDS))}
        choices[headers["province"]] = provinces
        return {
            "columns": [(headers[f], WIDTHS.get(f, 16), required, _note(f)) for f, _h, required in COLUMNS],
            "choices": choices,
            # The example stays here, not in row 2, where a forgotten example would be imported as a person.
            "instructions": list(zip(_instructions(headers, provinces), second)),
            "sheet_title": _("Participants"),
            "instructions_title": _("Instructions"),
            "lists_title": _("Lists"),
            "error_message": _("Choose a value from the list."),
        }
