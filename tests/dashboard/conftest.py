"""A small registry for the dashboard's tests, as it stands on TODAY (15 June 2026).

Battambang (02): cohort "Sewing Battambang" (program Sewing, 4 May to 31 July 2026, two seats, trainer
"assigned") with sessions on 4, 5 and 6 May and 1 July. Ana attended all three; Bo attended the first,
was absent from the second and has no mark for the third; Chea is on the waitlist. Fay was merged into Ana.

Siem Reap (17): cohort "Motorbike Siem Reap" (program Motorbike, September to December 2025). Dara and
Eng completed it on 20 December 2025. Gus, enrolled in the same cohort, was merged into Dara (his
enrollment stays with his record, as a merge leaves a second enrollment in one cohort). Dara was reached
on 20 March 2026 (3-month follow-up, wage job since January) and on 10 June 2026 (6-month follow-up,
self-employed since May), then missed on 12 June; Eng's 6-month follow-up on 5 June did not reach him.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from registry.auth.models import User
from registry.beneficiaries.merging import merge_beneficiaries
from registry.outcomes.services import record_follow_up
from registry.programs import enrollment as enrolling
from registry.programs.attendance import record_attendance
from registry.programs.models import Enrollment, TrainingSession

TODAY = date(2026, 6, 15)
SINCE = date(2025, 7, 1)  # the first day of the dashboard's 12 months on TODAY


@dataclass
class World:
    """The records of the small registry, by name."""

    sewing: object
    motorbike: object
    trainer: object
    people: dict


@pytest.fixture
def world(app, registrar, create_user, create_program, create_cohort, create_beneficiary):
    """The small registry of the module docstring."""
    trainer = create_user("trainer", username="assigned")
    sewing_program = create_program(name="Sewing")
    motorbike_program = create_program(name="Motorbike")
    sewing = create_cohort(name="Sewing Battambang", program=sewing_program, province="02", capacity=2,
                           start_on=date(2026, 5, 4), end_on=date(2026, 7, 31), trainers=[trainer],
                           days=[date(2026, 5, 4), date(2026, 5, 5), date(2026, 5, 6), date(2026, 7, 1)])
    motorbike = create_cohort(name="Motorbike Siem Reap", program=motorbike_program, province="17",
                              start_on=date(2025, 9, 1), end_on=date(2025, 12, 31), days=[date(2025, 9, 1)])
    people = {name: create_beneficiary(given_name=name, province=province, date_of_birth=date(1995, 1, n + 1))
              for n, (name, province) in enumerate([("Ana", "02"), ("Bo", "02"), ("Chea", "02"), ("Fay", "02"),
                                                     ("Dara", "17"), ("Eng", "17"), ("Gus", "17")])}
    with app.app_context():
        user = User.get_by_id(registrar.id)
        _train_sewing(sewing, people, user)
        _train_motorbike(motorbike, people, user)
        merge_beneficiaries(people["Ana"], people["Fay"], user)
        merge_beneficiaries(people["Dara"], people["Gus"], user)
    return World(sewing, motorbike, trainer, people)


def _train_sewing(cohort, people, user):
    ana, bo, chea = (enrolling.enroll(cohort, people[n], date(2026, 5, 4), user) for n in ("Ana", "Bo", "Chea"))
    assert chea.status == "waitlisted"
    days = {s.held_on: s for s in TrainingSession.select().where(TrainingSession.cohort == cohort)}
    record_attendance(days[date(2026, 5, 4)], {ana.id: "present", bo.id: "late"}, user, today=TODAY)
    record_attendance(days[date(2026, 5, 5)], {ana.id: "present", bo.id: "absent"}, user, today=TODAY)
    record_attendance(days[date(2026, 5, 6)], {ana.id: "present"}, user, today=TODAY)


def _train_motorbike(cohort, people, user):
    session = TrainingSession.get(TrainingSession.cohort == cohort)
    enrollments = {n: enrolling.enroll(cohort, people[n], date(2025, 9, 1), user) for n in ("Dara", "Eng", "Gus")}
    record_attendance(session, {e.id: "present" for e in enrollments.values()}, user, today=TODAY)
    for name in ("Dara", "Eng"):
        enrolling.change_status(Enrollment.get_by_id(enrollments[name].id), "completed", date(2025, 12, 20), user)
    dara, eng = (Enrollment.get_by_id(enrollments[n].id) for n in ("Dara", "Eng"))
    follow_up(people["Dara"], dara, date(2026, 3, 20), 3, user, status="wage_employed",
              job_started_on=date(2026, 1, 10), monthly_income=Decimal("150"), currency="USD")
    follow_up(people["Dara"], dara, date(2026, 6, 10), 6, user, status="self_employed",
              job_started_on=date(2026, 5, 1))
    follow_up(people["Dara"], dara, date(2026, 6, 12), 6, user, reached=False)
    follow_up(people["Eng"], eng, date(2026, 6, 5), 6, user, reached=False)


def follow_up(beneficiary, enrollment, on, window, user, reached=True, **values):
    """Record a follow-up (status None when the person was not reached)."""
    return record_follow_up(beneficiary, {"followed_on": on, "reached": reached, "method": "phone",
                                          "status": values.pop("status", None), **values}, user, enrollment,
                            window=window)
