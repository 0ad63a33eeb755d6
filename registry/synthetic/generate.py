"""Fill an empty registry with synthetic data in proportion to N participants, part by part, timed.

Everything is planned in memory from one seeded random generator (the same N, seed and day give
the same data), then inserted in bulk in one transaction: a failed run leaves the database as
it was. The audit log gets one "synthetic.generate" event, which marks the database as synthetic.
"""
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from peewee import fn

from registry.audit.services import record_event
from registry.auth.models import User
from registry.beneficiaries.models import Beneficiary
from registry.db import database, is_postgres
from registry.outcomes.models import ExchangeRate, FollowUp, FollowUpDue
from registry.programs.models import (Attendance, Cohort, CohortTrainer, Enrollment, EnrollmentChange, Program,
                                      TrainingSession)
from registry.reference.models import Province
from registry.synthetic import accounts, register, training, training_rows
from registry.synthetic.bulk import Stopwatch, finish_load
from registry.synthetic.outcomes import insert_outcomes, insert_rates
from registry.synthetic.people import Participants
from registry.timeutil import add_years

MINIMUM = training.PEOPLE_PER_COHORT
LOADED_WITH_IDS = (User, Beneficiary, Program, Cohort, TrainingSession, Enrollment, FollowUp)


class Refused(Exception):
    """The database is not one that synthetic data may go into; the message says why."""


@dataclass
class Summary:
    """What a run made: the time of each part, the rows per table, the near-duplicate pairs, the accounts."""

    times: dict
    counts: dict
    duplicates: list = field(default_factory=list)
    usernames: list = field(default_factory=list)


def check_database():
    """Refuse a database without the registry's tables, or one that holds any participant or training.

    :raise Refused: with the reason, for the operator.
    """
    if not database.table_exists(Beneficiary._meta.table_name):
        raise Refused("This database has no registry tables: run `flask init-db` first.")
    if Beneficiary.select().exists() or Program.select().exists() or Cohort.select().exists():
        raise Refused("This database already holds participants or training. Synthetic data goes only into an "
                      "empty registry, never beside real records: point DATABASE_URL at a new database.")
    if accounts.existing():
        raise Refused(f"This database already has {accounts.PREFIX}* accounts: use a new database.")


@contextmanager
def large_cache():
    """On SQLite, a page cache of 256 MiB for this connection while it loads (the indexes then stay in memory)."""
    if is_postgres():
        yield
        return
    before = database.pragma("cache_size")
    database.pragma("cache_size", -256 * 1024)
    try:
        yield
    finally:
        database.pragma("cache_size", before)


def _plan(n, rng, as_of):
    """(cohorts, enrollments, people) planned in memory."""
    cohorts = training.plan_cohorts(n, rng, as_of)
    enrollments = training.plan_enrollments(cohorts, n, rng, as_of)
    return cohorts, enrollments, register.plan_people(n, enrollments, rng, as_of)


def generate(n, seed=1, as_of=None, password=accounts.PASSWORD, echo=print):
    """Check the database, then plan and insert the synthetic registry of n participants; return a Summary.

    :param as_of: the day the data stands at (default today): nothing is dated after it.
    :raise Refused: the database is not empty (see check_database), or n is below MINIMUM.
    """
    if n < MINIMUM:
        raise Refused(f"Generate at least {MINIMUM} participants (one cohort).")
    check_database()
    as_of, rng = as_of or date.today(), random.Random(seed)
    clock = Stopwatch(echo)
    cohorts, enrollments, plans = clock.run("planning", lambda: _plan(n, rng, as_of))
    with large_cache(), database.atomic():
        pairs, usernames = _load(clock, cohorts, enrollments, plans, rng, as_of, password, echo)
        record_event("synthetic.generate", detail={"participants": n, "seed": seed, "as_of": as_of})
        started = time.perf_counter()
    clock.times["commit"] = time.perf_counter() - started
    clock.run("sequences and statistics", lambda: finish_load(LOADED_WITH_IDS))
    return Summary(clock.times, row_counts(), pairs, usernames)


def _load(clock, cohorts, enrollments, plans, rng, as_of, password, echo):
    """Insert every part in turn; return the near-duplicate pairs and the usernames."""
    start = min(plan.registered_on for plan in plans)
    planned = accounts.plan_accounts(cohorts, rng)
    ids = clock.run("accounts", lambda: accounts.insert_accounts(planned, password, _at(start)))
    accounts.assign_trainers(cohorts, ids, rng)
    officers = accounts.officers_by_province(ids)
    people = Participants(rng)
    person_ids, unreachable = clock.run("participants", lambda: register.insert_people(plans, people, officers, echo))
    names = dict(Province.select(Province.code, Province.name_en).tuples())
    clock.run("programs, cohorts, sessions", lambda: (
        training_rows.insert_programs(_at(start)), training_rows.insert_cohorts(cohorts, officers, names, rng),
        training_rows.insert_sessions(cohorts, rng, echo)))
    clock.run("enrollments and their history", lambda: (
        training_rows.insert_enrollments(enrollments, person_ids, echo),
        training_rows.insert_changes(enrollments, officers, echo)))
    clock.run("attendance marks", lambda: training_rows.insert_attendance(enrollments, echo))
    clock.run("follow-ups and follow-ups due", lambda: insert_outcomes(
        enrollments, person_ids, unreachable, officers, rng, as_of, echo))
    clock.run("exchange rates", lambda: insert_rates(add_years(as_of, -3), as_of, rng))
    return register.duplicate_pairs(plans, person_ids), [username for username, *_rest in planned]


def _at(day):
    """A timestamp early on a day."""
    return datetime(day.year, day.month, day.day, 1)


def _by(model, column):
    """{value: rows} of a table grouped by one column."""
    return dict(model.select(column, fn.COUNT(model.id)).group_by(column).tuples())


def row_counts():
    """Rows per table, with the participants and enrollments by status, marks by kind, follow-ups reached."""
    return {
        "accounts": User.select().count(), "participants": Beneficiary.select().count(),
        "participants by status": _by(Beneficiary, Beneficiary.status),
        "participants by category": _by(Beneficiary, Beneficiary.category),
        "provinces with participants": Beneficiary.select(Beneficiary.province).distinct().count(),
        "programs": Program.select().count(), "cohorts": Cohort.select().count(),
        "cohort trainers": CohortTrainer.select().count(), "sessions": TrainingSession.select().count(),
        "cancelled sessions": TrainingSession.select().where(TrainingSession.cancelled).count(),
        "enrollments": Enrollment.select().count(), "enrollments by status": _by(Enrollment, Enrollment.status),
        "enrolled people": Enrollment.select(Enrollment.beneficiary).distinct().count(),
        "enrollment changes": EnrollmentChange.select().count(), "attendance marks": Attendance.select().count(),
        "marks by kind": _by(Attendance, Attendance.status), "follow-ups": FollowUp.select().count(),
        "follow-ups reached": FollowUp.select().where(FollowUp.reached).count(),
        "follow-ups due": FollowUpDue.select().count(),
        "follow-ups due answered": FollowUpDue.select().where(FollowUpDue.follow_up.is_null(False)).count(),
        "exchange rates": ExchangeRate.select().count(),
    }
