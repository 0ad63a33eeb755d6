"""The waitlist: who waits, admission with its date, leaving without a seat, and seats counted one writer at a time."""
import json
import threading
import time
from datetime import date, timedelta

import pytest

from registry.audit.models import AuditEvent
from registry.auth.models import User
from registry.db import database, is_postgres
from registry.programs import enrollment as enrolling
from registry.programs import queries
from registry.programs.attendance import rate_of, record_attendance
from registry.programs.models import Cohort, Enrollment, EnrollmentChange, TrainingSession
from registry.programs.seats import seats_of
from registry.programs.services import TrainingError

TODAY = date.today()
START = TODAY - timedelta(days=30)
DAYS = [START + timedelta(days=7 * n) for n in range(4)]  # four weekly sessions, all past (the last 9 days ago)


@pytest.fixture
def full(create_cohort, create_beneficiary, officer):
    """A cohort of two seats, both taken on START; Chea then Dara wait (Chea asked first)."""
    cohort = create_cohort(capacity=2, start_on=START, end_on=TODAY + timedelta(days=30), days=DAYS)
    seated = [enrolling.enroll(cohort, person(create_beneficiary, name, n), START, officer)
              for n, name in enumerate(["Ana", "Bo"])]
    dara = enrolling.enroll(cohort, person(create_beneficiary, "Dara", 3), START + timedelta(days=2), officer)
    chea = enrolling.enroll(cohort, person(create_beneficiary, "Chea", 2), START + timedelta(days=1), officer)
    return cohort, seated, chea, dara


def person(create_beneficiary, name, n):
    """A distinct participant."""
    return create_beneficiary(given_name=name, date_of_birth=date(1990 + n, 1, 1))


def fresh(enrollment):
    """The enrollment as stored now."""
    return Enrollment.get_by_id(enrollment.id)


def free_a_seat(enrollment, officer, on=None):
    """Someone seated leaves, so that a seat is free."""
    enrolling.change_status(fresh(enrollment), "withdrawn", on or START + timedelta(days=3), officer,
                            reason="Moved to Phnom Penh")


# Enrolling

def test_a_direct_enrollment_is_enrolled_on_the_day_it_was_asked_for(full):
    _cohort, seated, _chea, _dara = full
    assert (seated[0].status, seated[0].requested_on, seated[0].enrolled_on) == ("enrolled", START, START)


def test_someone_put_on_the_waitlist_has_a_request_date_and_no_enrollment_date(full):
    _cohort, _seated, chea, _dara = full
    stored = fresh(chea)
    assert (stored.status, stored.requested_on, stored.enrolled_on) == ("waitlisted", START + timedelta(days=1), None)
    change = EnrollmentChange.get(EnrollmentChange.enrollment == chea.id)
    assert (change.from_status, change.to_status, change.changed_on) == ("", "waitlisted", START + timedelta(days=1))
    event = AuditEvent.get((AuditEvent.action == "enrollment.create") & (AuditEvent.object_id == str(chea.id)))
    assert json.loads(event.detail)["status"] == "waitlisted"


def test_a_batch_that_would_wait_unconfirmed_writes_nothing(create_cohort, create_beneficiary, officer):
    cohort = create_cohort(capacity=2)
    people = [person(create_beneficiary, name, n) for n, name in enumerate(["Ana", "Bo", "Chea"])]
    with pytest.raises(enrolling.WaitlistNotConfirmed) as refused:
        enrolling.enroll_many(cohort, people, date(2026, 3, 2), officer)
    assert (refused.value.plan.seated, refused.value.plan.waiting) == (people[:2], people[2:])
    assert Enrollment.select().count() == 0 and EnrollmentChange.select().count() == 0
    plan = enrolling.enroll_many(cohort, people, date(2026, 3, 2), officer, may_wait={people[2].code})
    assert [(e.beneficiary_id, e.status) for e in plan.enrollments] == [
        (people[0].id, "enrolled"), (people[1].id, "enrolled"), (people[2].id, "waitlisted")]


