"""Synthetic training: cohorts with their session days, seats, and enrollments settled with their marks.

Everything is planned in memory first (ids given, so that later rows can point at earlier ones),
then written as rows by registry.synthetic.rows. Each enrollment is consistent with its cohort and
with the day the data stands at (as_of): dates in order, marks only on sessions held (not cancelled)
while it was open, completion only where the program's rule holds or with a written override.

Some cohorts fill up and keep a waitlist, as the services make one: people who asked after the
last seat was taken wait with no enrollment date (enrolled_on None); a seat freed by someone who
left is given to one of them on a later session's day (their enrollment date); the others are
withdrawn from the waitlist, or, in a cohort that has not ended, still wait.
"""
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from registry.synthetic import vocabulary as words
from registry.synthetic.draws import Weighted, cover, weighted
from registry.timeutil import add_years

PEOPLE_PER_COHORT, COHORT_SIZE, SESSIONS = 40, (20, 40), (20, 32)
COHORTS_BY_YEAR = (20, 30, 50)  # shares of the three years before as_of: the project grows
UPCOMING_SHARE = 0.03  # cohorts starting in the next four weeks, people already enrolled
ENROLLED_SHARE, LATE_SHARE, CANCELLED_SHARE, GAP_SHARE = 0.6, 0.03, 0.02, 0.005
ENDED = {"completed": 78, "dropped_out": 16, "withdrawn": 6}  # cohorts over by as_of
ONGOING = {"active": 90, "dropped_out": 7, "withdrawn": 3}  # cohorts still running on as_of
# Attenders: (share, weights of present, late, excused, absent); some people miss more than others.
ATTENDERS = {(84, 6, 3, 7): 70, (74, 8, 6, 12): 25, (55, 8, 7, 30): 5}
FIXED_SHARE = 0.75  # completers below the rule who in fact came (their absences were wrong), the rest overridden
MARK_CODES = {"P": "present", "L": "late", "E": "excused", "A": "absent"}
WAITLIST_SHARE, WAITING = 0.2, (1, 5)  # cohorts that filled up and kept a waitlist; people waiting on each
ADMITTED_SHARE = 0.6  # seats freed by leavers that went to someone waiting
WAITLIST_REASONS = ["No seat came free before the cohort ended", "Found work while waiting", "Joined another cohort",
                    "Moved to another province"]


@dataclass(slots=True)
class CohortPlan:
    """A cohort to insert: its sessions' days, how many were held by as_of, which of those were cancelled."""

    id: int
    program: int  # an index into vocabulary.PROGRAMS
    province: str
    days: list
    size: int
    held: int = 0
    cancelled: frozenset = frozenset()
    hours: Decimal = Decimal(3)  # of each session
    first_session: int = 0  # the id of its first session; the others follow
    trainers: list = field(default_factory=list)  # user ids
    full: int | None = None  # the seats, when the cohort filled up and kept a waitlist (its capacity then)

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
    """An enrollment to insert, with its marks from session join on (one letter each, "-" cancelled, "." none).

    requested_on is the day asked for; enrolled_on the day of the seat (the same day unless the person
    waited: then the day of admission, or None when never admitted).
    """

    id: int
    person: int  # an index into the people plan
    cohort: CohortPlan
    enrolled_on: date | None
    requested_on: date | None = None  # defaults to enrolled_on
    waited: bool = False  # put on the waitlist first
    status: str = "enrolled"
    ended_on: date | None = None
    join: int = 0
    marks: str = ""
    reason: str = ""
    override: str = ""
    pre: Decimal | None = None
    post: Decimal | None = None

    def __post_init__(self):
        if self.requested_on is None:
            self.requested_on = self.enrolled_on

    @property
    def first_attended(self):
        """The day of the first session attended (present or late), or None."""
        for offset, mark in enumerate(self.marks):
            if mark in "PL":
                return self.cohort.days[self.join + offset]
        return None

    @property
    def status_on(self):
        """The day of the latest status change."""
        if self.ended_on:
            return self.ended_on
        if self.status == "waitlisted":
            return self.requested_on
        return self.first_attended if self.status == "active" else self.enrolled_on


