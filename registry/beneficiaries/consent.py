"""Consent: recorded as given (which scopes, on which day, by whom) or withdrawn (dated, with the reason).

Each change is one transaction holding the participant's row, with an audit event listing every field
that changed, old and new. What each consent allows, and what a withdrawal does, is in docs/security.md.
"""
import json
import unicodedata
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from registry.audit.models import AuditEvent
from registry.audit.services import changed_fields, record_event
from registry.beneficiaries.models import Beneficiary
from registry.beneficiaries.services import BeneficiaryError
from registry.db import database, is_postgres
from registry.timeutil import utcnow

# The scopes a person consents to, by the name the services take, and the field that stores each.
SCOPES = {"data_use": "consent_data_use", "follow_up": "consent_follow_up", "photos": "consent_photos"}
STATE = (*SCOPES.values(), "consent_on", "consent_withdrawn_on", "consent_withdrawal_reason")
GIVEN, WITHDRAWN = "beneficiary.consent_given", "beneficiary.consent_withdrawn"
REASON_MAX = 500


class ConsentError(BeneficiaryError):
    """A consent change the rules refuse; `field` is "scopes", "on" or "reason", or None for the record's state."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def consent_state(beneficiary):
    """The consent fields of a record, as the audit compares them."""
    return {name: getattr(beneficiary, name) for name in STATE}


def any_consent(beneficiary):
    """Tell whether the person consents to anything now."""
    return any(getattr(beneficiary, name) for name in SCOPES.values())


def record_consent(beneficiary, scopes, on, user):
    """Record consent given on a day for some scopes ("data_use", "follow_up", "photos"); the others are not given.

    A withdrawal ends here: its date and reason stay in the audit log. Recording what is already
    recorded changes nothing and writes no event (a retried request is harmless).

    :raise ConsentError: no scope, a merged record, or a day in the future, before the registration or
        before the withdrawal it ends.
    """
    scopes = set(scopes)
    if scopes - set(SCOPES):
        raise ValueError(f"unknown consent scopes: {sorted(scopes - set(SCOPES))}")
    if not scopes:
        raise ConsentError(_("Tick at least one thing the person consents to. To take consent back, withdraw it."),
                           "scopes")
    with database.atomic():
        current = _locked(beneficiary)
        _check_day(current, on)
        if current.consent_withdrawn_on and on < current.consent_withdrawn_on:
            raise ConsentError(_("Consent given again cannot be dated before it was withdrawn (%(date)s).",
                                 date=format_date(current.consent_withdrawn_on, "medium")), "on")
        after = {**{name: scope in scopes for scope, name in SCOPES.items()}, "consent_on": on,
                 "consent_withdrawn_on": None, "consent_withdrawal_reason": ""}
        return _apply(beneficiary, current, after, user, GIVEN)


def withdraw_consent(beneficiary, on, user, reason):
    """Withdraw every consent from a day on, with the person's reason; the day consent was given is kept.

    From then on the person is left out of named lists and exports, the due list and follow-ups, and
    stays in the de-identified counts.

    :raise ConsentError: no reason, a merged record, nothing to withdraw, already withdrawn, or a day in
        the future, before the registration or before consent was given.
    """
    reason = unicodedata.normalize("NFC", reason or "").strip()
    if not reason:
        raise ConsentError(_("Say why consent is withdrawn."), "reason")
    if len(reason) > REASON_MAX:
        raise ConsentError(_("At most %(num)d characters.", num=REASON_MAX), "reason")
    with database.atomic():
        current = _locked(beneficiary)
        if current.consent_withdrawn_on:
            raise ConsentError(_("Consent was already withdrawn on %(date)s.",
                                 date=format_date(current.consent_withdrawn_on, "medium")))
        if not any_consent(current):
            raise ConsentError(_("There is no consent to withdraw: the person consents to nothing now."))
        _check_day(current, on)
        if current.consent_on and on < current.consent_on:
            raise ConsentError(_("Consent cannot be withdrawn before it was given (%(date)s).",
                                 date=format_date(current.consent_on, "medium")), "on")
        after = {**{name: False for name in SCOPES.values()}, "consent_on": current.consent_on,
                 "consent_withdrawn_on": on, "consent_withdrawal_reason": reason}
        return _apply(beneficiary, current, after, user, WITHDRAWN)


def _locked(beneficiary):
    """The record as committed, its row held until the transaction ends (two changes never interleave).

    SQLite needs no FOR UPDATE: its transactions take the write lock when they begin (BEGIN IMMEDIATE).
    """
    query = Beneficiary.select().where(Beneficiary.id == beneficiary.id)
    current = (query.for_update() if is_postgres() else query).get()
    if current.status == "merged":
        raise ConsentError(_("This record is merged into another one: change the consent there."))
    return current


def _check_day(current, on):
    """A day that makes sense for a change of consent: given, not in the future, not before registration."""
    if on is None:
        raise ConsentError(_("Give the date."), "on")
    if on > date.today():
        raise ConsentError(_("The date cannot be in the future."), "on")
    if current.registered_on and on < current.registered_on:
        raise ConsentError(_("The date cannot be before the person's registration (%(date)s).",
                             date=format_date(current.registered_on, "medium")), "on")


def _apply(beneficiary, current, after, user, action):
    """Write the consent fields that changed, with the audit event of the change; the caller's copy follows."""
    changes = changed_fields(consent_state(current), after)
    if changes:
        Beneficiary.update(**after, consent_recorded_by=user if action == GIVEN else current.consent_recorded_by,
                           updated_at=utcnow()).where(Beneficiary.id == current.id).execute()
        record_event(action, obj=current, user=user, detail=changes)
        if action == GIVEN:
            beneficiary.consent_recorded_by = user
    for name, value in after.items():
        setattr(beneficiary, name, value)
    return beneficiary


def consent_history(beneficiary):
    """[(event, {field: [old, new]})] of the changes to a person's consent, newest first, edits included."""
    events = (AuditEvent.with_actors()
              .where((AuditEvent.object_type == "beneficiary") & (AuditEvent.object_id == str(beneficiary.id))
                     & AuditEvent.action.in_((GIVEN, WITHDRAWN, "beneficiary.update")))
              .order_by(AuditEvent.id.desc()))
    history = []
    for event in events:
        changes = {name: change for name, change in json.loads(event.detail).items() if name in STATE}
        if changes:
            history.append((event, changes))
    return history