def test_a_confirmation_given_for_other_people_does_not_cover_a_seat_taken_since(create_cohort, create_beneficiary,
                                                                                 officer):
    cohort = create_cohort(capacity=2)
    ana, bo, chea = (person(create_beneficiary, name, n) for n, name in enumerate(["Ana", "Bo", "Chea"]))
    # The officer saw Ana and Bo seated and Chea waiting, and confirmed; meanwhile someone else took a seat.
    enrolling.enroll(cohort, person(create_beneficiary, "Eng", 5), date(2026, 3, 2), officer)
    with pytest.raises(enrolling.WaitlistNotConfirmed) as refused:
        enrolling.enroll_many(cohort, [ana, bo, chea], date(2026, 3, 2), officer, may_wait={chea.code})
    assert refused.value.plan.waiting == [bo, chea]
    assert Enrollment.select().count() == 1


def test_the_enrollment_date_cannot_be_after_the_cohorts_end(create_cohort, create_beneficiary, officer):
    cohort = create_cohort()
    with pytest.raises(TrainingError, match="after the cohort's end") as refused:
        enrolling.enroll(cohort, create_beneficiary(), cohort.end_on + timedelta(days=1), officer)
    assert refused.value.field == "enrolled_on"


# Admission

def test_admission_needs_a_free_seat(full, officer):
    cohort, _seated, chea, _dara = full
    with pytest.raises(enrolling.CohortFull, match="The cohort is full: all 2 seats are taken"):
        enrolling.change_status(chea, "enrolled", TODAY, officer)
    assert (fresh(chea).status, fresh(chea).enrolled_on) == ("waitlisted", None)
    assert EnrollmentChange.select().where(EnrollmentChange.enrollment == chea.id).count() == 1
    assert seats_of(cohort).waiting == 2


def test_admission_dates_the_enrollment_and_keeps_the_request_date(full, officer):
    cohort, seated, chea, _dara = full
    free_a_seat(seated[0], officer)
    admitted_on = DAYS[2]
    enrolling.change_status(chea, "enrolled", admitted_on, officer)
    stored = fresh(chea)
    assert (stored.status, stored.requested_on, stored.enrolled_on, stored.status_on) == (
        "enrolled", START + timedelta(days=1), admitted_on, admitted_on)
    history = [(c.from_status, c.to_status, c.changed_on) for c in EnrollmentChange.select()
               .where(EnrollmentChange.enrollment == chea.id).order_by(EnrollmentChange.id)]
    assert history == [("", "waitlisted", START + timedelta(days=1)), ("waitlisted", "enrolled", admitted_on)]
    event = (AuditEvent.select().where((AuditEvent.action == "enrollment.status")
                                       & (AuditEvent.object_id == str(chea.id))).get())
    detail = json.loads(event.detail)
    assert detail["status"] == ["waitlisted", "enrolled"]
    assert detail["admitted"] == {"requested_on": str(START + timedelta(days=1)), "enrolled_on": str(admitted_on)}
    assert seats_of(cohort) == type(seats_of(cohort))(capacity=2, taken=2, waiting=1)


@pytest.mark.parametrize("offset, message", [
    (0, "between the request"),  # before the request: START + 1 day
    (None, "between the request"),  # tomorrow
])
def test_an_admission_date_before_the_request_or_in_the_future_is_refused(full, officer, offset, message):
    _cohort, seated, chea, _dara = full
    free_a_seat(seated[0], officer)
    day = START + timedelta(days=offset) if offset is not None else TODAY + timedelta(days=1)
    with pytest.raises(TrainingError, match=message) as refused:
        enrolling.change_status(chea, "enrolled", day, officer)
    assert refused.value.field == "on" and fresh(chea).status == "waitlisted"


