"""Benchmark the donor report at scale: compute and export a fiscal-year indicator report.

It fills a fresh database, with bulk inserts (not the services: too slow at this size), with data in
proportion to N participants, as it stands when FY2026 closes (30 September 2026): about N/40 cohorts
of 20-40 people in 5 programs and the 25 provinces, started over FY2024-FY2026; 27-39 sessions each
(three a week); enrollments for about 60% of the participants (some in two cohorts) with consistent
statuses and dates; about 20 attendance marks per participant; follow-ups 3, 6 and 12 months after
each completion (some unanswered calls, some people re-migrated abroad), incomes in riels and
dollars; a few exchange rates and FY2026 targets. It prints the time each part took to load, then
times --repeat runs of computing the FY2026 report (indicator_report) and of building its workbook
(indicator_workbook, which recomputes Q1-Q4 and the year for the tracking sheet), and each indicator
once. It prints Markdown tables for docs/performance.md. Run from the repository root:

    /tmp/venv/bin/python scripts/bench_reports.py [--participants 100000] [--repeat 3]
        [--database-url URL] [--seed 1]

Without --database-url it uses a new SQLite file in a temporary folder. A PostgreSQL URL is
WIPED first (DROP SCHEMA public CASCADE): never point it at a database you want to keep.
"""
import argparse
import os
import platform
import random
import sys
import time
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from peewee import fn

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import bench_participants  # noqa: E402  (the imports below need the path above)
from bench_participants import People, bench_database, database_kind, generate, percentile  # noqa: E402

from registry import create_app  # noqa: E402
from registry.beneficiaries.models import Beneficiary  # noqa: E402
from registry.db import database, is_postgres, migrate  # noqa: E402
from registry.outcomes.models import WINDOWS, ExchangeRate, FollowUp, FollowUpDue  # noqa: E402
from registry.programs.models import MARKS, Attendance, Cohort, Enrollment, Program, TrainingSession  # noqa: E402
from registry.reports.computations import COMPUTATIONS  # noqa: E402
from registry.reports.indicators import compute, indicator_report  # noqa: E402
from registry.reports.models import Indicator, IndicatorTarget  # noqa: E402
from registry.reports.periods import fiscal_year, fiscal_year_start  # noqa: E402
from registry.reports.workbook import _tracking, indicator_workbook  # noqa: E402
from registry.timeutil import add_months  # noqa: E402
from registry.users.services import create_user  # noqa: E402

# Our participants carry 4 more columns than bench_participants' (36 a row): 1000 a batch would pass
# SQLite's limit of 32,766 parameters a statement.
bench_participants.BATCH = 800

AS_OF = date(2026, 9, 30)  # the data as it stands when FY2026 closes
REPORT_YEAR = 2026
COHORTS_BY_YEAR = {2024: 20, 2025: 30, 2026: 50}  # shares: the project grows
PROGRAMS = [("Sewing", "garment", False), ("Motorbike repair", "mechanics", True),
            ("Cooking and hospitality", "hospitality", False), ("Hairdressing and beauty", "services", False),
            ("Electrical installation", "construction", True)]
PEOPLE_PER_COHORT, COHORT_SIZE, SESSIONS = 40, (20, 40), (27, 39)
ENROLLED_SHARE, LATE_SHARE, CANCELLED_SHARE = 0.6, 0.03, 0.02
ENDED = {"completed": 78, "dropped_out": 16, "withdrawn": 6}  # cohorts over by AS_OF
ONGOING = {"active": 90, "dropped_out": 7, "withdrawn": 3}  # cohorts still running on AS_OF
MARK_WEIGHTS = {"stay": (84, 6, 3, 7), "leave": (60, 8, 7, 25)}  # present, late, excused, absent
LEAVE_REASONS = ["Found work", "Moved away", "Family duties", "Migrated abroad", "Illness", ""]
ATTEMPTED, REACHED, ATTEMPTS = 0.92, 0.7, 3  # follow-ups: tried when due, reached per call, calls at most
WORK = {"wage_employed": 34, "self_employed": 24, "unemployed": 22, "in_training_or_education": 8,
        "migrated_abroad": 12}
