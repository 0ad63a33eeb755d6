"""Late marks: attendance taken on a phone while offline and synced later, merged mark by mark.

The rule (docs/offline.md#the-merge-rule-for-late-marks): a synced mark replaces the server's mark of
that person and session only if it was taken later than the server's; otherwise it is kept out. A mark
for a session cancelled or moved since, or for a person no longer in the cohort on the session's day,
is refused with the reason, and the others are applied. "Moved" means the session's day on the server
is no longer the day the phone showed (the sync sends it as `seen_on`).
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from flask_babel import lazy_gettext as _l

from registry.audit.services import record_event
from registry.beneficiaries.models import Beneficiary
from registry.db import database
from registry.programs.attendance import activate_attendees, lock_session, upsert_marks
from registry.programs.cover import read_only_message, uncovered
from registry.programs.models import ATTENDED, MARKS, Attendance, Enrollment
from registry.programs.services import TrainingError
from registry.timeutil import utcnow

CLOCK_SKEW = timedelta(minutes=10)  # a phone's clock may run this much ahead of the server's

# Why a mark was not applied: a stable word for the client, and the sentence shown to the trainer.
LATER_ON_SERVER = "later_on_server"
CANCELLED, MOVED = "session_cancelled", "session_moved"
NOT_ENROLLED, NOT_ADMITTED, NOT_YET, LEFT, OUTSIDE = (
    "not_enrolled", "never_admitted", "not_yet_enrolled", "left_cohort", "outside_provinces")
REFUSALS = (CANCELLED, MOVED, NOT_ENROLLED, NOT_ADMITTED, NOT_YET, LEFT, OUTSIDE)
LEFT_AS = {"withdrawn": _l("Withdrew from the cohort before the session's day."),
           "dropped_out": _l("Dropped out of the cohort before the session's day."),
           "completed": _l("Completed the cohort before the session's day.")}


@dataclass(frozen=True)
class LateMark:
    """One mark of a sync: the person's code, the mark, and when it was taken on the phone (aware datetime)."""

    code: str
    status: str
    taken_at: datetime


@dataclass(frozen=True)
class NotApplied:
    """A mark left out: whose, why (a word and a sentence) and, when kept out, the server's mark's time (UTC)."""

    code: str
    why: str
    reason: str
    server_taken_at: datetime | None = None


@dataclass
class SyncResult:
    """What a sync did: the codes applied, the marks kept out and refused, the corrections, the server time."""

    synced_at: datetime
    applied: list = field(default_factory=list)
    kept_out: list = field(default_factory=list)
    refused: list = field(default_factory=list)
    corrections: int = 0
    applied_times: dict = field(default_factory=dict)  # {enrollment id: phone time in UTC}, for the audit


