"""The late-marks merge rule: marks synced from a phone that was offline, merged one by one."""
import json
from datetime import date, datetime, time, timedelta, timezone

import pytest

from registry.audit.models import AuditEvent
from registry.beneficiaries.models import Beneficiary
from registry.programs import enrollment as enrolling
from registry.programs.attendance import record_attendance
from registry.programs.late_marks import LateMark, as_utc, sync_attendance, taken_at_problem
from registry.programs.models import Attendance, Enrollment, TrainingSession
from registry.programs.services import TrainingError, cancel_session, move_session
from registry.timeutil import utcnow

PHNOM_PENH = timezone(timedelta(hours=7))
DAY = date.today() - timedelta(days=3)


def at(hour, minute=0, day=DAY):
    """A phone's time on the session's day, in Cambodia's offset."""
    return datetime.combine(day, time(hour, minute), tzinfo=PHNOM_PENH)


@pytest.fixture
def klass(session_of_three):
    """A cohort with a session three days ago and three people enrolled before it: (session, codes)."""
    return session_of_three(DAY)


def stored(session):
    """{code: (status, taken_at)} of the session's marks."""
    return {a.enrollment.beneficiary.code: (a.status, a.taken_at)
            for a in Attendance.select().where(Attendance.session == session)}


def enrollment_of(code):
    return Enrollment.select().join(Beneficiary).where(Beneficiary.code == code).get()


def sync(session, officer, *marks, seen_on=DAY):
    return sync_attendance(TrainingSession.get_by_id(session.id), [LateMark(*m) for m in marks], seen_on, officer)


def test_a_later_mark_replaces_the_servers_and_an_earlier_or_equal_one_is_kept_out(klass, officer):
    session, (a, b, _c) = klass
    sync(session, officer, (a, "absent", at(9)), (b, "absent", at(9)))
    later = sync(session, officer, (a, "present", at(10)))
    assert later.applied == [a] and later.corrections == 1
    result = sync(session, officer, (a, "late", at(9, 30)), (b, "present", at(9)))
    assert result.applied == []
    assert [(n.code, n.why, n.server_taken_at) for n in result.kept_out] == [
        (a, "later_on_server", as_utc(at(10))), (b, "later_on_server", as_utc(at(9)))]
    assert result.kept_out[0].reason == "A later mark is on the server."
    assert stored(session) == {a: ("present", as_utc(at(10))), b: ("absent", as_utc(at(9)))}


def test_a_mark_saved_online_after_the_phone_took_its_own_wins_over_the_late_sync(klass, officer):
    session, (a, _b, _c) = klass
    enrollment = enrollment_of(a)
    before = utcnow()
    record_attendance(session, {enrollment.id: "excused"}, officer)
    (status, taken), = stored(session).values()
    assert status == "excused" and taken >= before  # a mark saved without taken_at is taken when saved
    result = sync(session, officer, (a, "absent", at(11)))
    assert [n.code for n in result.kept_out] == [a] and stored(session)[a][0] == "excused"


def test_a_cancelled_session_refuses_every_mark(klass, officer):
    session, codes = klass
    cancel_session(session, True, officer)
    result = sync(session, officer, *[(code, "present", at(9)) for code in codes])
    assert [(n.code, n.why) for n in result.refused] == [(code, "session_cancelled") for code in codes]
    assert result.applied == [] and Attendance.select().count() == 0


def test_a_session_moved_since_the_phone_saw_it_refuses_every_mark(klass, officer):
    session, (a, b, _c) = klass
    move_session(session, DAY - timedelta(days=1), session.hours, officer)
    result = sync(session, officer, (a, "present", at(9)), (b, "late", at(9)))
    assert {n.why for n in result.refused} == {"session_moved"} and len(result.refused) == 2
    assert (DAY - timedelta(days=1)).isoformat() in result.refused[0].reason
    assert Attendance.select().count() == 0


