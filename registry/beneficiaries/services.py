"""Participant use cases: register, change, archive, restore. Each is one transaction with its audit event."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from registry.audit.services import changed_fields, record_event
from registry.beneficiaries.duplicates import find_duplicates, search_keys
from registry.beneficiaries.models import Beneficiary, format_code
from registry.reference.counters import reserve
from registry.db import database
from registry.timeutil import utcnow

# Fields an officer edits; the rest (code, status, keys, timestamps) belong to the registry.
EDITABLE = (
    "given_name", "family_name", "given_name_km", "family_name_km", "sex", "date_of_birth", "birth_year", "phone",
    "province", "district", "commune", "village", "id_document_type", "id_document_number", "category",
    "destination_country", "sector_abroad", "return_date", "return_mode", "regular_migration", "disability",
    "idpoor", "household_size", "education_level", "baseline_employment", "baseline_monthly_income",
    "baseline_income_currency", "consent_data_use", "consent_follow_up", "consent_photos", "consent_on",
    "registered_on",
)
# The consent an edit may correct, until it is withdrawn (registry/beneficiaries/consent.py).
CONSENT_FIELDS = ("consent_data_use", "consent_follow_up", "consent_photos", "consent_on")


class LikelyDuplicates(Exception):
    """The record looks like people already registered; the caller shows them or forces the save."""

    def __init__(self, matches):
        super().__init__(", ".join(m.beneficiary.code for m in matches))
        self.matches = matches


class BeneficiaryError(ValueError):
    """A change that the rules do not allow; the message says why."""


def _values(data):
    """The editable values of data, with the birth year set from the date when there is one."""
    values = {name: data[name] for name in EDITABLE if name in data}
    if values.get("date_of_birth"):
        values["birth_year"] = None  # a year is stored only as an estimate, when there is no date
    return values


def editable_values(beneficiary):
    """The editable values of a record, as comparable plain values."""
    snapshot = {}
    for name in EDITABLE:
        value = getattr(beneficiary, name + "_id" if name == "province" else name)
        snapshot[name] = str(value) if isinstance(value, Decimal) else value
    return snapshot


def register_beneficiary(data, user, allow_duplicate=False):
    """Register a participant and give them a code.

    :raise LikelyDuplicates: likely matches exist and allow_duplicate is False.
    """
    matches = find_duplicates(data)
    if matches and not allow_duplicate:
        raise LikelyDuplicates(matches)
    values = _values(data)
    with database.atomic():
        beneficiary = Beneficiary(**values, **search_keys(values), created_by=user,
                                  consent_recorded_by=user if _any_consent(values) else None)
        beneficiary.code = format_code(reserve("beneficiary")[0])
        beneficiary.save(force_insert=True)
        record_event("beneficiary.create", obj=beneficiary, user=user, detail={"code": beneficiary.code})
        if matches:
            record_event("beneficiary.duplicate_override", obj=beneficiary, user=user,
                         detail={"matches": {m.beneficiary.code: m.reasons for m in matches}})
    return beneficiary


def _any_consent(values):
    return any(values.get(k) for k in ("consent_data_use", "consent_follow_up", "consent_photos"))


def update_beneficiary(beneficiary, data, user, keep_blank=False):
    """Change a participant's details; the audit event lists each changed field, old and new.

    With keep_blank, empty values leave the stored ones as they are (a blank cell never wipes a value).
    """
    values = _values(data)
    if keep_blank:
        values = {k: v for k, v in values.items() if v not in (None, "")}
    if beneficiary.consent_withdrawn_on is not None:
        # Withdrawn consent is given again only by consent.record_consent (the consent page, its API
        # endpoint), dated on or after the withdrawal: never by an edit, a PATCH or a re-imported sheet.
        values = {k: v for k, v in values.items() if k not in CONSENT_FIELDS}
    before = editable_values(beneficiary)
    for name, value in values.items():
        setattr(beneficiary, name, value)
    changes = changed_fields(before, editable_values(beneficiary))
    if not changes:
        return beneficiary
    if any(k.startswith("consent_") for k in changes):
        beneficiary.consent_recorded_by = user
    for key, value in search_keys(editable_values(beneficiary)).items():
        setattr(beneficiary, key, value)
    beneficiary.updated_at = utcnow()
    with database.atomic():
        beneficiary.save()
        record_event("beneficiary.update", obj=beneficiary, user=user, detail=changes)
    return beneficiary


def _set_status(beneficiary, status, action, user):
    with database.atomic():
        Beneficiary.update(status=status, updated_at=utcnow()).where(Beneficiary.id == beneficiary.id).execute()
        beneficiary.status = status
        record_event(action, obj=beneficiary, user=user)
    return beneficiary


def archive_beneficiary(beneficiary, user):
    """Archive a participant: out of the active lists, still counted for what they did."""
    if beneficiary.status != "active":
        raise BeneficiaryError(_l("Only an active record can be archived."))
    return _set_status(beneficiary, "archived", "beneficiary.archive", user)


def restore_beneficiary(beneficiary, user):
    """Bring an archived participant back to the active lists."""
    if beneficiary.status != "archived":
        raise BeneficiaryError(_l("Only an archived record can be restored."))
    return _set_status(beneficiary, "active", "beneficiary.restore", user)


def record_view(beneficiary, user, via=None, **detail):
    """Audit that a user saw a participant's whole record: the profile, or `via` another page (edit, merge)."""
    record_event("beneficiary.view", obj=beneficiary, user=user, detail={"via": via, **detail} if via else None)


def record_shown(beneficiaries, user, via, **detail):
    """Audit that a page showed these participants' birth dates or contact details: their codes, and how.

    The audit log's participant filter finds the event by any of the codes.
    """
    record_event("beneficiary.list", user=user, detail={"via": via, **detail, "shown": [b.code for b in beneficiaries]})