def session_days(start, count, weekdays):
    """count days on the given weekdays, from start on."""
    days, day = [], start
    while len(days) < count:
        if day.weekday() in weekdays:
            days.append(day)
        day += timedelta(days=1)
    return days


def _start_day(rng, as_of):
    """The first day of a cohort: mostly over the three years before as_of, a few in the coming weeks."""
    if rng.random() < UPCOMING_SHARE:
        return as_of + timedelta(days=rng.randint(1, 28))
    years_back = 3 - rng.choices(range(3), COHORTS_BY_YEAR)[0]
    return add_years(as_of, -years_back) + timedelta(days=rng.randint(1, 357))


def plan_cohorts(n, rng, as_of):
    """About n/40 cohorts, oldest first, with their sessions' days; every province has one when there are 25."""
    programs = Weighted({number: p[-1] for number, p in enumerate(words.PROGRAMS)})
    provinces, patterns = Weighted(words.PROVINCES), Weighted(words.WEEKDAYS)
    planned = []
    for _ in range(max(1, round(n / PEOPLE_PER_COHORT))):
        weekdays = patterns.draw(rng)
        days = session_days(_start_day(rng, as_of), rng.randint(*SESSIONS), weekdays)
        planned.append((days, programs.draw(rng), provinces.draw(rng), Decimal(4 if len(weekdays) == 5 else 3)))
    planned.sort(key=lambda plan: plan[0][0])
    where = cover([plan[2] for plan in planned], list(words.PROVINCES), rng)
    cohorts = []
    for number, ((days, program, _p, hours), province) in enumerate(zip(planned, where), 1):
        cohort = CohortPlan(number, program, province, days, rng.randint(*COHORT_SIZE), hours=hours)
        cohort.held = bisect_right(days, as_of)
        cohort.cancelled = frozenset(i for i in range(cohort.held) if rng.random() < CANCELLED_SHARE)
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


