"""Enrollment: into a cohort (or its waitlist), through its statuses, to completion under the rule."""
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from peewee import IntegrityError

from registry.audit.services import record_event
from registry.beneficiaries.choices import label
from registry.db import database
from registry.programs.attendance import rate_of, rates
from registry.programs.choices import STATUS_LABELS
from registry.programs.models import ENDED_STATUSES, Enrollment, EnrollmentChange
from registry.programs.services import TrainingError

SEATED = ("enrolled", "active", "completed")
# Called as hook(enrollment, user) inside the transaction of every status change; features that
# follow enrollments (outcomes schedules its follow-ups) register here, so programs imports none of them.
STATUS_HOOKS = []  # statuses that take a seat in the cohort
TRANSITIONS = {
    "waitlisted": ("enrolled", "withdrawn"),
    "enrolled": ("active", "completed", "dropped_out", "withdrawn"),
    "active": ("completed", "dropped_out", "withdrawn"),
}


def seats_taken(cohort):
    """How many seats of a cohort are taken."""
    return cohort.enrollments.where(Enrollment.status.in_(SEATED)).count()


def enroll(cohort, beneficiary, enrolled_on, user):
    """Enroll a participant, on the waitlist when the cohort is full; one enrollment per person and cohort.

    :raise TrainingError: already in the cohort, not an active participant, or a date outside sense.
    """
    if beneficiary.status != "active":
        raise TrainingError(_l("Only an active participant can be enrolled."))
    if enrolled_on > cohort.end_on:
        raise TrainingError(_l("The enrollment date is after the cohort's end."))
    status = "enrolled" if seats_taken(cohort) < cohort.capacity else "waitlisted"
    try:
        with database.atomic():
            enrollment = Enrollment.create(beneficiary=beneficiary, cohort=cohort, enrolled_on=enrolled_on,
                                           status=status, status_on=enrolled_on)
            EnrollmentChange.create(enrollment=enrollment, to_status=status, changed_on=enrolled_on, changed_by=user)
            record_event("enrollment.create", obj=enrollment, user=user,
                         detail={"cohort": cohort.id, "code": beneficiary.code, "status": status})
    except IntegrityError:
        raise TrainingError(_("%(code)s is already in this cohort.", code=beneficiary.code)) from None
    return enrollment


def enroll_many(cohort, beneficiaries, enrolled_on, user):
    """Enroll several participants; return (enrolled, waitlisted, skipped with the reason)."""
    done, waiting, skipped = [], [], []
    for beneficiary in beneficiaries:
        try:
            enrollment = enroll(cohort, beneficiary, enrolled_on, user)
        except TrainingError as error:
            skipped.append((beneficiary, str(error)))
        else:
            (waiting if enrollment.status == "waitlisted" else done).append(enrollment)
    return done, waiting, skipped


def rule_holds(enrollment, on):
    """Whether the program's completion rule holds on a day: attendance share, and the assessment if required."""
    program = enrollment.cohort.program
    rate = rate_of(enrollment, on).value
    attended_enough = rate is not None and Decimal(str(rate)) >= program.min_attendance
    return attended_enough and (not program.assessment_required or bool(enrollment.assessment_passed))


def change_status(enrollment, to_status, on, user, reason="", override_reason=""):
    """Move an enrollment to another status on a day, with a reason when the person leaves.

    Completion needs the rule to hold, or an override with a written reason (audited).
    :raise TrainingError: a move the lifecycle or the rule does not allow.
    """
    _check_change(enrollment, to_status, on, reason)
    overridden = to_status == "completed" and not rule_holds(enrollment, on)
    if overridden and not override_reason.strip():
        raise TrainingError(_l("The completion rule does not hold: give a reason to complete anyway."))
    if to_status == "enrolled" and seats_taken(enrollment.cohort) >= enrollment.cohort.capacity:
        raise TrainingError(_l("The cohort is full."))
    with database.atomic():
        before = enrollment.status
        enrollment.status, enrollment.status_on = to_status, on
        if to_status in ENDED_STATUSES:
            enrollment.ended_on = on
            enrollment.leave_reason = reason.strip() if to_status != "completed" else ""
        enrollment.override_reason = override_reason.strip() if overridden else ""
        enrollment.save()
        EnrollmentChange.create(enrollment=enrollment, from_status=before, to_status=to_status, changed_on=on,
                                reason=(override_reason if overridden else reason).strip(), changed_by=user)
        detail = {"status": [before, to_status], "on": on, "reason": reason.strip()}
        if overridden:
            detail["override"] = override_reason.strip()
        record_event("enrollment.status", obj=enrollment, user=user, detail=detail)
        for hook in STATUS_HOOKS:
            hook(enrollment, user)
    return enrollment


def _check_change(enrollment, to_status, on, reason):
    if to_status not in TRANSITIONS.get(enrollment.status, ()):
        raise TrainingError(_("This enrollment cannot move from %(old)s to %(new)s.",
                               old=label(STATUS_LABELS, enrollment.status), new=label(STATUS_LABELS, to_status)))
    if on < enrollment.enrolled_on or on > date.today():
        raise TrainingError(_l("The date must fall between the enrollment date and today."))
    if to_status in ("dropped_out", "withdrawn") and not reason.strip():
        raise TrainingError(_l("Give the reason the person left."))


def complete_all_meeting_rule(cohort, on, user):
    """Complete every open enrollment of a cohort whose rule holds; return how many."""
    open_ones = list(cohort.enrollments.where(Enrollment.status.in_(("enrolled", "active"))))
    completed = 0
    for enrollment in open_ones:
        if rule_holds(enrollment, on):
            change_status(enrollment, "completed", on, user)
            completed += 1
    return completed


def set_assessment(enrollment, values, user):
    """Record the final assessment and the soft-skills pre and post scores."""
    names = ("assessment_passed", "pre_score", "post_score")
    before = {n: getattr(enrollment, n) for n in names}
    with database.atomic():
        for name in names:
            setattr(enrollment, name, values.get(name))
        enrollment.save()
        changes = {n: [str(before[n]) if before[n] is not None else None,
                       str(values.get(n)) if values.get(n) is not None else None]
                   for n in names if before[n] != values.get(n)}
        if changes:
            record_event("enrollment.assessment", obj=enrollment, user=user, detail=changes)
    return enrollment


__all__ = ["enroll", "enroll_many", "change_status", "complete_all_meeting_rule", "set_assessment", "rule_holds",
           "rates", "seats_taken"]
