"""Reading outcomes: who is due a follow-up, and each person's story after training."""
from dataclasses import dataclass
from datetime import date, timedelta


from registry.auth.guard import scoped
from registry.beneficiaries.models import Beneficiary
from registry.outcomes.currency import to_usd
from registry.outcomes.models import EMPLOYED, FollowUp, FollowUpDue
from registry.programs.models import Cohort, Enrollment, Program

BUCKETS = ("overdue", "week", "month")


def due_list(today=None, province=None, program=None, officer=None, bucket=None):
    """Follow-ups not yet recorded, due within a month or overdue, oldest first (a query of FollowUpDue)."""
    today = today or date.today()
    query = (FollowUpDue.select(FollowUpDue, Enrollment, Beneficiary, Cohort, Program)
             .join(Enrollment).join(Beneficiary).switch(Enrollment).join(Cohort).join(Program)
             .where(FollowUpDue.follow_up.is_null() & (Beneficiary.status != "merged")
                    & (FollowUpDue.due_on <= today + timedelta(days=30))))
    query = scoped(query, Beneficiary.province)
    if bucket == "overdue":
        query = query.where(FollowUpDue.due_on < today)
    elif bucket == "week":
        query = query.where(FollowUpDue.due_on.between(today, today + timedelta(days=7)))
    elif bucket == "month":
        query = query.where(FollowUpDue.due_on.between(today + timedelta(days=8), today + timedelta(days=30)))
    if province:
        query = query.where(Beneficiary.province == province)
    if program:
        query = query.where(Cohort.program == program)
    if officer:
        query = query.where(Cohort.created_by == officer)
    return query.order_by(FollowUpDue.due_on, FollowUpDue.id)


def bucket_of(due_on, today=None):
    """'overdue', 'week' or 'month' for a due date."""
    today = today or date.today()
    return "overdue" if due_on < today else "week" if due_on <= today + timedelta(days=7) else "month"


@dataclass
class Point:
    """One follow-up on a person's timeline, with the change of income since registration."""

    follow_up: FollowUp
    income_usd: object
    change: object  # a fraction of the baseline income, or None


def timeline(beneficiary):
    """The baseline and every follow-up, oldest first, with incomes in USD and the re-migration flag."""
    baseline_usd = to_usd(beneficiary.baseline_monthly_income, beneficiary.baseline_income_currency,
                          beneficiary.registered_on)
    points = []
    for follow_up in (FollowUp.select().where(FollowUp.beneficiary == beneficiary)
                      .order_by(FollowUp.followed_on, FollowUp.id)):
        income = to_usd(follow_up.monthly_income, follow_up.currency, follow_up.followed_on)
        change = (income - baseline_usd) / baseline_usd if income is not None and baseline_usd else None
        points.append(Point(follow_up, income, change))
    remigrated = [p for p in points if p.follow_up.status == "migrated_abroad"]
    return {"baseline_usd": baseline_usd, "points": points, "remigrated": remigrated,
            "employed": [p for p in points if p.follow_up.status in EMPLOYED]}