def test_a_mixed_batch_refuses_who_left_the_cohort_and_applies_the_rest(klass, officer, create_beneficiary):
    session, (a, b, c) = klass
    enrolling.change_status(enrollment_of(b), "withdrawn", DAY - timedelta(days=1), officer, "Moved to Thailand.")
    stranger = create_beneficiary(given_name="Vanna").code
    result = sync(session, officer, (a, "present", at(9)), (b, "present", at(9)), (c, "absent", at(9)),
                  (stranger, "present", at(9)))
    assert result.applied == [a, c]
    assert [(n.code, n.why) for n in result.refused] == [(b, "left_cohort"), (stranger, "not_enrolled")]
    assert result.refused[0].reason == "Withdrew from the cohort before the session's day."
    assert set(stored(session)) == {a, c}
    assert Enrollment.get(Enrollment.status == "active").beneficiary.code == a  # present: the person began


def test_a_person_who_left_on_the_sessions_day_or_after_can_still_be_marked(klass, officer):
    session, (a, _b, _c) = klass
    enrolling.change_status(enrollment_of(a), "dropped_out", DAY, officer, "Found work.")
    assert sync(session, officer, (a, "absent", at(9))).applied == [a]


def test_the_audit_event_records_each_marks_phone_time_and_the_sync_time(klass, officer):
    session, (a, b, _c) = klass
    started = utcnow()
    sync(session, officer, (a, "present", at(9, 15)), (b, "absent", at(9, 20)))
    event = AuditEvent.get(AuditEvent.action == "attendance.sync")
    detail = json.loads(event.detail)
    ids = {e.beneficiary.code: e.id for e in Enrollment.select()}
    assert detail["applied"] == {str(ids[a]): "%sT02:15:00Z" % DAY, str(ids[b]): "%sT02:20:00Z" % DAY}
    assert datetime.fromisoformat(detail["synced_at"].rstrip("Z")) >= started.replace(microsecond=0)
    assert detail["kept_out"] == [] and detail["refused"] == {}


def test_a_sync_with_a_bad_time_writes_nothing(klass, officer):
    session, (a, b, _c) = klass
    with pytest.raises(TrainingError):
        sync(session, officer, (a, "present", at(9)), (b, "present", at(9, day=DAY - timedelta(days=1))))
    assert Attendance.select().count() == 0 and AuditEvent.select().where(
        AuditEvent.action == "attendance.sync").count() == 0


def test_the_time_taken_must_have_an_offset_not_be_ahead_of_the_clock_nor_before_the_day():
    now = datetime(2026, 3, 2, 5, 0)  # UTC: 12:00 in Phnom Penh
    day = date(2026, 3, 2)
    assert "offset" in str(taken_at_problem(datetime(2026, 3, 2, 9, 0), day, now))
    assert "future" in str(taken_at_problem(datetime(2026, 3, 2, 12, 11, tzinfo=PHNOM_PENH), day, now))
    assert taken_at_problem(datetime(2026, 3, 2, 12, 9, tzinfo=PHNOM_PENH), day, now) is None  # clock skew
    assert taken_at_problem(datetime(2026, 3, 2, 6, 30, tzinfo=PHNOM_PENH), day, now) is None  # the day before in UTC
    assert "before" in str(taken_at_problem(datetime(2026, 3, 1, 23, 59, tzinfo=PHNOM_PENH), day, now))
    assert taken_at_problem(datetime(2026, 3, 2, 4, 0, tzinfo=timezone.utc), day, now) is None


def test_a_person_of_a_province_the_user_does_not_cover_is_refused_alone(officer, create_cohort, create_beneficiary,
                                                                           enroll, create_user):
    from registry.auth.models import User

    cohort = create_cohort(province="17", start_on=DAY - timedelta(days=20), end_on=DAY + timedelta(days=20),
                           days=[DAY])
    local, visitor = create_beneficiary(province="17"), create_beneficiary(given_name="Dara")  # the visitor: 02
    for person in (local, visitor):
        enroll(cohort, person, on=DAY - timedelta(days=20))
    of_17 = User.get_by_id(create_user("officer", {"17"}).id)
    session = TrainingSession.get(TrainingSession.cohort == cohort)
    result = sync(session, of_17, (local.code, "present", at(9)), (visitor.code, "present", at(9)))
    assert result.applied == [local.code]
    assert [(n.code, n.why) for n in result.refused] == [(visitor.code, "outside_provinces")]
    assert set(stored(session)) == {local.code}