def test_nobody_is_admitted_after_the_cohorts_end(create_cohort, create_beneficiary, officer):
    cohort = create_cohort(capacity=1, start_on=START, end_on=TODAY - timedelta(days=2))
    first = enrolling.enroll(cohort, person(create_beneficiary, "Ana", 0), START, officer)
    waiting = enrolling.enroll(cohort, person(create_beneficiary, "Bo", 1), START, officer)
    free_a_seat(first, officer)
    with pytest.raises(TrainingError, match="nobody can be admitted after it"):
        enrolling.change_status(waiting, "enrolled", TODAY, officer)
    enrolling.change_status(waiting, "enrolled", cohort.end_on, officer)  # its last day is still in
    assert fresh(waiting).enrolled_on == cohort.end_on


def test_an_admission_from_a_page_shown_before_someone_else_admitted_is_refused(full, officer):
    _cohort, seated, chea, _dara = full
    free_a_seat(seated[0], officer)
    stale = fresh(chea)
    enrolling.change_status(chea, "enrolled", TODAY, officer)
    with pytest.raises(TrainingError, match="no longer on the waitlist"):
        enrolling.change_status(stale, "withdrawn", TODAY, officer, reason="Changed her mind")
    assert (fresh(chea).status, fresh(chea).enrolled_on) == ("enrolled", TODAY)


# Leaving the waitlist

def test_withdrawn_while_waiting_never_gets_an_enrollment_date(full, officer):
    cohort, seated, _chea, dara = full
    with pytest.raises(TrainingError, match="Give the reason"):
        enrolling.change_status(dara, "withdrawn", TODAY, officer)
    enrolling.change_status(dara, "withdrawn", TODAY, officer, reason="Found work")
    stored = fresh(dara)
    assert (stored.status, stored.enrolled_on, stored.ended_on, stored.leave_reason) == (
        "withdrawn", None, TODAY, "Found work")
    free_a_seat(seated[0], officer)
    assert [e.id for e in queries.left_waiting(cohort)] == [dara.id]
    with pytest.raises(TrainingError, match="cannot move"):
        enrolling.change_status(stored, "enrolled", TODAY, officer)


# What waiting people are left out of

def test_the_roster_and_rates_leave_the_waitlist_out_and_list_it_apart_in_request_order(full, officer):
    cohort, seated, chea, dara = full
    assert {row.enrollment.id for row in queries.roster(cohort, TODAY)} == {e.id for e in seated}
    assert [(w.position, w.enrollment.id) for w in queries.waitlist(cohort)] == [(1, chea.id), (2, dara.id)]
    assert rate_of(chea, TODAY).held == 0  # no session counts against someone who was not there to attend
    session = TrainingSession.get((TrainingSession.cohort == cohort) & (TrainingSession.held_on == DAYS[0]))
    assert {row.enrollment.id for row in queries.session_roster(session)} == {e.id for e in seated}


def test_an_admitted_persons_rate_counts_sessions_from_the_admission_on(full, officer):
    cohort, seated, chea, _dara = full
    free_a_seat(seated[0], officer, on=DAYS[0])
    enrolling.change_status(chea, "enrolled", DAYS[2], officer)
    sessions = {s.held_on: s for s in TrainingSession.select().where(TrainingSession.cohort == cohort)}
    for day in DAYS[2:]:
        record_attendance(sessions[day], {chea.id: "present"}, officer)
    rate = rate_of(chea, TODAY)
    assert (rate.held, rate.attended) == (2, 2)
    assert chea.id in {row.enrollment.id for row in queries.roster(cohort, TODAY)}


def test_nobody_on_the_waitlist_can_be_marked(full, officer):
    cohort, _seated, chea, _dara = full
    session = TrainingSession.get((TrainingSession.cohort == cohort) & (TrainingSession.held_on == DAYS[1]))
    with pytest.raises(TrainingError, match="not enrolled in this cohort on the session's date"):
        record_attendance(session, {chea.id: "present"}, officer)


