"""How participant values read on pages, in the user's language."""
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry.beneficiaries import choices
from registry.beneficiaries.choices import label, labels
from registry.beneficiaries.forms import BeneficiaryForm
from registry.beneficiaries.history import merges_of
from registry.beneficiaries.phones import display_phone

ACTIONS = {
    "beneficiary.create": _l("Registered"),
    "beneficiary.update": _l("Changed"),
    "beneficiary.archive": _l("Archived"),
    "beneficiary.restore": _l("Restored"),
    "beneficiary.merge": _l("Another record merged into this one"),
    "beneficiary.merged_into": _l("Merged into another record"),
    "beneficiary.merge_undone": _l("Merge undone"),
    "beneficiary.duplicate_override": _l("Registered despite likely duplicates"),
    "beneficiary.import": _l("Imported from a spreadsheet"),
    "beneficiary.consent_given": _l("Consent recorded"),
    "beneficiary.consent_withdrawn": _l("Consent withdrawn"),
}
# Fields of the record that the participant form does not edit, as the history names them.
OTHER_FIELDS = {"consent_withdrawn_on": _l("Consent withdrawn on"),
                "consent_withdrawal_reason": _l("Why consent was withdrawn")}


def born_label(beneficiary):
    """The date of birth, or "about 1990" for an estimated year, or ''."""
    if beneficiary.date_of_birth:
        return format_date(beneficiary.date_of_birth, "medium")
    if beneficiary.birth_year:
        return _("about %(year)d", year=beneficiary.birth_year)
    return ""


def yes_no(value):
    """Yes, No or Unknown."""
    return _("Unknown") if value is None else (_("Yes") if value else _("No"))


def action_label(action):
    """An audited action as people read it."""
    return str(ACTIONS.get(action, action))


def field_label(name):
    """A record field's label on the form."""
    if name in OTHER_FIELDS:
        return str(OTHER_FIELDS[name])
    field = getattr(BeneficiaryForm, name, None)
    return str(field.args[0]) if field is not None and field.args else name


def status_label(status):
    """An import job's status as people read it."""
    return label(choices.IMPORT_STATUS, status)


CODED = {"sex": choices.SEX, "category": choices.CATEGORY, "id_document_type": choices.ID_DOCUMENT_TYPE,
         "return_mode": choices.RETURN_MODE, "education_level": choices.EDUCATION_LEVEL,
         "baseline_employment": choices.EMPLOYMENT_STATUS, "baseline_income_currency": choices.CURRENCY}


def value_label(name, value):
    """A stored field value as people read it: labels for codes, Yes/No, dates, province names."""
    from registry.reference.models import Province

    if value is None or value == "":
        return "—"
    if name in CODED:
        return label(CODED[name], value)
    if isinstance(value, bool):
        return yes_no(value)
    if hasattr(value, "isoformat"):
        return format_date(value, "medium")
    if name == "province":
        province = Province.get_or_none(Province.code == value)
        return province.name if province else value
    if name == "phone":
        return display_phone(value)
    return value


def init_blueprint(bp):
    """Give every template the display helpers."""
    for helper in (born_label, yes_no, label, labels, display_phone, format_date, action_label, field_label,
                   merges_of, status_label, value_label):
        bp.add_app_template_global(helper)
    bp.add_app_template_global(choices, "choices")
