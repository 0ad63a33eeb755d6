"""Recording, correcting and deleting follow-ups, and keeping the follow-ups due after each completion right."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from registry.audit.services import changed_fields, record_event
from registry.db import database
from registry.outcomes.models import WINDOWS, FollowUp, FollowUpDue
from registry.outcomes.windows import Contact, window_state
from registry.programs.models import Enrollment
from registry.timeutil import add_months, utcnow

FIELDS = ("followed_on", "reached", "method", "status", "job_started_on", "job_before_training", "employer", "sector",
          "related_to_training", "monthly_income", "currency", "hours_per_week", "country", "regular_channels", "note")
# What a field holds when the form does not give it (the job details of someone not reached).
EMPTY = {"status": None, "job_started_on": None, "job_before_training": False, "employer": "", "sector": "",
         "related_to_training": None, "monthly_income": None, "currency": None, "hours_per_week": None,
         "country": "", "regular_channels": None, "note": ""}


class FollowUpError(ValueError):
    """A follow-up the rules do not allow; the message says why and `field` names the field it is about."""

    def __init__(self, message, field="followed_on"):
        super().__init__(message)
        self.field = field


class NoFollowUpConsent(FollowUpError):
    """The participant has not consented to follow-up contact: no follow-up may be recorded."""

    def __init__(self):
        super().__init__(_l("This participant has not consented to follow-up contact: no follow-up can be recorded "
                            "until their consent is recorded."), "consent_follow_up")


def ensure_consent(beneficiary):
    """Refuse a contact with someone who has not consented to follow-up contact.

    :raise NoFollowUpConsent: consent_follow_up is false (never given, or withdrawn).
    """
    if not beneficiary.consent_follow_up:
        raise NoFollowUpConsent()


def schedule_follow_ups(enrollment, user=None):
    """On completion, the follow-ups due 3, 6 and 12 months later (on programs' enrollment_status_changed)."""
    if enrollment.status != "completed":
        return
    rows = [(enrollment.id, n, add_months(enrollment.ended_on, n)) for n in WINDOWS]
    (FollowUpDue.insert_many(rows, fields=[FollowUpDue.enrollment, FollowUpDue.window_months, FollowUpDue.due_on])
     .on_conflict_ignore().execute())


def refresh_due(enrollment_id):
    """Close or re-open an enrollment's due windows from its live follow-ups (registry.outcomes.windows)."""
    contacts = [Contact(*row) for row in FollowUp.live(FollowUp.id, FollowUp.window_months, FollowUp.followed_on,
                                                       FollowUp.reached)
                .where(FollowUp.enrollment == enrollment_id).tuples()]
    for due in FollowUpDue.select().where(FollowUpDue.enrollment == enrollment_id):
        closing, tried = window_state(due.window_months, contacts)
        if (due.follow_up_id, due.last_tried_on) != (closing, tried):
            FollowUpDue.update(follow_up=closing, last_tried_on=tried).where(FollowUpDue.id == due.id).execute()


def default_enrollment(beneficiary, on):
    """The person's latest enrollment completed on or before a day, or None."""
    return (Enrollment.select().where((Enrollment.beneficiary == beneficiary) & (Enrollment.status == "completed")
                                      & (Enrollment.ended_on <= on))
            .order_by(Enrollment.ended_on.desc(), Enrollment.id.desc()).first())


def nearest_window(enrollment, on):
    """The due window (3, 6 or 12 months) whose due date is closest to a day."""
    return min(WINDOWS, key=lambda n: abs((add_months(enrollment.ended_on, n) - on).days))


def _check(beneficiary, enrollment, values):
    on = values["followed_on"]
    if enrollment is None:
        raise FollowUpError(_l("No training completed on or before this date: a follow-up comes after completion."))
    if enrollment.beneficiary_id != beneficiary.id or enrollment.status != "completed":
        raise FollowUpError(_l("Choose a completed training of this participant."), "enrollment")
    if on < enrollment.ended_on:
        raise FollowUpError(_l("A follow-up cannot be dated before the training was completed."))
    if on > date.today():
        raise FollowUpError(_l("A follow-up cannot be dated in the future."))
    started = values.get("job_started_on")
    if values.get("job_before_training") and started and started >= enrollment.enrolled_on:
        # The two answers would disagree on whether the job is new employment (EG.6-12).
        raise FollowUpError(_l("The job started on or after the enrollment (%(day)s), so not before the training: "
                               "correct the date or the choice.", day=enrollment.enrolled_on.isoformat()),
                            "job_started_on")


def _full(values):
    """Every field of a follow-up: the given values over the empty ones."""
    return {k: values[k] if k in values else EMPTY.get(k) for k in FIELDS}


def record_follow_up(beneficiary, values, user, enrollment=None, window=None, recorded_at=None):
    """Record a follow-up for one completed enrollment (by default the latest completed by that day).

    `recorded_at`, for a follow-up recorded offline, is the phone's time (aware): the audit event keeps it,
    with the time it reached the server.

    :raise NoFollowUpConsent: the person has not consented to follow-up contact.
    :raise FollowUpError: no completed training, or dates that do not make sense.
    """
    ensure_consent(beneficiary)
    enrollment = enrollment or default_enrollment(beneficiary, values["followed_on"])
    _check(beneficiary, enrollment, values)
    window = window or nearest_window(enrollment, values["followed_on"])
    with database.atomic():
        follow_up = FollowUp.create(beneficiary=beneficiary, enrollment=enrollment, window_months=window,
                                    recorded_by=user, **_full(values))
        refresh_due(enrollment.id)
        record_event("follow_up.create", obj=beneficiary, user=user, detail={
            "follow_up": follow_up.id, "enrollment": enrollment.id, "window": window, "on": values["followed_on"],
            "reached": values.get("reached"), "status": values.get("status"),
            **(_synced(recorded_at) if recorded_at else {})})
    return follow_up


def _synced(recorded_at):
    """The audit's times of a follow-up recorded offline: the phone's (with its offset) and the server's, in UTC."""
    return {"recorded_at": recorded_at.isoformat(), "synced_at": utcnow().replace(microsecond=0).isoformat() + "Z"}


def _stored(follow_up):
    return {"enrollment": follow_up.enrollment_id, "window_months": follow_up.window_months,
            **{k: getattr(follow_up, k) for k in FIELDS}}


def _audited(value):
    """A value as the audit log shows it: amounts the same whichever database kept them (250, not 250.00)."""
    return format(value.normalize(), "f") if isinstance(value, Decimal) else value


def update_follow_up(follow_up, values, user, reason, enrollment=None, window=None):
    """Correct a follow-up (a reason is required); audited with each changed field before and after.

    The enrollment and window default as when recording; the due windows of the enrollments
    concerned are re-opened or closed. Consent is not asked: a correction contacts nobody.
    :return: the changed fields, {} when the values are those already stored (nothing is written).
    :raise FollowUpError: as when recording, or no reason given.
    """
    if not (reason or "").strip():
        raise FollowUpError(_l("Say why the follow-up is corrected."), "reason")
    beneficiary = follow_up.beneficiary
    enrollment = enrollment or default_enrollment(beneficiary, values["followed_on"])
    _check(beneficiary, enrollment, values)
    after = {"enrollment": enrollment.id, "window_months": window or nearest_window(enrollment, values["followed_on"]),
             **_full(values)}
    changes = changed_fields(_stored(follow_up), after)
    if not changes:
        return {}
    with database.atomic():
        updated = (FollowUp.update(updated_at=utcnow(), updated_by=user, **after)
                   .where((FollowUp.id == follow_up.id) & FollowUp.deleted_at.is_null()).execute())
        if not updated:
            raise FollowUpError(_l("This follow-up has been deleted."))
        for enrollment_id in sorted({follow_up.enrollment_id, enrollment.id}):
            refresh_due(enrollment_id)
        record_event("follow_up.update", obj=beneficiary, user=user, detail={
            "follow_up": follow_up.id, "reason": reason.strip(),
            "changes": {k: [_audited(old), _audited(new)] for k, (old, new) in changes.items()}})
    return changes


def delete_follow_up(follow_up, user, reason):
    """Delete a follow-up (a reason is required): kept with when, who and why, counted nowhere; audited.

    :raise FollowUpError: no reason given, or the follow-up is already deleted.
    """
    if not (reason or "").strip():
        raise FollowUpError(_l("Say why the follow-up is deleted."), "reason")
    with database.atomic():
        deleted = (FollowUp.update(deleted_at=utcnow(), deleted_by=user, delete_reason=reason.strip())
                   .where((FollowUp.id == follow_up.id) & FollowUp.deleted_at.is_null()).execute())
        if not deleted:  # a second click, or a retried request: the first one did it
            raise FollowUpError(_l("This follow-up has been deleted."))
        refresh_due(follow_up.enrollment_id)
        record_event("follow_up.delete", obj=follow_up.beneficiary, user=user, detail={
            "follow_up": follow_up.id, "reason": reason.strip(),
            "follow_up_said": {k: _audited(v) for k, v in _stored(follow_up).items()}})
