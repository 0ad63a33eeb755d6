"""What the participant import template holds, in the user's language (exports builds the workbook)."""
from flask_babel import gettext as _

from registry.beneficiaries.import_columns import (CHOICE_FIELDS, COLUMNS, CONSENT_FIELDS, DATE_FIELDS, INSTRUCTIONS,
                                                   YES_NO_FIELDS, bilingual_header)
from registry.reference.models import Province

WIDTHS = {"code": 11, "sex": 9, "province": 20, "category": 18, "phone": 16}


def _note(field):
    if field in DATE_FIELDS:
        return _("A date: 2026-03-01 or 01/03/2026.")
    if field in CHOICE_FIELDS:
        return _("One of: %(values)s.", values=", ".join(CHOICE_FIELDS[field]))
    if field in YES_NO_FIELDS or field in CONSENT_FIELDS:
        return _("yes or no")
    if field == "code":
        return _("Empty for a new participant; the code of a registered one to correct it.")
    return ""


def template_parts():
    """The keyword arguments of exports.import_template.build_import_template."""
    headers = {field: bilingual_header(field) for field, _h, _r in COLUMNS}
    choices = {headers[f]: list(CHOICE_FIELDS[f]) for f in CHOICE_FIELDS}
    choices[headers["province"]] = [f"{p.code} {p.name_en}" for p in Province.listed()]
    for field in YES_NO_FIELDS | CONSENT_FIELDS:
        choices[headers[field]] = ["yes", "no"]
    example = {"family_name": "Sok", "given_name": "Chanthy", "family_name_km": "សុខ", "given_name_km": "ចាន់ធី",
               "sex": "female", "date_of_birth": "2001-03-15", "phone": "012 345 678", "province": "02 Battambang",
               "category": "returned_migrant", "destination_country": "Thailand", "consent_data_use": "yes",
               "consent_on": "2026-03-01"}
    return {
        "columns": [(headers[f], WIDTHS.get(f, 16), required, _note(f)) for f, _h, required in COLUMNS],
        "choices": choices,
        # The example stays here, not in row 2, where a forgotten example would be imported as a person.
        "instructions": [str(text) for text in INSTRUCTIONS] + [
            _("Example: %(example)s", example="; ".join(f"{headers[f]}: {v}" for f, v in example.items()))],
        "sheet_title": _("Participants"),
        "instructions_title": _("Instructions"),
        "lists_title": _("Lists"),
        "error_message": _("Choose a value from the list."),
    }
