"""The columns of the participant import sheet and how a cell becomes a form value."""
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

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
# The drop-downs' yes and no, read back in either language ("Yes" / "បាទ/ចាស").
YES_LABEL, NO_LABEL = _l("Yes"), _l("No")
LANGUAGES = ("en", "km")
# Characters a Khmer keyboard or a copy from a document leaves between words, invisible in a cell.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


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


def normalised(value):
    """A cell's text as the reader compares it: NFC, no invisible marks, single spaces, any case."""
    text = unicodedata.normalize("NFC", str(value)).translate(INVISIBLE)
    return " ".join(text.split()).casefold()


def choice_labels(field):
    """The drop-down values of a choice or yes/no column, in the current language."""
    if field in CHOICE_FIELDS:
        return [str(label) for label in CHOICE_FIELDS[field].values()]
    return [str(YES_LABEL), str(NO_LABEL)]


@lru_cache(maxsize=None)
def _accepted(field):
    """{normalised text: code} of a choice column: each code, and its label in every language."""
    mapping = CHOICE_FIELDS[field]
    accepted = {}
    for language in LANGUAGES:
        with force_locale(language):
            accepted.update((normalised(label), code) for code, label in mapping.items())
    accepted.update((normalised(code), code) for code in mapping)
    return accepted


@lru_cache(maxsize=None)
def _yes_no_words():
    """The words read as yes and as no: the usual ones, and the drop-downs' labels in every language."""
    yes, no = set(YES), set(NO)
    for language in LANGUAGES:
        with force_locale(language):
            yes.add(normalised(YES_LABEL))
            no.add(normalised(NO_LABEL))
    return frozenset(yes), frozenset(no)


def _choice(field, value):
    code = _accepted(field).get(normalised(value))
    if code is None:
        raise CellError(_("Use one of: %(values)s.", values=", ".join(choice_labels(field))))
    return code


def _yes_no(field, value):
    text = normalised(value)
    yes, no = _yes_no_words()
    if text in yes:
        return True
    if text in no:
        return False
    raise CellError(_("Use one of: %(values)s.", values=", ".join(choice_labels(field))))


def province_code(value, provinces):
    """The province code of a cell: 2, "02", "02 Battambang" or "Battambang"; provinces is {code: names}."""
    text = str(value).strip()
    digits = text.split(" ", 1)[0]
    if digits.isdigit() and digits.zfill(2) in provinces:
        return digits.zfill(2)
    wanted = normalised(text)
    for code, names in provinces.items():
        if wanted in (normalised(n) for n in names if n):
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
        return _choice(field, value)
    if field in YES_NO_FIELDS:
        return "yes" if _yes_no(field, value) else "no"
    if field in CONSENT_FIELDS:
        return "y" if _yes_no(field, value) else ""
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
    _l("Choose from the drop-down lists: the registry reads their values in English or in Khmer, and the codes "
       "of earlier templates (such as returned_migrant) too."),
    _l("Leave Code empty for new participants. To correct people already registered, give their code: filled cells replace the stored values, empty cells change nothing."),
    _l("The registry first checks every row and shows what is wrong, by row and column, and the likely duplicates. Nothing is saved until you confirm."),
]