EMPLOYERS = ["Garment factory", "Hotel", "Restaurant", "Construction company", "Motorbike shop", "Salon", "Market"]
SECTORS = ["garment", "hospitality", "construction", "mechanics", "services", "agriculture", "retail"]
COUNTRIES = {"Thailand": 60, "Malaysia": 15, "South Korea": 15, "Japan": 10}
BATCH = 5000
FILTERS_TEXT = ["Programs: all", "Provinces: all"]


def parse_args(argv=None):
    """The command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100_000, help="participants generated (default 100000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of the report and workbook (default 3)")
    parser.add_argument("--database-url", help="PostgreSQL URL to WIPE and use (default: a temporary SQLite file)")
    parser.add_argument("--seed", type=int, default=1, help="random seed, for repeatable data (default 1)")
    args = parser.parse_args(argv)
    if args.participants < PEOPLE_PER_COHORT or args.repeat < 1:
        parser.error(f"--participants must be at least {PEOPLE_PER_COHORT}, --repeat at least 1.")
    return args


def bench_config(url):
    """The app configuration of the benchmark."""
    return {"TESTING": False, "SECRET_KEY": "bench", "DATABASE_URL": url, "PASSWORD_HASH_PROFILE": "CHEAPEST"}


def weighted(rng, weights):
    """A key of weights, drawn in proportion to its value."""
    return rng.choices(list(weights), list(weights.values()))[0]


@dataclass(slots=True)
class CohortPlan:
    """A cohort to insert: its sessions' days, how many were held by AS_OF, which of those were cancelled."""

    id: int
    program: int
    province: str
    days: list
    size: int
    held: int = 0
    cancelled: set = field(default_factory=set)
    first_session: int = 0  # the id of its first session; the others follow

    @property
    def start(self):
        """The day of its first session."""
        return self.days[0]

    @property
    def end(self):
        """The day of its last session."""
        return self.days[-1]


@dataclass(slots=True)
class EnrollmentPlan:
    """An enrollment to insert, with the sessions it has marks for (join up to, not including, leave)."""

    id: int
    person: int  # an index into the participants, in insertion order
    cohort: CohortPlan
    enrolled_on: date
    status: str
    status_on: date
    ended_on: date | None
    join: int
    leave: int
    pre: Decimal | None = None
    post: Decimal | None = None


def session_days(start, count):
    """count days on Mondays, Wednesdays and Fridays from a Monday."""
    days, day = [], start
    while len(days) < count:
        if day.weekday() in (0, 2, 4):
            days.append(day)
        day += timedelta(days=1)
    return days


def plan_cohorts(n, rng):
    """About n/40 cohorts over FY2024-FY2026, oldest first, with their sessions' days."""
    starts = []
    for _ in range(max(1, round(n / PEOPLE_PER_COHORT))):
        day = fiscal_year_start(weighted(rng, COHORTS_BY_YEAR), 10) + timedelta(days=rng.randint(0, 357))
        starts.append(day + timedelta(days=-day.weekday() % 7))  # the next Monday
    cohorts = []
    for number, start in enumerate(sorted(starts), 1):
        days = session_days(start, rng.randint(*SESSIONS))
        cohort = CohortPlan(number, rng.randint(1, len(PROGRAMS)), f"{rng.randint(1, 25):02d}", days,
                            rng.randint(*COHORT_SIZE))
        cohort.held = sum(1 for day in days if day <= AS_OF)
        cohort.cancelled = {i for i in range(cohort.held) if rng.random() < CANCELLED_SHARE}
        cohorts.append(cohort)
    return cohorts


def assign_seats(cohorts, n, rng):
    """[(person index, cohort)]: 60% of the people in one cohort; the other seats to people whose first is over."""
    seats = [cohort for cohort in cohorts for _ in range(cohort.size)]
    rng.shuffle(seats)
    pool = list(range(n))
    rng.shuffle(pool)
    firsts = min(len(seats), round(ENROLLED_SHARE * n))
    pairs = list(zip(pool[:firsts], seats[:firsts]))
    by_end = sorted(pairs, key=lambda pair: pair[1].end)
    ends = [cohort.end for _person, cohort in by_end]
    fresh, again = iter(pool[firsts:]), set()
    for cohort in seats[firsts:]:
        done_before = bisect_left(ends, cohort.start)  # people whose first cohort ended before this one starts
        for _ in range(20 if done_before else 0):
            person = by_end[rng.randrange(done_before)][0]
            if person not in again:
                again.add(person)
                pairs.append((person, cohort))
                break
        else:
            person = next(fresh, None)  # early cohorts: nobody has finished a first one yet
            if person is not None:
                pairs.append((person, cohort))
    return sorted(pairs, key=lambda pair: (pair[1].id, pair[0]))


