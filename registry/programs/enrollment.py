"""Enrollment: into a cohort (or its waitlist), through its statuses, to completion under the rule."""
from datetime import date
from decimal import Decimal

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from peewee import IntegrityError

from registry.audit.services import record_event
from registry.beneficiaries.choices import label
from registry.db import database
from registry.programs.attendance import rate_of, rates
from registry.programs.choices import STATUS_LABELS
from registry.programs.cover import check_covered, check_may_enroll, uncovered
from registry.programs.models import ENDED_STATUSES, Enrollment, EnrollmentChange
from registry.programs.seats import EnrollPlan, lock_cohort, plan_enrollment, seats_of, seats_taken
from registry.programs.services import TrainingError
from registry.programs.signals import enrollment_status_changed

TRANSITIONS = {
    "waitlisted": ("enrolled", "withdrawn"),
    "enrolled": ("active", "completed", "dropped_out", "withdrawn"),
    "active": ("completed", "dropped_out", "withdrawn"),
}


class CohortFull(TrainingError):
    """No seat is free: the cohort's capacity is reached."""


class WaitlistNotConfirmed(TrainingError):
    """Enrolling would put people on the waitlist that the user did not agree to: nothing was written."""

    def __init__(self, plan):
        super().__init__(_l("Some people would go to the waitlist: check and confirm."))
        self.plan = plan


def _check_request_day(cohort, on):
    """:raise TrainingError: a day of enrollment after the cohort's end (the field is enrolled_on)."""
    if on > cohort.end_on:
        raise TrainingError(_l("The enrollment date is after the cohort's end."), field="enrolled_on")


def enroll(cohort, beneficiary, on, user):
    """Enroll a participant on a day, on the waitlist when the cohort is full; one enrollment per person and cohort.

    :raise TrainingError: already in the cohort, not an active participant, or a day after the cohort's end
        (OutsideCover: the user does not cover both the person's province and the cohort's).
    """
    plan = enroll_many(cohort, [beneficiary], on, user, may_wait=None)
    if plan.skipped:
        raise TrainingError(plan.skipped[0][1], field="beneficiary")
    return plan.enrollments[0]


def enroll_many(cohort, beneficiaries, on, user, may_wait=()):
    """Enroll several participants in one transaction, seats first, the rest on the waitlist; return the EnrollPlan.

    Seats are counted under the cohort's lock, so the plan is the one written. People already in
    the cohort or not active are skipped, with the reason.
    :param may_wait: the codes the user agreed may go to the waitlist, or None for anyone.
    :raise WaitlistNotConfirmed: someone else would wait (nothing is written; the plan is on the error).
    :raise OutsideCover: the user does not cover both someone's province and the cohort's (nothing is written).
    """
    check_may_enroll(user, cohort, beneficiaries)
    _check_request_day(cohort, on)
    try:
        with database.atomic():
            plan = plan_enrollment(lock_cohort(cohort), beneficiaries)
            if may_wait is not None and any(b.code not in may_wait for b in plan.waiting):
                raise WaitlistNotConfirmed(plan)
            plan.enrollments = [_create(cohort, b, on, "enrolled", user) for b in plan.seated]
            plan.enrollments += [_create(cohort, b, on, "waitlisted", user) for b in plan.waiting]
    except IntegrityError:  # only without the lock's protection, e.g. a row written by hand meanwhile
        raise TrainingError(_l("Someone in this list is already in this cohort."), field="beneficiary") from None
    return plan


def _create(cohort, beneficiary, on, status, user):
    """One enrollment with its first history line and audit event; a waitlisted one has no enrollment date yet."""
    enrollment = Enrollment.create(beneficiary=beneficiary, cohort=cohort, requested_on=on,
                                   enrolled_on=on if status == "enrolled" else None, status=status, status_on=on)
    EnrollmentChange.create(enrollment=enrollment, to_status=status, changed_on=on, changed_by=user)
    record_event("enrollment.create", obj=enrollment, user=user,
                 detail={"cohort": cohort.id, "code": beneficiary.code, "status": status, "on": on})
    return enrollment


def rule_holds(enrollment, on):
    """Whether the program's completion rule holds on a day: attendance share, and the assessment if required."""
    program = enrollment.cohort.program
    rate = rate_of(enrollment, on).value
    attended_enough = rate is not None and Decimal(str(rate)) >= program.min_attendance
    return attended_enough and (not program.assessment_required or bool(enrollment.assessment_passed))