def test_completing_all_who_meet_the_rule_leaves_the_waitlist_alone(full, officer):
    cohort, seated, chea, dara = full
    sessions = list(TrainingSession.select().where(TrainingSession.cohort == cohort))
    for session in sessions:
        record_attendance(session, {e.id: "present" for e in seated}, officer)
    Cohort.update(capacity=10).where(Cohort.id == cohort.id).execute()  # free seats do not admit anyone
    assert enrolling.complete_all_meeting_rule(cohort, TODAY, officer) == 2
    assert {fresh(e).status for e in (chea, dara)} == {"waitlisted"}


# Seats are counted one writer at a time

def _run_in_thread(app, registrar, work, results, key, hold=None, release=None):
    """Run work(user) in its own connection and transaction; with hold/release, keep the transaction open."""
    def run():
        with app.app_context():
            database.connect(reuse_if_open=True)
            try:
                with database.atomic():
                    results[key] = work(User.get_by_id(registrar.id))
                    if hold:
                        hold.set()
                        release.wait(20)
            except Exception as error:  # noqa: BLE001  (the result says what happened)
                results[key] = error
            finally:
                if hold:
                    hold.set()
                database.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _wait_until_blocked(thread):
    """True once the thread waits for another writer's lock; False when it ran to its end without waiting."""
    started = time.monotonic()
    while thread.is_alive() and time.monotonic() - started < 10:
        if _waits_for_a_lock(started):
            return True
        time.sleep(0.02)
    return thread.is_alive()


def _waits_for_a_lock(started):
    if is_postgres():
        return database.execute_sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                    "AND wait_event_type = 'Lock'").fetchone()[0] > 0
    # SQLite cannot say: a writer still running after half a second (its work takes milliseconds) waits
    # at its BEGIN IMMEDIATE for the first one's write lock.
    return time.monotonic() - started > 0.5


def _race(app, registrar, first, second):
    """The first writer takes its seat and holds its transaction open; the second starts; then the first commits."""
    results, hold, release = {}, threading.Event(), threading.Event()
    one = _run_in_thread(app, registrar, first, results, "first", hold, release)
    assert hold.wait(20)
    two = _run_in_thread(app, registrar, second, results, "second")
    blocked = _wait_until_blocked(two)
    release.set()
    one.join(20)
    two.join(20)
    return results, blocked


def test_two_officers_enrolling_into_the_last_seat_at_once_do_not_both_get_it(app, create_cohort,
                                                                              create_beneficiary, registrar):
    cohort = create_cohort(capacity=1)
    ana, bo = (person(create_beneficiary, name, n) for n, name in enumerate(["Ana", "Bo"]))
    results, blocked = _race(app, registrar,
                             lambda user: enrolling.enroll(cohort, ana, date(2026, 3, 2), user).status,
                             lambda user: enrolling.enroll(cohort, bo, date(2026, 3, 2), user).status)
    assert results == {"first": "enrolled", "second": "waitlisted"}
    assert blocked  # the second one waited for the first one's commit before it counted
    with app.app_context():
        assert seats_of(Cohort.get_by_id(cohort.id)).taken == 1


def test_two_officers_admitting_into_the_last_seat_at_once_do_not_both_get_it(app, full, registrar):
    cohort, seated, chea, dara = full
    with app.app_context():
        free_a_seat(seated[0], User.get_by_id(registrar.id))
    results, blocked = _race(app, registrar,
                             lambda user: enrolling.change_status(fresh(chea), "enrolled", TODAY, user).status,
                             lambda user: enrolling.change_status(fresh(dara), "enrolled", TODAY, user).status)
    assert results["first"] == "enrolled" and isinstance(results["second"], enrolling.CohortFull)
    assert blocked
    with app.app_context():
        assert (seats_of(Cohort.get_by_id(cohort.id)).taken, fresh(dara).status) == (2, "waitlisted")
