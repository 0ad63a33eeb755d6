"""The training plans as rows: programs, cohorts and their trainers, sessions, enrollments, their history, marks."""
from datetime import datetime, timedelta
from decimal import Decimal

from registry.programs.models import (Attendance, Cohort, CohortTrainer, Enrollment, EnrollmentChange, Program,
                                      TrainingSession)
from registry.synthetic import vocabulary as words
from registry.synthetic.bulk import bulk
from registry.synthetic.training import MARK_CODES


def _at(day, hour, minute=0):
    """A timestamp on a day (stored naive, as the app stores UTC)."""
    return datetime(day.year, day.month, day.day, hour, minute)


def insert_programs(created):
    """The programs, ids 1 up in vocabulary order; return how many."""
    fields = [Program.id, Program.name, Program.sector, Program.donor_award, Program.min_attendance,
              Program.assessment_required, Program.active, Program.created_at]
    return bulk(Program, fields, [(n, name, sector, award, Decimal(rule), assessed, True, created)
                                  for n, (name, sector, award, rule, assessed, _share) in enumerate(words.PROGRAMS, 1)])


def insert_cohorts(cohorts, officers, province_names, rng):
    """The cohorts and their trainers, each created by its province's officer a month before it starts."""
    fields = [Cohort.id, Cohort.program, Cohort.name, Cohort.venue, Cohort.province, Cohort.start_on, Cohort.end_on,
              Cohort.capacity, Cohort.created_by, Cohort.created_at]
    numbers = {}
    rows = []
    for c in cohorts:
        key = (c.program, c.province, c.start.year)
        numbers[key] = numbers.get(key, 0) + 1
        name = f"{words.PROGRAMS[c.program][0]} {province_names[c.province]} {c.start.year}-{numbers[key]}"
        venue, spare = rng.choice(words.VENUES), rng.choice((0, 0, 2, 5))
        capacity = c.full or c.size + spare  # a cohort with a waitlist has every seat taken
        rows.append((c.id, c.program + 1, name, venue, c.province, c.start, c.end, capacity, officers[c.province],
                     _at(c.start - timedelta(days=30), 3)))
    bulk(Cohort, fields, rows)
    return bulk(CohortTrainer, [CohortTrainer.cohort, CohortTrainer.trainer],
                [(c.id, trainer) for c in cohorts for trainer in c.trainers])


def session_rows(cohorts, rng):
    """The sessions of every cohort, ids following each other (a generator); sets each cohort's first id."""
    number = 0
    for c in cohorts:
        c.first_session = number + 1
        for index, day in enumerate(c.days):
            number += 1
            cancelled = index in c.cancelled
            yield number, c.id, day, c.hours, cancelled, rng.choice(words.CANCELLED_NOTES) if cancelled else ""


def insert_sessions(cohorts, rng, echo=None):
    """The sessions; return how many."""
    fields = [TrainingSession.id, TrainingSession.cohort, TrainingSession.held_on, TrainingSession.hours,
              TrainingSession.cancelled, TrainingSession.note]
    return bulk(TrainingSession, fields, session_rows(cohorts, rng), sum(len(c.days) for c in cohorts), echo)


def insert_enrollments(enrollments, person_ids, echo=None):
    """The enrollments, with a reason for those who left and an override where the rule did not hold.

    enrolled_on is None for people who never left a waitlist, as the services leave it.
    """
    fields = [Enrollment.id, Enrollment.beneficiary, Enrollment.cohort, Enrollment.requested_on,
              Enrollment.enrolled_on, Enrollment.status, Enrollment.status_on, Enrollment.ended_on,
              Enrollment.leave_reason, Enrollment.override_reason, Enrollment.assessment_passed, Enrollment.pre_score,
              Enrollment.post_score, Enrollment.created_at]
    assessed = {n for n, program in enumerate(words.PROGRAMS) if program[4]}
    rows = ((e.id, person_ids[e.person], e.cohort.id, e.requested_on, e.enrolled_on, e.status, e.status_on,
             e.ended_on, e.reason, e.override, e.status == "completed" and e.cohort.program in assessed or None,
             e.pre, e.post, _at(e.requested_on, 2, e.id % 60)) for e in enrollments)
    return bulk(Enrollment, fields, rows, len(enrollments), echo)


def change_rows(enrollments, officers):
    """Each enrollment's status changes, as the services record them (a generator)."""
    for e in enrollments:
        officer, trainer = officers[e.cohort.province], e.cohort.trainers[0]
        if e.waited:
            yield e.id, "", "waitlisted", e.requested_on, "", officer, _at(e.requested_on, 2)
            if e.enrolled_on is None:  # never admitted: still waiting, or withdrawn from the waitlist
                if e.ended_on:
                    yield e.id, "waitlisted", e.status, e.ended_on, e.reason, officer, _at(e.ended_on, 10)
                continue
            yield e.id, "waitlisted", "enrolled", e.enrolled_on, "", officer, _at(e.enrolled_on, 8)
        else:
            yield e.id, "", "enrolled", e.enrolled_on, "", officer, _at(e.enrolled_on, 2)
        before, started = "enrolled", e.first_attended
        if started:
            yield e.id, before, "active", started, "", trainer, _at(started, 9, 30)
            before = "active"
        if e.ended_on:
            yield e.id, before, e.status, e.ended_on, e.override or e.reason, officer, _at(e.ended_on, 10)


def insert_changes(enrollments, officers, echo=None):
    """The enrollments' status history; return how many rows."""
    fields = [EnrollmentChange.enrollment, EnrollmentChange.from_status, EnrollmentChange.to_status,
              EnrollmentChange.changed_on, EnrollmentChange.reason, EnrollmentChange.changed_by,
              EnrollmentChange.changed_at]
    return bulk(EnrollmentChange, fields, change_rows(enrollments, officers), None, echo)


def attendance_rows(enrollments):
    """One row per mark: sessions held (not cancelled) while the enrollment was open (a generator)."""
    for e in enrollments:
        cohort = e.cohort
        trainer = cohort.trainers[0]
        for offset, code in enumerate(e.marks):
            if code in MARK_CODES:
                index = e.join + offset
                at = _at(cohort.days[index], 9, 30)
                yield e.id, cohort.first_session + index, MARK_CODES[code], trainer, at, at  # recorded as taken


def insert_attendance(enrollments, echo=None):
    """Every attendance mark; return how many."""
    fields = [Attendance.enrollment, Attendance.session, Attendance.status, Attendance.recorded_by,
              Attendance.recorded_at, Attendance.taken_at]
    total = sum(1 for e in enrollments for code in e.marks if code in MARK_CODES)
    return bulk(Attendance, fields, attendance_rows(enrollments), total, echo)