def change_status(enrollment, to_status, on, user, reason="", override_reason=""):
    """Move an enrollment to another status on a day, with a reason when the person leaves.

    From the waitlist, "enrolled" admits the person: a free seat is needed (counted under the
    cohort's lock) and the day of admission becomes the enrollment date. Completion needs the rule
    to hold, or an override with a written reason (audited).
    :raise TrainingError: a move the lifecycle, the dates or the rule do not allow (CohortFull: no seat;
        OutsideCover: the person lives in a province the user does not cover).
    """
    check_covered(user, [enrollment.id])
    admitting = enrollment.status == "waitlisted" and to_status == "enrolled"
    _check_change(enrollment, to_status, on, reason)
    overridden = to_status == "completed" and not rule_holds(enrollment, on)
    if overridden and not override_reason.strip():
        raise TrainingError(_l("The completion rule does not hold: give a reason to complete anyway."),
                            field="status")
    with database.atomic():
        if enrollment.status == "waitlisted":
            _check_still_waiting(enrollment, admitting)
        before = enrollment.status
        enrollment.status, enrollment.status_on = to_status, on
        if admitting:
            enrollment.enrolled_on = on
        if to_status in ENDED_STATUSES:
            enrollment.ended_on = on
            enrollment.leave_reason = reason.strip() if to_status != "completed" else ""
        enrollment.override_reason = override_reason.strip() if overridden else ""
        enrollment.save()
        EnrollmentChange.create(enrollment=enrollment, from_status=before, to_status=to_status, changed_on=on,
                                reason=(override_reason if overridden else reason).strip(), changed_by=user)
        detail = {"status": [before, to_status], "on": on, "reason": reason.strip()}
        if admitting:
            detail["admitted"] = {"requested_on": enrollment.requested_on, "enrolled_on": on}
        if overridden:
            detail["override"] = override_reason.strip()
        record_event("enrollment.status", obj=enrollment, user=user, detail=detail)
        # Features that follow enrollments (outcomes schedules follow-ups) act in this same transaction.
        enrollment_status_changed.send(current_app._get_current_object(), enrollment=enrollment, user=user)
    return enrollment


def _check_still_waiting(enrollment, admitting):
    """Under the cohort's lock: the person still waits (two officers may act at once) and, to admit, a seat is free."""
    cohort = lock_cohort(enrollment.cohort)
    if Enrollment.get_by_id(enrollment.id).status != "waitlisted":
        raise TrainingError(_l("This person is no longer on the waitlist: someone changed it meanwhile."),
                            field="status")
    if admitting and not seats_of(cohort).left:
        raise CohortFull(_("The cohort is full: all %(capacity)d seats are taken. Free a seat (someone who left) "
                           "or raise the capacity before admitting.", capacity=cohort.capacity), field="status")


def _check_change(enrollment, to_status, on, reason):
    if to_status not in TRANSITIONS.get(enrollment.status, ()):
        raise TrainingError(_("This enrollment cannot move from %(old)s to %(new)s.",
                               old=label(STATUS_LABELS, enrollment.status), new=label(STATUS_LABELS, to_status)),
                            field="status")
    if enrollment.status == "waitlisted":
        _check_waiting_change(enrollment, to_status, on)
    elif on < enrollment.enrolled_on or on > date.today():
        raise TrainingError(_l("The date must fall between the enrollment date and today."), field="on")
    if to_status in ("dropped_out", "withdrawn") and not reason.strip():
        raise TrainingError(_l("Give the reason the person left."), field="reason")


def _check_waiting_change(enrollment, to_status, on):
    """Admission and leaving the waitlist: on or after the request, not in the future; admission by the cohort's end."""
    if on < enrollment.requested_on or on > date.today():
        raise TrainingError(_("The date must fall between the request (%(requested)s) and today.",
                              requested=format_day(enrollment.requested_on)), field="on")
    if to_status == "enrolled" and on > enrollment.cohort.end_on:
        raise TrainingError(_("The cohort ended on %(end)s: nobody can be admitted after it.",
                              end=format_day(enrollment.cohort.end_on)), field="on")


def format_day(day):
    """A day as the user reads it (Babel's medium format in their language)."""
    return format_date(day, "medium")


def complete_all_meeting_rule(cohort, on, user):
    """Complete every open enrollment of a cohort whose rule holds; return how many.

    People of a province the user does not cover are left as they are: their enrollment is read-only for them.
    """
    open_ones = list(Enrollment.admitted().where((Enrollment.cohort == cohort)
                                                 & Enrollment.status.in_(("enrolled", "active")))
                     .order_by(Enrollment.id))  # one order, as every writer of several rows
    outside = uncovered(user, [e.id for e in open_ones])
    open_ones = [e for e in open_ones if e.id not in outside]
    completed = 0
    for enrollment in open_ones:
        if rule_holds(enrollment, on):
            change_status(enrollment, "completed", on, user)
            completed += 1
    return completed


def set_assessment(enrollment, values, user):
    """Record the final assessment and the soft-skills pre and post scores.

    :raise OutsideCover: the person lives in a province the user does not cover.
    """
    check_covered(user, [enrollment.id])
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
           "rates", "seats_taken", "seats_of", "EnrollPlan", "CohortFull", "WaitlistNotConfirmed"]
