"""A trainer's home: each of their cohorts' counts, and who is below the program's attendance rule.

The cohorts are those of the attendance chart (under way or ended lately, the last started first); the
rates are those of the cohort page (programs.attendance.rates, docs/domain.md#attendance), and "below the
rule" is the cohort page's flag: a person still in training whose rate is under the program's minimum.
A fixed number of statements, however many cohorts and people.
"""
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from peewee import fn

from registry.beneficiaries.models import Beneficiary
from registry.programs.attendance import rates
from registry.programs.models import Enrollment, TrainingSession
from registry.programs.seats import SEATED

IN_TRAINING = ("enrolled", "active")


@dataclass(frozen=True)
class BelowRule:
    """A person of a cohort whose attendance is under the completion rule."""

    enrollment_id: int
    code: str
    name: str
    attended: int
    held: int


@dataclass
class CohortCounts:
    """One cohort of a trainer: people seated, sessions this week, its attendance rate, who is below the rule."""

    cohort_id: int
    name: str
    people: int
    sessions_this_week: int
    rate: float  # None before any session was held
    min_attendance: float
    below: list = field(default_factory=list)


def week_of(today):
    """(Monday, Sunday) of the week of a day."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def trainer_cohorts(cohort_rates, today):
    """The CohortCounts of the cohorts of the attendance chart (series.attendance_by_cohort's CohortRate list)."""
    ids = [r.cohort_id for r in cohort_rates]
    if not ids:
        return []
    seated = _per_cohort(Enrollment.select(Enrollment.cohort, fn.COUNT(Enrollment.id))
                         .where(Enrollment.cohort.in_(ids) & Enrollment.status.in_(SEATED)).group_by(Enrollment.cohort))
    monday, sunday = week_of(today)
    week = _per_cohort(TrainingSession.select(TrainingSession.cohort, fn.COUNT(TrainingSession.id))
                       .where(TrainingSession.cohort.in_(ids) & ~TrainingSession.cancelled
                              & TrainingSession.held_on.between(monday, sunday)).group_by(TrainingSession.cohort))
    below = _below_rule(ids, {r.cohort_id: Decimal(str(r.min_attendance)) for r in cohort_rates}, today)
    return [CohortCounts(r.cohort_id, r.name, seated.get(r.cohort_id, 0), week.get(r.cohort_id, 0), r.rate,
                         r.min_attendance, below.get(r.cohort_id, [])) for r in cohort_rates]


def _per_cohort(query):
    return dict(query.tuples())


def _below_rule(cohort_ids, minimum, today):
    """{cohort id: [BelowRule]}: the people in training whose rate is under their program's rule, by name."""
    in_training = Enrollment.select().where(Enrollment.cohort.in_(cohort_ids) & Enrollment.status.in_(IN_TRAINING))
    found = rates(in_training, today)
    people = (in_training.select(Enrollment.id, Enrollment.cohort, Beneficiary).join(Beneficiary)
              .order_by(Beneficiary.family_name, Beneficiary.given_name, Beneficiary.family_name_km))
    below = {}
    for enrollment in people:
        rate = found.get(enrollment.id)
        if rate and rate.value is not None and Decimal(str(rate.value)) < minimum[enrollment.cohort_id]:
            person = enrollment.beneficiary
            below.setdefault(enrollment.cohort_id, []).append(
                BelowRule(enrollment.id, person.code, person.display_name, rate.attended, rate.held))
    return below
