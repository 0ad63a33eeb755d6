"""Reading training: a cohort's roster with rates and flags, and its attendance grid."""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from registry.beneficiaries.models import Beneficiary
from registry.programs.attendance import rates
from registry.programs.models import ATTENDED, Attendance, Enrollment, TrainingSession

RECENT = 3  # absent from the last three sessions: flagged
SESSIONS_AROUND = 5  # the cohort page shows this many sessions to come and this many past; the rest are paged


@dataclass
class RosterRow:
    """One enrollment on the cohort page."""

    enrollment: Enrollment
    rate: object
    below_rule: bool = False
    absent_recently: bool = False
    marks: dict = field(default_factory=dict)  # {session id: status}


def held_sessions(cohort, today):
    """The cohort's sessions that took place (not cancelled, not in the future), in date order."""
    return list(TrainingSession.select().where((TrainingSession.cohort == cohort) & ~TrainingSession.cancelled
                                               & (TrainingSession.held_on <= today))
                .order_by(TrainingSession.held_on, TrainingSession.id))


@dataclass
class SessionWindow:
    """The sessions a cohort's page shows: the next ones (today's first) and the latest past, and how many in all."""

    upcoming: list
    recent: list
    total: int

    @property
    def hidden(self):
        """How many sessions only the page of all sessions shows."""
        return self.total - len(self.upcoming) - len(self.recent)


def session_window(cohort, today=None, around=SESSIONS_AROUND):
    """The cohort's next `around` sessions from today and its last `around` before, cancelled ones included."""
    today = today or date.today()
    sessions = TrainingSession.select().where(TrainingSession.cohort == cohort)
    upcoming = list(sessions.where(TrainingSession.held_on >= today)
                    .order_by(TrainingSession.held_on, TrainingSession.id).limit(around))
    recent = list(sessions.where(TrainingSession.held_on < today)
                  .order_by(TrainingSession.held_on.desc(), TrainingSession.id.desc()).limit(around))
    return SessionWindow(upcoming, recent[::-1], sessions.count())


def all_sessions(cohort):
    """Every session of the cohort in date order (a query, to page)."""
    return (TrainingSession.select().where(TrainingSession.cohort == cohort)
            .order_by(TrainingSession.held_on, TrainingSession.id))


def roster(cohort, today=None):
    """The cohort's admitted enrollments with their rate, flags and marks; a fixed number of queries.

    People who never left the waitlist are not in the class: they are listed apart (waitlist()).
    """
    today = today or date.today()
    enrollments = (Enrollment.admitted().select_extend(Beneficiary).join(Beneficiary)
                   .where(Enrollment.cohort == cohort)
                   .order_by(Beneficiary.family_name, Beneficiary.given_name, Beneficiary.family_name_km))
    found = rates(Enrollment.admitted().where(Enrollment.cohort == cohort), today)
    marks = {}
    for eid, sid, status in (Attendance.select(Attendance.enrollment, Attendance.session, Attendance.status)
                             .join(Enrollment).where(Enrollment.cohort == cohort).tuples()):
        marks.setdefault(eid, {})[sid] = status
    last = held_sessions(cohort, today)[-RECENT:]
    recent = [s.id for s in last]
    minimum = cohort.program.min_attendance
    rows = []
    for enrollment in enrollments:
        rate = found[enrollment.id]
        mine = marks.get(enrollment.id, {})
        rows.append(RosterRow(
            enrollment, rate, marks=mine,
            below_rule=rate.value is not None and Decimal(str(rate.value)) < minimum,
            absent_recently=len(recent) == RECENT and enrollment.status in ("enrolled", "active")
            and enrollment.enrolled_on <= last[0].held_on
            and not any(mine.get(sid) in ATTENDED for sid in recent)))
    return rows


def session_roster(session):
    """The people open on a session's day with their mark for that session only ({id: status} in .marks)."""
    enrollments = (Enrollment.admitted().select_extend(Beneficiary).join(Beneficiary)
                   .where((Enrollment.cohort == session.cohort_id) & (Enrollment.status != "waitlisted")
                          & (Enrollment.enrolled_on <= session.held_on)
                          & (Enrollment.ended_on.is_null() | (Enrollment.ended_on >= session.held_on)))
                   .order_by(Beneficiary.family_name, Beneficiary.given_name, Beneficiary.family_name_km))
    marks = dict(Attendance.select(Attendance.enrollment, Attendance.status)
                 .where(Attendance.session == session).tuples())
    return [RosterRow(e, rate=None, marks={session.id: marks[e.id]} if e.id in marks else {}) for e in enrollments]


@dataclass
class WaitingRow:
    """One person on a cohort's waitlist, with their place in the queue."""

    enrollment: Enrollment
    position: int


def waitlist(cohort):
    """The people waiting for a seat, in request order, numbered from 1; one query."""
    query = Enrollment.waiting(cohort).select_extend(Beneficiary).join(Beneficiary)
    return [WaitingRow(e, n) for n, e in enumerate(query, 1)]


def left_waiting(cohort):
    """The people withdrawn from the waitlist without ever being admitted, the latest first (kept as a trace)."""
    return (Enrollment.select(Enrollment, Beneficiary).join(Beneficiary)
            .where((Enrollment.cohort == cohort) & (Enrollment.status == "withdrawn")
                   & Enrollment.enrolled_on.is_null())
            .order_by(Enrollment.ended_on.desc(), Enrollment.id.desc()))
