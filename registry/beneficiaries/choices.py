"""The coded values of a participant record, with their labels for people."""
from flask_babel import lazy_gettext as _l

from registry.beneficiaries import ages

SEX = {"female": _l("Female"), "male": _l("Male"), "other": _l("Other / prefer not to say")}
CATEGORY = {"returned_migrant": _l("Returned migrant"), "at_risk": _l("At risk of unsafe migration")}
ID_DOCUMENT_TYPE = {"national_id": _l("National ID card"), "idpoor": _l("IDPoor / equity card"),
                    "passport": _l("Passport"), "other": _l("Other document")}
RETURN_MODE = {"deported": _l("Deported"), "assisted": _l("Assisted return"), "own": _l("Returned on their own")}
EDUCATION_LEVEL = {"none": _l("No schooling"), "primary": _l("Primary"), "lower_secondary": _l("Lower secondary"),
                   "upper_secondary": _l("Upper secondary"), "vocational": _l("Vocational"),
                   "higher": _l("University or higher")}
EMPLOYMENT_STATUS = {"wage_employed": _l("Wage employed"), "self_employed": _l("Self-employed"),
                     "unemployed": _l("Unemployed"), "in_training_or_education": _l("In training or education"),
                     "migrated_abroad": _l("Migrated abroad")}
CURRENCY = {"USD": "USD", "KHR": _l("KHR (riel)")}
STATUS = {"active": _l("Active"), "archived": _l("Archived"), "merged": _l("Merged")}
AGE_BANDS = ages.CODES
AGE_BAND = {"under_15": _l("Under 15"), "15-19": "15–19", "20-24": "20–24", "25-29": "25–29", "30+": "30+",
            "unknown": _l("Unknown")}


def label(mapping, value):
    """The label of a coded value, or the empty string for None."""
    return "" if value is None else str(mapping.get(value, value))
IMPORT_STATUS = {"queued": _l("Waiting"), "checking": _l("Checking"), "checked": _l("Checked, waiting for you"),
                 "importing": _l("Importing"), "done": _l("Imported"), "failed": _l("Refused"),
                 "interrupted": _l("Interrupted")}


def labels(mapping):
    """Every label of a coded value in the current language, translated once for a page or an export
    that reads them row after row (a lazy string is translated anew each time it is read); None reads as
    empty."""
    translated = {code: str(text) for code, text in mapping.items()}
    translated[None] = ""
    return translated