def _leave(e, rng):
    """Settle when a leaver left: (the index after their last session while open, the day they left) or None."""
    cohort, held, join = e.cohort, e.cohort.held, e.join
    if e.status == "withdrawn":
        if e.enrolled_on < cohort.start and rng.random() < 0.3:  # before the first session
            return join, e.enrolled_on + timedelta(days=rng.randint(0, (cohort.start - e.enrolled_on).days - 1))
        if held - join >= 4:
            leave = rng.randint(join, join + (held - join) // 4)
            return leave + 1, cohort.days[leave]
    elif held - join >= 3:  # dropped out: recorded on the day of a session they missed
        leave = rng.randint(join + 2, held - 1)
        return leave + 1, cohort.days[leave]
    return None


def _marks(e, stop, rng):
    """The marks of sessions join..stop-1: drawn for the person, the last ones absent for a leaver."""
    cohort, weights = e.cohort, weighted(rng, ATTENDERS)
    drawn = rng.choices("PLEA", weights, k=max(0, stop - e.join))
    marks = ["-" if i in cohort.cancelled else ("." if rng.random() < GAP_SHARE else drawn[i - e.join])
             for i in range(e.join, stop)]
    if e.status in ("dropped_out", "withdrawn"):
        held = [at for at, mark in enumerate(marks) if mark != "-"]
        for at in held[-rng.randint(1, 3):]:
            marks[at] = "A"
    return marks


def _meet_rule(e, marks, rule, rng):
    """A completer below the attendance rule: most came in fact (marks corrected), the rest are overridden."""
    held = [at for at, mark in enumerate(marks) if mark != "-"]
    missed = [at for at in held if marks[at] not in "PL"]
    needed = int(rule * len(held) + Decimal("0.9999")) - (len(held) - len(missed))
    if needed <= 0:
        return
    if rng.random() < FIXED_SHARE:
        for at in rng.sample(missed, needed):
            marks[at] = "P"
    else:
        e.override = rng.choice(words.OVERRIDE_REASONS)


def settle(number, person, cohort, rng, as_of):
    """An enrollment's status, dates and marks, consistent with its cohort's sessions and as_of."""
    held = cohort.held
    join = rng.randint(1, 2) if held >= 4 and rng.random() < LATE_SHARE else 0
    enrolled_on = cohort.days[join] if join else min(cohort.start - timedelta(days=rng.randint(0, 21)), as_of)
    return _attend(EnrollmentPlan(number, person, cohort, enrolled_on, join=join), rng, as_of)


def _attend(e, rng, as_of):
    """Settle a seated enrollment from its first session (join) on: status, leaving, marks, scores."""
    cohort, held, join = e.cohort, e.cohort.held, e.join
    e.status = weighted(rng, ENDED if cohort.end <= as_of else ONGOING) if held > join else "enrolled"
    stop = held
    if e.status in ("dropped_out", "withdrawn"):
        left = _leave(e, rng)
        if left:
            (stop, e.ended_on), e.reason = left, rng.choice(
                words.WITHDRAWAL_REASONS if e.status == "withdrawn" else words.DROPOUT_REASONS)
        else:
            e.status = "completed" if cohort.end <= as_of else "active"
    if e.status == "completed":
        e.ended_on = min(cohort.end + timedelta(days=rng.randint(0, 7)), as_of)
    marks = _marks(e, stop, rng)
    if e.status == "completed":
        _meet_rule(e, marks, Decimal(words.PROGRAMS[cohort.program][3]), rng)
    e.marks = "".join(marks)
    if e.status == "active" and e.first_attended is None:
        e.status = "enrolled"  # nobody marked them present yet
    if rng.random() < 0.5:  # half have soft-skills scores: pre on entry, post for completers
        e.pre = Decimal(rng.randint(30, 80))
        if e.status == "completed":
            e.post = Decimal(max(0, min(100, int(e.pre) + round(rng.gauss(8, 10)))))
    return e


def plan_enrollments(cohorts, n, rng, as_of):
    """Every enrollment, in cohort order, then the waitlists of the cohorts that filled up."""
    enrollments = [settle(number, person, cohort, rng, as_of)
                   for number, (person, cohort) in enumerate(assign_seats(cohorts, n, rng), 1)]
    return enrollments + plan_waitlists(cohorts, enrollments, n, rng, as_of)


def plan_waitlists(cohorts, enrollments, n, rng, as_of):
    """The people waiting on the cohorts that filled up (chosen among people with no other enrollment)."""
    by_cohort = {}
    for e in enrollments:
        by_cohort.setdefault(e.cohort.id, []).append(e)
    free = sorted(set(range(n)) - {e.person for e in enrollments})
    rng.shuffle(free)
    waiting, number = [], len(enrollments)
    for cohort in cohorts:
        seated = by_cohort.get(cohort.id, [])
        if not seated or not free or rng.random() >= WAITLIST_SHARE:
            continue
        cohort.full = len(seated)
        # They asked once every seat was taken: after the last seated person's request.
        asked = max(e.requested_on for e in seated)
        leavers = sorted((e.ended_on for e in seated if e.status in ("dropped_out", "withdrawn")), reverse=True)
        for _ in range(min(rng.randint(*WAITING), len(free))):
            requested_on = asked + timedelta(days=rng.randint(0, 3))
            if requested_on > min(as_of, cohort.end):
                break
            number += 1
            seat = leavers.pop() if leavers and rng.random() < ADMITTED_SHARE else None
            waiting.append(_wait(number, free.pop(), cohort, requested_on, seat, rng, as_of))
    return waiting


def _wait(number, person, cohort, requested_on, freed_on, rng, as_of):
    """One person on a waitlist, admitted or not.

    Admitted on the first session held after the seat freed on freed_on (when one was, and such a
    session took place by as_of); else withdrawn from the waitlist or, while the cohort runs, waiting.
    """
    after = max(freed_on, requested_on) if freed_on else None
    join = next((i for i in range(cohort.held) if after and cohort.days[i] > after and i not in cohort.cancelled),
                None)
    if join is not None:
        return _attend(EnrollmentPlan(number, person, cohort, cohort.days[join], requested_on=requested_on,
                                      waited=True, join=join), rng, as_of)
    e = EnrollmentPlan(number, person, cohort, None, requested_on=requested_on, waited=True, status="waitlisted")
    if cohort.end > as_of and rng.random() < 0.7:
        return e  # still waiting
    e.status, e.reason = "withdrawn", rng.choice(WAITLIST_REASONS)
    e.ended_on = min(requested_on + timedelta(days=rng.randint(1, 30)), as_of, cohort.end)  # never before asked
    return e
