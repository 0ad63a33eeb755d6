"""Attendance: marks per session saved all at once, and rates computed in the database."""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from peewee import JOIN, Case, fn

from registry.audit.services import record_event
from registry.db import database, locked
from registry.programs.cover import check_covered
from registry.programs.models import ATTENDED, MARKS, Attendance, Enrollment, EnrollmentChange, TrainingSession
from registry.programs.services import TrainingError
from registry.timeutil import utcnow


@dataclass
class Rate:
    """An enrollment's attendance: sessions held while it was open, attended, and marked at all."""

    held: int
    attended: int
    marked: int

    @property
    def value(self):
        """Attended over held, or None before any session was held."""
        return self.attended / self.held if self.held else None

    @property
    def gaps(self):
        """Sessions held with no mark recorded: shown to the trainer as gaps."""
        return self.held - self.marked


def _open_window(today):
    """Join condition: the cohort's sessions held (not cancelled, not future) while an enrollment was open."""
    s = TrainingSession
    return ((s.cohort == Enrollment.cohort) & (s.cancelled == False) & (s.held_on <= today)  # noqa: E712
            & (s.held_on >= Enrollment.enrolled_on)
            & (Enrollment.ended_on.is_null() | (s.held_on <= Enrollment.ended_on)))


def rates(enrollments, today=None):
    """{enrollment id: Rate} for a query of enrollments, in one aggregate query."""
    today = today or date.today()
    s, a = TrainingSession, Attendance
    attended = fn.SUM(Case(None, [(a.status.in_(ATTENDED), 1)], 0))
    query = (enrollments.select(Enrollment.id, fn.COUNT(s.id).alias("held"), attended.alias("attended"),
                                fn.COUNT(a.id).alias("marked"))
             .join(s, JOIN.LEFT_OUTER, on=_open_window(today))
             .join(a, JOIN.LEFT_OUTER, on=(a.enrollment == Enrollment.id) & (a.session == s.id))
             .group_by(Enrollment.id).tuples())
    return {eid: Rate(held, attended or 0, marked) for eid, held, attended, marked in query}


def rate_of(enrollment, today=None):
    """The Rate of one enrollment."""
    return rates(Enrollment.select().where(Enrollment.id == enrollment.id), today)[enrollment.id]


def is_open_on(enrollment, day):
    """Whether an enrollment can be marked on a day: admitted (never-admitted waitlist aside), begun, not ended."""
    return (enrollment.enrolled_on is not None and enrollment.enrolled_on <= day
            and (enrollment.ended_on is None or day <= enrollment.ended_on))


def record_attendance(session, marks, user, today=None):
    """Save a session's marks ({enrollment id: status}) in one transaction; return the corrections.

    Two people saving the same session at once save one after the other, whole sheet by whole sheet (the last
    saved wins): the session's row is locked first, then the marks are upserted on (enrollment, session) in
    the order of the enrollment ids. Enrolled people marked present become active.
    :raise TrainingError: a cancelled or future session, an unknown mark or a person not in it
        (OutsideCover: a person of a province the user does not cover; their marks are read-only for them).
    """
    if session.held_on > (today or date.today()):
        raise TrainingError(_l("This session has not taken place yet."))
    if any(status not in MARKS for status in marks.values()):
        raise TrainingError(_l("A mark must be present, late, excused or absent."))
    with database.atomic():
        if lock_session(session).cancelled:
            raise TrainingError(_l("This session is cancelled."))
        enrollments = {e.id: e for e in Enrollment.select().where(Enrollment.cohort == session.cohort_id)}
        if any(eid not in enrollments or not is_open_on(enrollments[eid], session.held_on) for eid in marks):
            raise TrainingError(_l("Someone marked is not enrolled in this cohort on the session's date."))
        check_covered(user, list(marks))
        before = dict(Attendance.select(Attendance.enrollment, Attendance.status)
                      .where(Attendance.session == session).tuples())
        upsert_marks(session, marks, user)
        corrections = {eid: [before[eid], s] for eid, s in marks.items() if eid in before and before[eid] != s}
        activate_attendees(session, [e for e, s in marks.items() if s in ATTENDED], user)
        record_event("attendance.record", obj=session, user=user, detail={
            "cohort": session.cohort_id, "on": session.held_on, "marks": len(marks),
            "corrections": {str(e): c for e, c in corrections.items()}})
    return corrections


def lock_session(session):
    """Hold the session's row until the transaction ends, so that saves of one session run one after the other;
    return the row as read under the lock.

    Without it, two saves of the same people in opposite orders each locked the attendance rows the
    other needed next: a deadlock on PostgreSQL. Read under the lock, a cancellation (or a move) made
    since the page was opened is seen.
    """
    return locked(TrainingSession.select().where(TrainingSession.id == session.id)).get()


def upsert_marks(session, marks, user, taken_at=None):
    """Insert or correct the marks, in the order of the enrollment ids (rows are locked in that order).

    :param taken_at: {enrollment id: when the mark was taken (naive UTC)}; the server's time for the others.
    """
    now = utcnow()
    taken_at = taken_at or {}
    rows = [{"enrollment": eid, "session": session.id, "status": marks[eid], "recorded_by": user.id,
             "recorded_at": now, "taken_at": taken_at.get(eid, now)} for eid in sorted(marks)]
    for start in range(0, len(rows), 500):
        (Attendance.insert_many(rows[start:start + 500])
         .on_conflict(conflict_target=[Attendance.enrollment, Attendance.session],
                      preserve=[Attendance.status, Attendance.recorded_by, Attendance.recorded_at,
                                Attendance.taken_at])
         .execute())


def activate_attendees(session, attended, user):
    """Enrolled people who attend (enrollment ids) become active, dated the session's day.

    Their rows are locked in id order and read again first: saves of two sessions of one cohort may
    activate the same people at once, and only the first one records the change.
    """
    if not attended:
        return
    waiting = (Enrollment.select(Enrollment.id).where(Enrollment.id.in_(attended) & (Enrollment.status == "enrolled"))
               .order_by(Enrollment.id).tuples())
    starting = [eid for (eid,) in locked(waiting, "FOR NO KEY UPDATE")]
    if not starting:
        return
    Enrollment.update(status="active", status_on=session.held_on).where(Enrollment.id.in_(starting)).execute()
    EnrollmentChange.insert_many([
        {"enrollment": eid, "from_status": "enrolled", "to_status": "active", "changed_on": session.held_on,
         "changed_by": user.id} for eid in starting]).execute()
