"""The columns of the participant import sheet and how a cell becomes a form value."""
from datetime import date, datetime
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from exports.reading import parse_date
from registry.beneficiaries import choices
from registry.i18n import N_

# (form field, English header, required). Headers are the machine-readable contract of the
# template; the template shows each with its Khmer translation too ("Sex / ភេទ").
COLUMNS = [
    ("code", N_("Code"), False),
    ("family_name", N_("Family name"), False),
    ("given_name", N_("Given name"), False),
    ("family_name_km", N_("Family name (Khmer)"), False),
    ("given_name_km", N_("Given name (Khmer)"), False),
    ("sex", N_("Sex"), True),
    ("date_of_birth", N_("Date of birth"), False),
    ("birth_year", N_("Birth year (estimated)"), False),
    ("phone", N_("Phone"), False),
    ("province", N_("Province"), True),
    ("district", N_("District"), False),
    ("commune", N_("Commune"), False),
    ("village", N_("Village"), False),
    ("id_document_type", N_("ID document type"), False),
    ("id_document_number", N_("ID document number"), False),
    ("category", N_("Category"), True),
    ("destination_country", N_("Country of migration"), False),
    ("sector_abroad", N_("Sector worked in abroad"), False),
    ("return_date", N_("Date of return"), False),
    ("return_mode", N_("How they returned"), False),
    ("regular_migration", N_("Regular migration"), False),
    ("disability", N_("Disability"), False),
    ("idpoor", N_("IDPoor"), False),
    ("household_size", N_("Household size"), False),
    ("education_level", N_("Education"), False),
    ("baseline_employment", N_("Employment at registration"), False),
    ("baseline_monthly_income", N_("Monthly income at registration"), False),
    ("baseline_income_currency", N_("Income currency"), False),
    ("consent_data_use", N_("Consent to data use"), False),
    ("consent_follow_up", N_("Consent to follow-up"), False),
    ("consent_photos", N_("Consent to photos"), False),
    ("consent_on", N_("Consent date"), False),
    ("registered_on", N_("Registration date"), False),
]
HEADERS = {field: header for field, header, _r in COLUMNS}
REQUIRED = [field for field, _h, required in COLUMNS if required]
DATE_FIELDS = {"date_of_birth", "return_date", "consent_on", "registered_on"}
CHOICE_FIELDS = {"sex": choices.SEX, "category": choices.CATEGORY, "id_document_type": choices.ID_DOCUMENT_TYPE,
                 "return_mode": choices.RETURN_MODE, "education_level": choices.EDUCATION_LEVEL,
                 "baseline_employment": choices.EMPLOYMENT_STATUS, "baseline_income_currency": choices.CURRENCY}
YES_NO_FIELDS = {"regular_migration", "disability", "idpoor"}
CONSENT_FIELDS = {"consent_data_use", "consent_follow_up", "consent_photos"}
YES = {"yes", "y", "true", "1", "x", "✓", "បាទ", "ចាស", "មាន", "យល់ព្រម"}
NO = {"no", "n", "false", "0", "ទេ", "គ្មាន", "អត់"}


class CellError(ValueError):
    """A cell whose value cannot be read; the message says what is expected."""


def bilingual_header(field):
    """The template's header for a field: English, then Khmer (how reports name a column)."""
    english = HEADERS.get(field, field)
    with force_locale("km"):
        khmer = _(english)
    return english if khmer == english else f"{english} / {khmer}"


def header_aliases():
    """{accepted header: field}: the English header alone, or with its Khmer translation."""
    aliases = {}
    for field in HEADERS:
        aliases[HEADERS[field]] = field
        aliases[bilingual_header(field)] = field
    return aliases


def _choice(value, mapping):
    text = str(value).strip().lower()
    for code, label in mapping.items():
        if text in (code.lower(), str(label).lower()):
            return code
        with force_locale("km"):
            if text == str(label).lower():
                return code
    raise CellError(_("Use one of: %(values)s.", values=", ".join(mapping)))


def _yes_no(value):
    text = str(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(_("Write yes or no."))


def province_code(value, provinces):
    """The province code of a cell: 2, "02", "02 Battambang" or "Battambang"; provinces is {code: names}."""
    text = str(value).strip()
    digits = text.split(" ", 1)[0]
    if digits.isdigit() and digits.zfill(2) in provinces:
        return digits.zfill(2)
    for code, names in provinces.items():
        if text.lower() in (n.lower() for n in names):
            return code
    raise CellError(_("Unknown province, or outside your provinces: write its code, e.g. 02."))


def form_value(field, value, provinces):
    """The string a form field takes for a cell's value; raise CellError when it cannot be read."""
    if field in DATE_FIELDS:
        try:
            return parse_date(value).isoformat()
        except ValueError:
            raise CellError(_("Not a date: write it as 2026-03-01 or 01/03/2026.")) from None
    if field in CHOICE_FIELDS:
        return _choice(value, CHOICE_FIELDS[field])
    if field in YES_NO_FIELDS:
        return "yes" if _yes_no(value) else "no"
    if field in CONSENT_FIELDS:
        return "y" if _yes_no(value) else ""
    if field == "province":
        return province_code(value, provinces)
    if field == "phone" and isinstance(value, (int, float)):
        # Excel turned 012 345 678 into the number 12345678: give it its leading 0 back.
        return "0" + str(int(value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel keeps whole numbers as floats: 1990.0 is 1990
    if isinstance(value, (datetime, date)):
        raise CellError(_("A date is not expected here."))
    return str(value) if not isinstance(value, Decimal) else format(value, "f")


INSTRUCTIONS = [
    _l("One row per participant. Keep the header row as it is; the order of the columns does not matter."),
    _l("Sex, Province and Category are required, and at least one name (Latin letters or Khmer)."),
    _l("Dates: 2026-03-01 or 01/03/2026 (day/month/year), or a date cell. Give a date of birth, or an estimated birth year when the date is unknown."),
    _l("Province: its two-digit code, e.g. 02 for Battambang. Use the drop-down lists where there is one."),
    _l("Yes/no columns: yes or no. Phone: 012 345 678 or +855 12 345 678."),
    _l("Leave Code empty for new participants. To correct people already registered, give their code: filled cells replace the stored values, empty cells change nothing."),
    _l("The registry first checks every row and shows what is wrong, by row and column, and the likely duplicates. Nothing is saved until you confirm."),
]
