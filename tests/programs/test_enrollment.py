"""Enrollment: capacity and waitlist, the status lifecycle, the completion rule, merges."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from registry.audit.models import AuditEvent
from registry.beneficiaries import merging
from registry.programs import enrollment as enrolling
from registry.programs.attendance import record_attendance
from registry.programs.models import Enrollment, EnrollmentChange, TrainingSession
from registry.programs.services import TrainingError

DAYS = [date(2026, 3, 2) + timedelta(days=7 * n) for n in range(10)]
LATE = date(2026, 6, 30)


def person(create_beneficiary, n):
    """A distinct participant."""
    return create_beneficiary(given_name=f"Person{n}", date_of_birth=date(1980 + n, 1, 1))


def attend(cohort, enrollment, statuses, officer):
    """Mark the enrollment on the cohort's sessions in order."""
    sessions = list(TrainingSession.select().where(TrainingSession.cohort == cohort).order_by(TrainingSession.held_on))
    for session, status in zip(sessions, statuses):
        record_attendance(session, {enrollment.id: status}, officer, today=LATE)


def test_capacity_puts_the_rest_on_a_waitlist(officer, create_cohort, create_beneficiary):
    cohort = create_cohort(capacity=2)
    statuses = [enrolling.enroll(cohort, person(create_beneficiary, n), DAYS[0], officer).status for n in range(3)]
    assert statuses == ["enrolled", "enrolled", "waitlisted"]


def test_one_enrollment_per_person_and_cohort(officer, create_cohort, create_beneficiary):
    cohort, someone = create_cohort(), create_beneficiary()
    enrolling.enroll(cohort, someone, DAYS[0], officer)
    with pytest.raises(TrainingError, match="already in this cohort"):
        enrolling.enroll(cohort, someone, DAYS[0], officer)
    assert Enrollment.select().count() == 1


def test_enroll_many_reports_what_it_skipped(officer, create_cohort, create_beneficiary):
    cohort = create_cohort(capacity=1)
    people = [person(create_beneficiary, n) for n in range(2)]
    enrolling.enroll(cohort, people[0], DAYS[0], officer)
    plan = enrolling.enroll_many(cohort, people, DAYS[0], officer, may_wait={people[1].code})
    assert (plan.seated, plan.waiting, [b.id for b, _why in plan.skipped]) == ([], [people[1]], [people[0].id])
    assert [e.status for e in plan.enrollments] == ["waitlisted"]


@pytest.mark.parametrize("marks, expected", [
    (["present"] * 8 + ["absent"] * 2, True),          # exactly 80%
    (["present"] * 7 + ["late"] + ["absent"] * 2, True),  # late counts
    (["present"] * 7 + ["excused"] + ["absent"] * 2, False),  # 70%
])
def test_completion_exactly_at_the_threshold(officer, create_cohort, create_beneficiary, marks, expected):
    cohort = create_cohort(days=DAYS)
    enrollment = enrolling.enroll(cohort, create_beneficiary(), DAYS[0], officer)
    attend(cohort, enrollment, marks, officer)
    assert enrolling.rule_holds(enrollment, LATE) is expected


def test_completion_below_the_rule_needs_a_written_override(officer, create_cohort, create_beneficiary):
    cohort = create_cohort(days=DAYS[:2])
    enrollment = enrolling.enroll(cohort, create_beneficiary(), DAYS[0], officer)
    attend(cohort, enrollment, ["present", "absent"], officer)
    with pytest.raises(TrainingError, match="give a reason"):
        enrolling.change_status(enrollment, "completed", date(2026, 5, 30), officer)
    enrolling.change_status(enrollment, "completed", date(2026, 5, 30), officer, override_reason="Sick, made up")
    stored = Enrollment.get_by_id(enrollment.id)
    assert (stored.status, stored.ended_on, stored.override_reason) == ("completed", date(2026, 5, 30),
                                                                        "Sick, made up")
    event = AuditEvent.select().where(AuditEvent.action == "enrollment.status").order_by(AuditEvent.id.desc()).get()
    assert "Sick, made up" in event.detail