def settle(number, person, cohort, rng):
    """An enrollment's status and dates, consistent with its cohort's sessions and AS_OF."""
    held = cohort.held
    join = rng.randint(1, 2) if held >= 4 and rng.random() < LATE_SHARE else 0
    enrolled_on = cohort.days[join] if join else cohort.start - timedelta(days=rng.randint(0, 21))
    status = weighted(rng, ENDED if cohort.end <= AS_OF else ONGOING)
    leave, ended_on = held, None
    if status in ("dropped_out", "withdrawn"):
        if held - join < 3:
            status = "active"
        else:
            last = join + (held - join) // 4 if status == "withdrawn" else held - 1
            leave = rng.randint(join if status == "withdrawn" else join + 1, last)
            ended_on = cohort.days[leave]
    elif status == "completed":
        ended_on = min(cohort.end + timedelta(days=rng.randint(0, 7)), AS_OF)
    if status == "active" and held <= join:
        status = "enrolled"
    status_on = ended_on or (cohort.days[join] if status == "active" else enrolled_on)
    plan = EnrollmentPlan(number, person, cohort, enrolled_on, status, status_on, ended_on, join, leave)
    if rng.random() < 0.5:  # half have soft-skills scores: pre on entry, post for completers
        plan.pre = Decimal(rng.randint(30, 80))
        if status == "completed":
            plan.post = Decimal(max(0, min(100, int(plan.pre) + round(rng.gauss(8, 10)))))
    return plan


def plan_enrollments(cohorts, n, rng):
    """Every enrollment, in cohort order."""
    return [settle(number, person, cohort, rng)
            for number, (person, cohort) in enumerate(assign_seats(cohorts, n, rng), 1)]


def plan_people(n, enrollments, rng):
    """Per person: (registered_on, province): registered before their first enrollment, living near its cohort."""
    first = {}
    for e in enrollments:
        if e.person not in first or e.enrolled_on < first[e.person].enrolled_on:
            first[e.person] = e
    span = (AS_OF - date(2023, 7, 1)).days
    plans = []
    for person in range(n):
        e = first.get(person)
        if e is None:
            plans.append((date(2023, 7, 1) + timedelta(days=rng.randrange(span)), f"{rng.randint(1, 25):02d}"))
        else:
            province = e.cohort.province if rng.random() < 0.9 else f"{rng.randint(1, 25):02d}"
            plans.append((e.enrolled_on - timedelta(days=rng.randint(0, 60)), province))
    return plans


class Participants(People):
    """bench_participants' generator, plus planned registration and province, baseline income and disability."""

    def __init__(self, rng, plans):
        """plans: (registered_on, province) per person, in the order generate() asks for them."""
        super().__init__(rng)
        self.plans = iter(plans)

    def baseline(self):
        """Work and monthly income at registration: not asked, none, or an income in riels or dollars."""
        rng = self.rng
        draw = rng.random()
        if draw < 0.2:
            return None, None, None
        if draw < 0.45:
            return "unemployed", Decimal(0), None
        if rng.random() < 0.6:
            return rng.choice(("wage_employed", "self_employed")), Decimal(rng.randint(30, 160) * 10_000), "KHR"
        return rng.choice(("wage_employed", "self_employed")), Decimal(rng.randint(80, 400)), "USD"

    def person(self):
        """The values of the next planned participant (every row has the same keys, as insert_many needs)."""
        registered_on, province = next(self.plans)
        employment, income, currency = self.baseline()
        draw = self.rng.random()
        return {**super().person(), "province": province, "registered_on": registered_on, "consent_on": registered_on,
                "baseline_employment": employment, "baseline_monthly_income": income,
                "baseline_income_currency": currency,
                "disability": True if draw < 0.06 else (False if draw < 0.8 else None)}


