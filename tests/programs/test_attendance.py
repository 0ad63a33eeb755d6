"""Attendance rates and saving a session's marks."""
import threading
from datetime import date, timedelta

import pytest

from registry.programs.attendance import rate_of, rates, record_attendance
from registry.programs.models import Attendance, Enrollment, TrainingSession
from registry.programs.services import TrainingError

DAYS = [date(2026, 3, 2) + timedelta(days=7 * n) for n in range(10)]  # ten Mondays


def sessions(cohort):
    """The cohort's sessions by date."""
    return {s.held_on: s for s in TrainingSession.select().where(TrainingSession.cohort == cohort)}


def mark(session, enrollment, status, user):
    """Save one mark."""
    return record_attendance(session, {enrollment.id: status}, user, today=date(2026, 12, 31))


def test_late_counts_as_attended_excused_and_absent_do_not(officer, create_cohort, create_beneficiary, enroll):
    cohort = create_cohort(days=DAYS[:4])
    enrollment = enroll(cohort, create_beneficiary())
    for day, status in zip(DAYS[:4], ["present", "late", "excused", "absent"]):
        mark(sessions(cohort)[day], enrollment, status, officer)
    rate = rate_of(enrollment, date(2026, 12, 31))
    assert (rate.held, rate.attended, rate.marked, rate.value) == (4, 2, 4, 0.5)


def test_the_rate_ignores_sessions_before_the_enrollment_began(officer, create_cohort, create_beneficiary, enroll):
    cohort = create_cohort(days=DAYS[:6])
    enrollment = enroll(cohort, create_beneficiary(), on=DAYS[2])
    for day in DAYS[2:6]:
        mark(sessions(cohort)[day], enrollment, "present", officer)
    assert rate_of(enrollment, date(2026, 12, 31)).held == 4
    assert rate_of(enrollment, date(2026, 12, 31)).value == 1.0


def test_unmarked_sessions_are_gaps_and_future_or_cancelled_ones_do_not_count(officer, create_cohort,
                                                                              create_beneficiary, enroll):
    from registry.programs.services import cancel_session

    cohort = create_cohort(days=DAYS[:5])
    enrollment = enroll(cohort, create_beneficiary())
    mark(sessions(cohort)[DAYS[0]], enrollment, "present", officer)
    cancel_session(sessions(cohort)[DAYS[1]], True, officer)
    rate = rate_of(enrollment, today=DAYS[3])  # DAYS[4] is still ahead
    assert (rate.held, rate.attended, rate.gaps) == (3, 1, 2)


def test_rates_of_a_whole_cohort_in_one_query(officer, create_cohort, create_beneficiary, enroll):
    cohort = create_cohort(days=DAYS[:2])
    first = enroll(cohort, create_beneficiary())
    second = enroll(cohort, create_beneficiary(given_name="Dara", date_of_birth=date(1990, 1, 1)))
    record_attendance(sessions(cohort)[DAYS[0]], {first.id: "present", second.id: "absent"}, officer,
                      today=date(2026, 12, 31))
    found = rates(Enrollment.select().where(Enrollment.cohort == cohort), date(2026, 12, 31))
    assert (found[first.id].attended, found[second.id].attended, found[second.id].held) == (1, 0, 2)


def test_saving_again_corrects_marks_without_doubling(officer, create_cohort, create_beneficiary, enroll):
    cohort = create_cohort(days=DAYS[:1])
    enrollment = enroll(cohort, create_beneficiary())
    session = sessions(cohort)[DAYS[0]]
    assert mark(session, enrollment, "absent", officer) == {}
    assert mark(session, enrollment, "late", officer) == {enrollment.id: ["absent", "late"]}
    assert [a.status for a in Attendance.select()] == ["late"]


def test_attending_makes_an_enrolled_person_active(officer, create_cohort, create_beneficiary, enroll):
    cohort = create_cohort(days=DAYS[:1])
    enrollment = enroll(cohort, create_beneficiary())
    mark(sessions(cohort)[DAYS[0]], enrollment, "present", officer)
    stored = Enrollment.get_by_id(enrollment.id)
    assert (stored.status, stored.status_on) == ("active", DAYS[0])


@pytest.mark.parametrize("problem", ["cancelled", "future", "bad mark", "stranger"])
def test_bad_saves_are_refused_and_write_nothing(officer, create_cohort, create_beneficiary, enroll, problem):
    from registry.programs.services import cancel_session

    cohort = create_cohort(days=DAYS[:2])
    other = create_cohort(days=DAYS[:1], name="Other")
    enrollment = enroll(cohort, create_beneficiary())
    session = sessions(cohort)[DAYS[0]]
    marks, today = {enrollment.id: "present"}, date(2026, 12, 31)
    if problem == "cancelled":
        cancel_session(session, True, officer)
    elif problem == "future":
        today = DAYS[0] - timedelta(days=1)
    elif problem == "bad mark":
        marks = {enrollment.id: "sleeping"}
    else:
        session = sessions(other)[DAYS[0]]
    with pytest.raises(TrainingError):
        record_attendance(session, marks, officer, today=today)
    assert Attendance.select().count() == 0


def test_two_trainers_saving_the_same_session_at_once_leave_one_mark_each(app, officer, create_cohort,
                                                                         create_beneficiary, enroll):
    from registry.db import database

    cohort = create_cohort(days=DAYS[:1])
    people = [enroll(cohort, create_beneficiary(given_name=f"Person{n}", date_of_birth=date(1980 + n, 1, 1)))
              for n in range(20)]
    session = sessions(cohort)[DAYS[0]]
    errors = []

    def save(status):
        with app.app_context():
            database.connect(reuse_if_open=True)
            try:
                for _ in range(5):
                    record_attendance(session, {p.id: status for p in people}, officer, today=date(2026, 12, 31))
            except Exception as error:  # any failure is the test's failure
                errors.append(error)
            finally:
                database.close()

    threads = [threading.Thread(target=save, args=(s,)) for s in ("present", "absent")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = [a.status for a in Attendance.select().where(Attendance.session == session)]
    assert len(statuses) == 20  # no mark lost, none doubled
    assert set(statuses) <= {"present", "absent"}
