"""A cohort's seats: how many are taken, who of a batch would get one and who would wait, counted one writer at a time.

Seats are a limit that several officers (pages, API, workers) share. A writer takes the cohort
row's lock before it counts, in the transaction that then writes: a second writer counts only
after the first has committed, so two people never get the last seat.
"""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from peewee import fn

from registry.db import is_postgres
from registry.programs.models import Cohort, Enrollment

SEATED = ("enrolled", "active", "completed")  # statuses that take a seat in the cohort


@dataclass
class Seats:
    """A cohort's capacity, the seats taken and left, and how many people wait."""

    capacity: int
    taken: int
    waiting: int

    @property
    def left(self):
        """Seats free (never below zero, even when the capacity was lowered under the seats taken)."""
        return max(0, self.capacity - self.taken)


@dataclass
class EnrollPlan:
    """What enrolling a batch does: who gets a seat, who goes to the waitlist, who cannot be enrolled and why."""

    seated: list = field(default_factory=list)  # participants
    waiting: list = field(default_factory=list)  # participants
    skipped: list = field(default_factory=list)  # (participant, reason)
    enrollments: list = field(default_factory=list)  # the enrollments written, once saved


def seats_taken(cohort):
    """How many seats of a cohort are taken."""
    return cohort.enrollments.where(Enrollment.status.in_(SEATED)).count()


def seats_of(cohort):
    """The cohort's Seats, read now."""
    counts = dict(Enrollment.select(Enrollment.status, fn.COUNT(Enrollment.id)).where(Enrollment.cohort == cohort)
                  .group_by(Enrollment.status).tuples())
    return Seats(cohort.capacity, sum(counts.get(s, 0) for s in SEATED), counts.get("waitlisted", 0))


def lock_cohort(cohort):
    """Hold the cohort's row lock until the transaction ends, and return the cohort as stored (its capacity now).

    Call it inside the transaction that counts seats and then writes. On PostgreSQL, SELECT ... FOR
    UPDATE makes a second writer wait for the first one's commit. SQLite transactions here begin
    IMMEDIATE (registry.db), which already takes the database's write lock: a second writer waits
    at its BEGIN, before it reads anything.
    """
    query = Cohort.select().where(Cohort.id == cohort.id)
    return (query.for_update() if is_postgres() else query).get()


def plan_enrollment(cohort, beneficiaries):
    """Who of these participants would get a seat and who would wait, in the order given; nothing is written."""
    present = {e.beneficiary_id for e in Enrollment.select(Enrollment.beneficiary)
               .where((Enrollment.cohort == cohort) & Enrollment.beneficiary.in_([b.id for b in beneficiaries]))}
    free = seats_of(cohort).left
    plan = EnrollPlan()
    for beneficiary in beneficiaries:
        if beneficiary.status != "active":
            plan.skipped.append((beneficiary, str(_l("Only an active participant can be enrolled."))))
        elif beneficiary.id in present:
            plan.skipped.append((beneficiary, _("%(code)s is already in this cohort.", code=beneficiary.code)))
        elif free > 0:
            plan.seated.append(beneficiary)
            free -= 1
        else:
            plan.waiting.append(beneficiary)
        present.add(beneficiary.id)  # the same person twice in a batch: the second is skipped
    return plan