def chunks(rows, size):
    """rows (any iterable) in lists of at most size."""
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def bulk(model, fields, rows, size=None):
    """Insert tuples of fields with insert_many in batches, in one transaction; return how many."""
    size = size or min(BATCH, 30_000 // len(fields))  # under SQLite's 32,766 parameters a statement
    count = 0
    with database.atomic():
        for batch in chunks(rows, size):
            model.insert_many(batch, fields=fields).execute()
            count += len(batch)
    return count


def load_training(cohorts, admin):
    """Programs, cohorts and their sessions (ids given, so that the plans know them)."""
    bulk(Program, [Program.id, Program.name, Program.sector, Program.min_attendance, Program.assessment_required],
         [(n, name, sector, Decimal("0.8"), assessed) for n, (name, sector, assessed) in enumerate(PROGRAMS, 1)])
    created = datetime(2023, 9, 1, 9)
    bulk(Cohort, [Cohort.id, Cohort.program, Cohort.name, Cohort.venue, Cohort.province, Cohort.start_on,
                  Cohort.end_on, Cohort.capacity, Cohort.created_by, Cohort.created_at],
         [(c.id, c.program, f"{PROGRAMS[c.program - 1][0]} {c.province}-{c.id}", "Training centre", c.province,
           c.start, c.end, c.size, admin, created) for c in cohorts])
    rows, number = [], 0
    for cohort in cohorts:
        cohort.first_session = number + 1
        for index, day in enumerate(cohort.days):
            number += 1
            rows.append((number, cohort.id, day, Decimal(3), index in cohort.cancelled,
                         "Trainer ill" if index in cohort.cancelled else ""))
    bulk(TrainingSession, [TrainingSession.id, TrainingSession.cohort, TrainingSession.held_on,
                           TrainingSession.hours, TrainingSession.cancelled, TrainingSession.note], rows)


def load_enrollments(enrollments, person_ids, rng):
    """The enrollments, with a reason for those who left."""
    fields = [Enrollment.id, Enrollment.beneficiary, Enrollment.cohort, Enrollment.enrolled_on, Enrollment.status,
              Enrollment.status_on, Enrollment.ended_on, Enrollment.leave_reason, Enrollment.override_reason,
              Enrollment.assessment_passed, Enrollment.pre_score, Enrollment.post_score, Enrollment.created_at]
    assessed = {n for n, (_name, _sector, flag) in enumerate(PROGRAMS, 1) if flag}
    bulk(Enrollment, fields, (
        (e.id, person_ids[e.person], e.cohort.id, e.enrolled_on, e.status, e.status_on, e.ended_on,
         rng.choice(LEAVE_REASONS) if e.status in ("dropped_out", "withdrawn") else "", "",
         True if e.status == "completed" and e.cohort.program in assessed else None, e.pre, e.post,
         datetime.combine(e.enrolled_on, datetime.min.time()).replace(hour=9)) for e in enrollments))


def attendance_rows(enrollments, admin, rng):
    """One mark per enrollment and held, not cancelled session while the person was there (a generator)."""
    for e in enrollments:
        cohort = e.cohort
        sessions = [i for i in range(e.join, e.leave) if i not in cohort.cancelled]
        weights = MARK_WEIGHTS["leave" if e.status in ("dropped_out", "withdrawn") else "stay"]
        for index, mark in zip(sessions, rng.choices(MARKS, weights, k=len(sessions))):
            day = cohort.days[index]
            yield (e.id, cohort.first_session + index, mark, admin,
                   datetime(day.year, day.month, day.day, 16, 30))


FOLLOW_UP_FIELDS = [FollowUp.id, FollowUp.beneficiary, FollowUp.enrollment, FollowUp.window_months,
                    FollowUp.followed_on, FollowUp.reached, FollowUp.method, FollowUp.status, FollowUp.job_started_on,
                    FollowUp.employer, FollowUp.sector, FollowUp.related_to_training, FollowUp.monthly_income,
                    FollowUp.currency, FollowUp.hours_per_week, FollowUp.country, FollowUp.regular_channels,
                    FollowUp.note, FollowUp.recorded_by, FollowUp.created_at]


def work_now(e, on, rng):
    """What a reached person says at a follow-up: {status, job, income, migration} values."""
    status = weighted(rng, WORK)
    values = {"status": status}
    if status in ("wage_employed", "self_employed"):
        draw = rng.random()
        if draw < 0.85:  # found after the training
            values["job_started_on"] = e.ended_on - timedelta(days=30 - rng.randint(0, (on - e.ended_on).days + 30))
        elif draw < 0.95:  # the same job as before
            values["job_started_on"] = e.enrolled_on - timedelta(days=rng.randint(30, 700))
        values.update(employer=rng.choice(EMPLOYERS) if status == "wage_employed" else "",
                      sector=rng.choice(SECTORS), related_to_training=rng.random() < 0.65,
                      hours_per_week=Decimal(rng.randint(20, 60)))
        if rng.random() < 0.9:
            values.update(monthly_income=Decimal(rng.randint(40, 250) * 10_000), currency="KHR") \
                if rng.random() < 0.55 else values.update(monthly_income=Decimal(rng.randint(120, 600)), currency="USD")
    elif status == "migrated_abroad":
        values.update(country=weighted(rng, COUNTRIES),
                      regular_channels=weighted(rng, {True: 45, False: 45, None: 10}))
        if rng.random() < 0.4:
            values.update(monthly_income=Decimal(rng.randint(250, 900)), currency="USD")
    return values


def follow_up_row(number, e, person_id, window, on, reached, admin, rng):
    """One follow-up as a tuple of FOLLOW_UP_FIELDS."""
    values = {"id": number, "beneficiary": person_id, "enrollment": e.id, "window_months": window, "followed_on": on,
              "reached": reached, "method": weighted(rng, {"phone": 75, "visit": 20, "other": 5}),
              "employer": "", "sector": "", "country": "", "note": "", "recorded_by": admin,
              "created_at": datetime(on.year, on.month, on.day, 10)}
    if reached:
        values.update(work_now(e, on, rng))
    else:
        values["method"] = "phone"
    return tuple(values.get(f.name) for f in FOLLOW_UP_FIELDS)


def follow_ups(enrollments, person_ids, admin, rng):
    """(follow-up rows, due rows): each completion's 3 due windows, called when due (again when unanswered)."""
    rows, dues = [], []
    for e in enrollments:
        if e.status != "completed":
            continue
        for window in WINDOWS:
            due, answered = add_months(e.ended_on, window), None
            on = due + timedelta(days=rng.randint(-10, 20))
            for _attempt in range(ATTEMPTS if rng.random() < ATTEMPTED else 0):
                if on > AS_OF:
                    break
                reached = rng.random() < REACHED
                rows.append(follow_up_row(len(rows) + 1, e, person_ids[e.person], window, on, reached, admin, rng))
                answered = answered or len(rows)  # the first follow-up of a window answers it, as in the service
                if reached:
                    break
                on += timedelta(days=rng.randint(3, 20))
            dues.append((e.id, window, due, answered))
    return rows, dues


def load_outcomes(enrollments, person_ids, admin, rng):
    """Follow-ups, the follow-ups due, exchange rates for 18 months and FY2026 targets for every indicator."""
    rows, dues = follow_ups(enrollments, person_ids, admin, rng)
    bulk(FollowUp, FOLLOW_UP_FIELDS, rows)
    bulk(FollowUpDue, [FollowUpDue.enrollment, FollowUpDue.window_months, FollowUpDue.due_on, FollowUpDue.follow_up],
         dues)
    months = [add_months(date(2025, 4, 1), n) for n in range(18)]  # earlier months use the default rate
    bulk(ExchangeRate, [ExchangeRate.month, ExchangeRate.khr_per_usd, ExchangeRate.set_by, ExchangeRate.set_at],
         [(month, Decimal(4000 + rng.randint(0, 120)), admin, datetime(month.year, month.month, 1, 8))
          for month in months])
    targets = []
    for indicator in Indicator.select():
        kind = COMPUTATIONS[indicator.computation].kind
        year = {"count": Decimal(round(len(person_ids) * 0.2)), "percent": Decimal("0.7"),
                "average": Decimal("0.25")}[kind]
        targets += [(indicator.id, REPORT_YEAR, quarter, year / 4 if kind == "count" and quarter else year)
                    for quarter in range(5)]
    bulk(IndicatorTarget, [IndicatorTarget.indicator, IndicatorTarget.fiscal_year, IndicatorTarget.quarter,
                           IndicatorTarget.target], targets)


def finish_postgres():
    """Move the id sequences past the ids inserted, and ANALYZE (as autovacuum would soon after a load)."""
    for model in (Program, Cohort, TrainingSession, Enrollment, FollowUp):
        table = model._meta.table_name
        database.execute_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                             f"(SELECT MAX(id) FROM {table}))")
    database.execute_sql("ANALYZE")


