"""Participant use cases: register, change, archive, restore. Each is one transaction with its audit event."""
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from registry.audit.services import changed_fields, record_event, record_events
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
CONSENTS = ("consent_data_use", "consent_follow_up", "consent_photos")
BATCH = 500  # records per statement when many are registered at once (an import)
# The consent an edit may correct, until it is withdrawn (registry/beneficiaries/consent.py).
CONSENT_FIELDS = CONSENTS + ("consent_on",)


class LikelyDuplicates(Exception):
    """The record looks like people already registered; the caller shows them or forces the save."""

    def __init__(self, matches):
        super().__init__(", ".join(m.beneficiary.code for m in matches))
        self.matches = matches


class BeneficiaryError(ValueError):
    """A change that the rules do not allow; the message says why."""


@dataclass
class Registration:
    """A participant to register, already checked: their values, the likely duplicates accepted, audit context."""

    data: dict
    duplicates: dict = field(default_factory=dict)  # {code or "row N": [reason codes]} registered beside
    detail: dict = field(default_factory=dict)  # more for the create event (an import's job and row)


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
    [beneficiary] = register_checked([Registration(data, {m.beneficiary.code: m.reasons for m in matches})], user)
    return beneficiary


def register_checked(registrations, user):
    """Register participants whose likely duplicates were already looked for: the form's one, an import's many.

    One transaction, a few statements per BATCH however many. Each record gets its code, the values and
    consent rules of _new_record, a beneficiary.create event and, when registered beside likely
    duplicates, a beneficiary.duplicate_override event naming them. Returns the records, with their ids.
    """
    if not registrations:
        return []
    created = []
    with database.atomic():
        numbers = iter(reserve("beneficiary", len(registrations)))
        for start in range(0, len(registrations), BATCH):
            batch = registrations[start:start + BATCH]
            records = [_new_record(r.data, user, format_code(next(numbers))) for r in batch]
            _insert(records)
            record_events("beneficiary.create", records, [{"code": b.code, **r.detail} for b, r in zip(records, batch)],
                          user=user)
            overridden = [(b, r) for b, r in zip(records, batch) if r.duplicates]
            record_events("beneficiary.duplicate_override", [b for b, _r in overridden],
                          [{"matches": r.duplicates} for _b, r in overridden], user=user)
            created += records
    return created


def _new_record(data, user, code):
    """An unsaved record of registration data: its values, search keys, and who recorded any consent."""
    values = _values(data)
    consent = any(values.get(name) for name in CONSENTS)
    return Beneficiary(**values, **search_keys(values), code=code, created_by=user,
                       consent_recorded_by=user if consent else None)


def _insert(records):
    """Insert new records in one statement and give each its id (found by its unique code)."""
    query = Beneficiary.insert_many([record.__data__ for record in records])
    if database.returning_clause:
        ids = dict(query.returning(Beneficiary.code, Beneficiary.id).tuples().execute())
    else:
        query.execute()
        ids = dict(Beneficiary.select(Beneficiary.code, Beneficiary.id)
                   .where(Beneficiary.code.in_([record.code for record in records])).tuples())
    for record in records:
        record.id = ids[record.code]


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