def test_an_assessment_required_by_the_program_must_be_passed(officer, create_cohort, create_program,
                                                              create_beneficiary):
    cohort = create_cohort(days=DAYS[:1], program=create_program(assessment_required=True))
    enrollment = enrolling.enroll(cohort, create_beneficiary(), DAYS[0], officer)
    attend(cohort, enrollment, ["present"], officer)
    assert not enrolling.rule_holds(enrollment, LATE)
    enrolling.set_assessment(enrollment, {"assessment_passed": True, "pre_score": Decimal("40"),
                                          "post_score": Decimal("70")}, officer)
    assert enrolling.rule_holds(Enrollment.get_by_id(enrollment.id), LATE)


def test_leaving_needs_a_reason_and_each_change_is_kept(officer, create_cohort, create_beneficiary):
    enrollment = enrolling.enroll(create_cohort(), create_beneficiary(), DAYS[0], officer)
    with pytest.raises(TrainingError, match="reason"):
        enrolling.change_status(enrollment, "dropped_out", DAYS[2], officer)
    enrolling.change_status(enrollment, "dropped_out", DAYS[2], officer, reason="Found work in Phnom Penh")
    changes = [(c.from_status, c.to_status, c.changed_on) for c in EnrollmentChange.select().order_by(
        EnrollmentChange.id)]
    assert changes == [("", "enrolled", DAYS[0]), ("enrolled", "dropped_out", DAYS[2])]
    with pytest.raises(TrainingError, match="cannot move"):
        enrolling.change_status(Enrollment.get_by_id(enrollment.id), "active", DAYS[3], officer)


def test_dates_must_make_sense(officer, create_cohort, create_beneficiary):
    enrollment = enrolling.enroll(create_cohort(), create_beneficiary(), DAYS[2], officer)
    for day in (DAYS[1], date.today() + timedelta(days=1)):
        with pytest.raises(TrainingError, match="between the enrollment date and today"):
            enrolling.change_status(enrollment, "withdrawn", day, officer, reason="x")


def test_complete_all_who_meet_the_rule(officer, create_cohort, create_beneficiary):
    cohort = create_cohort(days=DAYS[:2])
    good, poor = (enrolling.enroll(cohort, person(create_beneficiary, n), DAYS[0], officer) for n in range(2))
    attend(cohort, good, ["present", "present"], officer)
    attend(cohort, poor, ["present", "absent"], officer)
    assert enrolling.complete_all_meeting_rule(cohort, date(2026, 5, 30), officer) == 1
    assert Enrollment.get_by_id(good.id).status == "completed"
    assert Enrollment.get_by_id(poor.id).status == "active"


def test_a_merge_moves_enrollments_and_reports_a_shared_cohort(officer, create_cohort, create_beneficiary):
    first, second = create_cohort(name="Sewing 1"), create_cohort(name="Sewing 2")
    survivor, duplicate = create_beneficiary(), create_beneficiary(given_name="Chanthi")
    enrolling.enroll(first, survivor, DAYS[0], officer)
    shared = enrolling.enroll(first, duplicate, DAYS[0], officer)
    moved = enrolling.enroll(second, duplicate, DAYS[0], officer)
    merge = merging.merge_beneficiaries(survivor, duplicate, officer)
    assert Enrollment.get_by_id(moved.id).beneficiary_id == survivor.id
    assert Enrollment.get_by_id(shared.id).beneficiary_id == duplicate.id  # never silently dropped
    assert "Both records were enrolled in Sewing 1" in merging.conflict_messages(merge)[0]
    from registry.beneficiaries.models import BeneficiaryMerge

    merging.undo_merge(BeneficiaryMerge.get_by_id(merge.id), officer)
    assert Enrollment.get_by_id(moved.id).beneficiary_id == duplicate.id