def as_utc(moment):
    """An aware datetime as the naive UTC datetime the database stores."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def taken_at_problem(taken_at, seen_on, now=None):
    """What is wrong with a mark's time taken for a session on the day `seen_on`, or None.

    The day is compared with the time's own local date (its offset is the phone's): a mark taken at
    06:30+07:00 on the session's day is on that day, though it is the day before in UTC.
    """
    if taken_at.tzinfo is None or taken_at.utcoffset() is None:
        return _l("Give the time with its offset or Z, like 2026-03-02T08:30:00+07:00.")
    if taken_at.date() < seen_on:
        return _l("This time is before the session's day.")
    try:
        ahead = as_utc(taken_at) > (now or utcnow()) + CLOCK_SKEW
    except OverflowError:  # in UTC it falls outside years 1 to 9999
        ahead = True
    return _l("This time is in the future: check the phone's clock.") if ahead else None


def sync_attendance(session, marks, seen_on, user):
    """Merge a sync's marks (LateMark list, one per person) into a session, in one transaction; a SyncResult.

    Read under the session's lock: a session cancelled or moved since (its day is not `seen_on`)
    refuses every mark; a person not in the cohort on the day, or outside the user's provinces, has
    their mark refused; a mark not taken later than the server's is kept out; the rest are applied
    with their phone time. The audit event records each applied mark's phone time and the sync time.
    :raise TrainingError: a mark or a time that is not valid (nothing is written).
    """
    now = utcnow()
    for mark in marks:
        problem = taken_at_problem(mark.taken_at, seen_on, now)
        if mark.status not in MARKS or problem:
            raise TrainingError(problem or _l("A mark must be present, late, excused or absent."), field="marks")
    result = SyncResult(synced_at=now)
    with database.atomic():
        current = lock_session(session)
        if current.cancelled or current.held_on != seen_on:
            why, reason = ((CANCELLED, _l("The session was cancelled.")) if current.cancelled else
                           (MOVED, _l("The session was moved to %(day)s.", day=current.held_on.isoformat())))
            result.refused = [NotApplied(m.code, why, str(reason)) for m in marks]
        else:
            _merge(current, marks, user, result)
        record_event("attendance.sync", obj=session, user=user, detail={
            "cohort": current.cohort_id, "on": current.held_on, "seen_on": seen_on, "synced_at": now.isoformat() + "Z",
            "applied": result.applied_times, "kept_out": [n.code for n in result.kept_out],
            "refused": {n.code: n.why for n in result.refused}, "corrections": result.corrections})
    return result


def _merge(session, marks, user, result):
    """Refuse the marks of people not in the cohort that day, keep out the older ones, apply the rest."""
    enrollments = {code: e for e, code in ((e, e.beneficiary.code) for e in Enrollment.select(Enrollment, Beneficiary)
                   .join(Beneficiary).where((Enrollment.cohort == session.cohort_id)
                                            & Beneficiary.code.in_([m.code for m in marks] or [""])))}
    outside = uncovered(user, [e.id for e in enrollments.values()])
    stored = {eid: (status, taken) for eid, status, taken in Attendance.select(
        Attendance.enrollment, Attendance.status, Attendance.taken_at)
        .where((Attendance.session == session) & Attendance.enrollment.in_(
            [e.id for e in enrollments.values()] or [0])).tuples()}
    applying, times = {}, {}
    for mark in marks:
        enrollment = enrollments.get(mark.code)
        refusal = _refusal(enrollment, session.held_on) or (
            (OUTSIDE, read_only_message([mark.code])) if enrollment.id in outside else None)
        if refusal:
            result.refused.append(NotApplied(mark.code, *map(str, refusal)))
        elif enrollment.id in stored and stored[enrollment.id][1] >= as_utc(mark.taken_at):
            result.kept_out.append(NotApplied(mark.code, LATER_ON_SERVER, str(_l("A later mark is on the server.")),
                                              stored[enrollment.id][1]))
        else:
            applying[enrollment.id], times[enrollment.id] = mark.status, as_utc(mark.taken_at)
            result.applied.append(mark.code)
    result.applied_times = {str(eid): times[eid].isoformat() + "Z" for eid in sorted(times)}
    if applying:
        upsert_marks(session, applying, user, taken_at=times)
        activate_attendees(session, [eid for eid, s in applying.items() if s in ATTENDED], user)
    result.corrections = sum(1 for eid, s in applying.items() if eid in stored and stored[eid][0] != s)


def _refusal(enrollment, day):
    """(why, reason) when this enrollment (None: not in the cohort) could not be marked on the day, else None."""
    if enrollment is None:
        return NOT_ENROLLED, _l("No longer enrolled in this cohort.")
    if enrollment.enrolled_on is None:
        return NOT_ADMITTED, _l("On the waitlist, never admitted.")
    if enrollment.enrolled_on > day:
        return NOT_YET, _l("Not yet enrolled on the session's day.")
    if enrollment.ended_on is not None and enrollment.ended_on < day:
        return LEFT, LEFT_AS.get(enrollment.status, _l("Left the cohort before the session's day."))
    return None