def timed_step(times, name, action):
    """Run action(), keep and print how long it took; return its result."""
    started = time.perf_counter()
    result = action()
    times[name] = time.perf_counter() - started
    print(f"  {name}: {times[name]:.1f} s", file=sys.stderr, flush=True)
    return result


def load(n, rng):
    """Plan and insert every table; return the load times by part."""
    user = create_user("bench", "Benchmark admin", "admin", "bench-password-1")
    admin, times = user.id, {}
    cohorts = plan_cohorts(n, rng)
    enrollments = plan_enrollments(cohorts, n, rng)
    people = Participants(rng, plan_people(n, enrollments, rng))
    timed_step(times, "participants", lambda: generate(n, people, user))
    person_ids = [row[0] for row in Beneficiary.select(Beneficiary.id).order_by(Beneficiary.id).tuples()]
    timed_step(times, "programs, cohorts, sessions", lambda: load_training(cohorts, admin))
    timed_step(times, "enrollments", lambda: load_enrollments(enrollments, person_ids, rng))
    timed_step(times, "attendance marks", lambda: bulk(
        Attendance, [Attendance.enrollment, Attendance.session, Attendance.status, Attendance.recorded_by,
                     Attendance.recorded_at], attendance_rows(enrollments, admin, rng)))
    timed_step(times, "follow-ups, due, rates, targets", lambda: load_outcomes(enrollments, person_ids, admin, rng))
    if is_postgres():
        timed_step(times, "sequences and ANALYZE", finish_postgres)
    return times


