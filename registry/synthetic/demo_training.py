"""The training part of the demo: programs, cohorts around today, sessions, enrollments, a waitlist, attendance."""
import random
from datetime import date, timedelta
from decimal import Decimal

from registry.beneficiaries.models import Beneficiary
from registry.programs import enrollment as enrolling
from registry.programs import services
from registry.programs.attendance import is_open_on, record_attendance
from registry.programs.models import Enrollment, TrainingSession

PROGRAMS = [("Sewing and garment", "garment", "Decent Work Award 2026", Decimal("0.8"), False),
            ("Motorbike repair", "mechanics", "Decent Work Award 2026", Decimal("0.8"), True),
            ("Hospitality", "tourism", "Safe Migration Grant", Decimal("0.75"), False)]


def _cohorts(today):
    """(program index, name, province, start, end, weekdays, first person, seats): one ended months ago (with
    follow-ups), one just ended, one running today (full, with a waitlist), one elsewhere."""
    return [(2, "Hospitality Battambang 2026-early", "02", today - timedelta(weeks=40), today - timedelta(weeks=30),
             (1, 3), 6, 12),
            (0, "Sewing Battambang 2026-A", "02", today - timedelta(weeks=12), today - timedelta(days=1), (0, 2, 4), 0,
             12),
            (1, "Motorbike repair Battambang 2026-B", "02", today - timedelta(days=26), today + timedelta(days=60),
             (0, 1, 2, 3, 4, 5, 6), 3, 9),
            (2, "Hospitality Siem Reap 2026", "17", today - timedelta(weeks=8), today + timedelta(weeks=3), (1, 3), 0,
             12)]


def _mark(rng, weak):
    """A realistic mark: most present, some late, a few excused or absent; weak attenders miss more."""
    roll = rng.random() - (0.45 if weak else 0)
    return "present" if roll > 0.15 else "late" if roll > 0.1 else "excused" if roll > 0.06 else "absent"


def seed_training(admin, trainer, rng=None, today=None):
    """Create the demo's programs and cohorts, enroll participants of each province and take attendance."""
    rng, today = rng or random.Random(2026), today or date.today()
    programs = [services.save_program(None, dict(zip(("name", "sector", "donor_award", "min_attendance",
                                                      "assessment_required"), p)), admin) for p in PROGRAMS]
    for index, name, province, start, end, weekdays, first, seats in _cohorts(today):
        cohort = services.save_cohort(None, {"program": programs[index], "name": name, "venue": "Provincial centre",
                                             "province": province, "start_on": start, "end_on": end,
                                             "capacity": seats}, [trainer.id] if province == "02" else [], admin)
        services.generate_sessions(cohort, weekdays, Decimal("3"), [], admin)
        people = list(Beneficiary.listed().where(Beneficiary.province == province).order_by(Beneficiary.id))
        enrollments = [enrolling.enroll(cohort, b, start, admin) for b in people[first:first + 12]]
        _move_waitlist(enrollments, admin, start)
        _take_attendance(cohort, enrollments, trainer, rng, today)
        if end < today:
            _finish(cohort, enrollments, admin, end)
            _follow_up(cohort, admin, rng, today)


def _move_waitlist(enrollments, admin, start):
    """The running cohort's waitlist: a seat freed in the first week goes to the first person waiting two days
    later; the second finds work and leaves the waitlist; the third still waits."""
    waiting = [e for e in enrollments if e.status == "waitlisted"]
    if len(waiting) < 3:
        return
    seated = [e for e in enrollments if e.status == "enrolled"]
    enrolling.change_status(seated[0], "withdrawn", start + timedelta(days=4), admin,
                            reason="Found a job in Battambang town before the training really began")
    enrolling.change_status(waiting[0], "enrolled", start + timedelta(days=6), admin)
    enrolling.change_status(waiting[1], "withdrawn", start + timedelta(days=9), admin,
                            reason="Found work while waiting")


def _take_attendance(cohort, enrollments, trainer, rng, today):
    seated = [e for e in enrollments if e.enrolled_on]  # admitted: never-admitted waitlist aside
    weak = {e.id for e in seated[-2:]}  # two people who attend badly
    for session in cohort.sessions.where(TrainingSession.held_on < today).order_by(TrainingSession.held_on):
        present = [e for e in Enrollment.select().where(Enrollment.id.in_([e.id for e in seated]))
                   .order_by(Enrollment.id) if is_open_on(e, session.held_on)]  # only who was enrolled that day
        record_attendance(session, {e.id: _mark(rng, e.id in weak) for e in present}, trainer, today=today)


def _finish(cohort, enrollments, admin, end):
    """The ended cohort: one dropped out midway, everyone who met the rule completed."""
    leaver = Enrollment.get_by_id(enrollments[-1].id)  # attendance may have made it active since
    enrolling.change_status(leaver, "dropped_out", end - timedelta(weeks=6), admin, reason="Left to work in Thailand")
    enrolling.complete_all_meeting_rule(cohort, end, admin)


def _follow_up(cohort, officer, rng, today):
    """Follow-ups of the completers whose 3- and 6-month windows have passed; a few are left overdue, some of them
    tried without reaching the person. People without consent to follow-up contact are never called."""
    from registry.outcomes.models import FollowUpDue
    from registry.outcomes.services import record_follow_up

    dues = (FollowUpDue.select().join(Enrollment).join(Beneficiary)
            .where((Enrollment.cohort == cohort) & (FollowUpDue.due_on < today) & Beneficiary.consent_follow_up)
            .order_by(FollowUpDue.due_on))
    for number, due in enumerate(dues):
        if number % 4 == 0:  # left overdue: the due list has something to show
            if number % 8 == 0:  # called, not reached: the due list says when
                record_follow_up(due.enrollment.beneficiary, {"followed_on": min(due.due_on, today), "reached": False,
                                                              "method": "phone"}, officer, due.enrollment,
                                 due.window_months)
            continue
        on = min(due.due_on + timedelta(days=rng.randint(0, 10)), today)
        record_follow_up(due.enrollment.beneficiary, _work_now(due.enrollment, on, rng), officer, due.enrollment,
                         due.window_months)


def _work_now(enrollment, on, rng):
    """What a reached completer says, as the follow-up form asks it: a job's start, an income (0 if none)."""
    status = rng.choice(["wage_employed", "wage_employed", "self_employed", "unemployed", "migrated_abroad"])
    values = {"followed_on": on, "reached": True, "method": rng.choice(["phone", "visit"]), "status": status,
              "monthly_income": Decimal(0), "currency": None}
    if status in ("wage_employed", "self_employed"):
        values.update(job_started_on=enrollment.ended_on + timedelta(days=rng.randint(5, 40)),
                      employer=rng.choice(["Garment factory", "Guesthouse", "Own stall"]),
                      related_to_training=True, currency="KHR",
                      monthly_income=Decimal(rng.choice([600000, 800000, 1000000])))
        values["job_started_on"] = min(values["job_started_on"], on)
    if status == "migrated_abroad":
        values.update(country="Thailand", regular_channels=rng.random() < 0.5,
                      monthly_income=Decimal(rng.choice([250, 300])), currency="USD")
    return values