def row_counts():
    """Rows per table after the load, with the enrollments' statuses and the follow-ups reached."""
    statuses = dict(Enrollment.select(Enrollment.status, fn.COUNT(Enrollment.id)).group_by(Enrollment.status)
                    .tuples())
    people = Enrollment.select(Enrollment.beneficiary).distinct().count()
    return {"participants": Beneficiary.select().count(), "programs": Program.select().count(),
            "cohorts": Cohort.select().count(), "sessions": TrainingSession.select().count(),
            "enrollments": sum(statuses.values()), "enrolled people": people, "statuses": statuses,
            "attendance marks": Attendance.select().count(), "follow-ups": FollowUp.select().count(),
            "reached": FollowUp.select().where(FollowUp.reached).count(),
            "follow-ups due": FollowUpDue.select().count(), "exchange rates": ExchangeRate.select().count()}


def summary(seconds):
    """min and median (nearest rank) of timings, in seconds."""
    return {"min": min(seconds), "median": percentile(seconds, 0.5), "runs": seconds}


def time_report(repeat):
    """Time repeat runs of computing the FY2026 report, then building its workbook from it."""
    period = fiscal_year(REPORT_YEAR)
    computed, built, sizes = [], [], set()
    for turn in range(1, repeat + 1):
        started = time.perf_counter()
        report = indicator_report(period)
        middle = time.perf_counter()
        content = indicator_workbook(report, [], None, FILTERS_TEXT)  # changes report: a new one each run
        finished = time.perf_counter()
        computed.append(middle - started)
        built.append(finished - middle)
        sizes.add(len(content))
        print(f"  run {turn}: report {computed[-1]:.2f} s, workbook {built[-1]:.2f} s", file=sys.stderr, flush=True)
    return {"compute": summary(computed), "workbook": summary(built),
            "export": summary([a + b for a, b in zip(computed, built)]), "bytes": max(sizes), "report": report}


def time_indicators():
    """Each FY2026 indicator computed once: [(code, computation, denominator, value, seconds)], slowest first."""
    period = fiscal_year(REPORT_YEAR)
    filters = {"start": period.start, "end": period.end, "programs": [], "provinces": None}
    rows = []
    for indicator in Indicator.reported():
        started = time.perf_counter()
        result = compute(indicator, filters)
        rows.append((indicator.code, indicator.computation, result["numerator"], result["denominator"],
                     result["value"], time.perf_counter() - started))
    return sorted(rows, key=lambda row: -row[-1])


def time_tracking():
    """The tracking sheet's five reports (Q1-Q4 and the year) alone, once."""
    started = time.perf_counter()
    _tracking(REPORT_YEAR, [], None)
    return time.perf_counter() - started


def memory_gib():
    """The machine's memory, in GiB."""
    with open("/proc/meminfo") as meminfo:
        return int(meminfo.readline().split()[1]) / 2 ** 20


def run(url, args):
    """Build the app on url, load the data, time the report and return the figures."""
    app = create_app(bench_config(url))
    load_average = os.getloadavg()[0]  # other work on the machine slows every figure
    rng = random.Random(args.seed)
    with app.app_context(), app.test_request_context(), database.connection_context():
        migrate()
        print(f"Loading {args.participants:,} participants and their training…", file=sys.stderr, flush=True)
        times = load(args.participants, rng)
        counts = row_counts()
        print("Timing the FY2026 report…", file=sys.stderr, flush=True)
        indicators = time_indicators()
        tracking = time_tracking()
        report = time_report(args.repeat)
        return {"kind": database_kind(), "nproc": len(os.sched_getaffinity(0)), "memory": memory_gib(),
                "load": load_average, "n": args.participants, "times": times, "counts": counts,
                "indicators": indicators, "tracking": tracking, **report}


def seconds(figures):
    """A min/median summary as table text."""
    runs = ", ".join(f"{s:.2f}" for s in figures["runs"])
    return f"min {figures['min']:.2f} s, median {figures['median']:.2f} s (runs: {runs})"


def table(figures):
    """The figures as Markdown: the main table, then the indicators slowest first."""
    counts, times, n = figures["counts"], figures["times"], figures["n"]
    statuses = counts["statuses"]
    shares = ", ".join(f"{status} {count / counts['enrollments']:.0%}"
                       for status, count in sorted(statuses.items(), key=lambda item: -item[1]))
    loaded = [(f"Load: {part}", f"{s:.1f} s") for part, s in times.items()]
    marks_s = times["attendance marks"]
    loaded[[part for part, _s in loaded].index("Load: attendance marks")] = (
        "Load: attendance marks", f"{marks_s:.1f} s ({counts['attendance marks'] / marks_s:,.0f} rows/s)")
    lines = [
        ("Database", figures["kind"]),
        ("Machine", f"{figures['nproc']} CPU (nproc), {figures['memory']:.0f} GiB, Python {platform.python_version()}, "
                    f"load average {figures['load']:.2f} at the start"),
        ("Participants (N)", f"{n:,} ({counts['enrolled people']:,} enrolled: {counts['enrolled people'] / n:.0%})"),
        ("Programs / cohorts / sessions", f"{counts['programs']} / {counts['cohorts']:,} / {counts['sessions']:,}"),
        ("Enrollments", f"{counts['enrollments']:,} ({shares})"),
        ("Attendance marks", f"{counts['attendance marks']:,} ({counts['attendance marks'] / n:.1f} × N)"),
        ("Follow-ups (reached) / follow-ups due", f"{counts['follow-ups']:,} ({counts['reached']:,}) / "
                                                  f"{counts['follow-ups due']:,}"),
        ("Exchange rates", str(counts["exchange rates"])),
        *loaded,
        ("FY2026 report computed (`indicator_report`, 10 indicators)", seconds(figures["compute"])),
        ("FY2026 workbook built (`indicator_workbook`: tracking Q1-Q4 + FY, openpyxl)", seconds(figures["workbook"])),
        ("of which the tracking sheet's 5 reports (once)", f"{figures['tracking']:.2f} s"),
        ("Export total (report + workbook, as `GET /reports/export.xlsx`)", seconds(figures["export"])),
        ("Workbook size", f"{figures['bytes']:,} bytes"),
    ]
    main = "\n".join(["| Measure | Value |", "|---|---|"] + [f"| {a} | {b} |" for a, b in lines])
    slow = "\n".join(["| Indicator | Computation | Numerator | Denominator | Value | Time |", "|" + "---|" * 6]
                     + [f"| {code} | {name} | {num} | {den if den is not None else ''} | {value} | {s * 1000:.0f} ms |"
                        for code, name, num, den, value, s in figures["indicators"]])
    return f"{main}\n\nFY2026, each indicator computed once (`compute`), slowest first:\n\n{slow}"


def main(argv=None):
    """Run the benchmark on the chosen database and print the tables."""
    args = parse_args(argv)
    with bench_database(args.database_url, "bench-reports-") as url:
        print(table(run(url, args)))


if __name__ == "__main__":
    main()
