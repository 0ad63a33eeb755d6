"""Reading outcomes: who is due a follow-up, and each person's story after training."""
from dataclasses import dataclass
from datetime import date, timedelta

from peewee import JOIN, fn

from registry.auth.models import User
from registry.beneficiaries.models import Beneficiary
from registry.outcomes.currency import to_usd
from registry.outcomes.models import EMPLOYED, FollowUp, FollowUpDue
from registry.programs.models import Cohort, Enrollment, Program
from registry.web.scope import in_scope_or_404, scoped

BUCKETS = ("overdue", "week", "month")


def _due(today=None, province=None, program=None, officer=None, bucket=None):
    """The open due windows, due within a month or overdue, with the filters, consent aside (a query)."""
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
    return query


def due_list(**filters):
    """Open windows of people who consented to follow-up contact, due within a month or overdue, oldest first.

    A window is open until a reached follow-up closes it (services.refresh_due keeps follow_up right), so
    this stays one indexed query of FollowUpDue. Filters: today, province, program, officer, bucket.
    """
    return (_due(**filters).where(Beneficiary.consent_follow_up)
            .order_by(FollowUpDue.due_on, FollowUpDue.id))


def left_out(**filters):
    """How many people the due list leaves out, with the same filters, for want of consent to follow-up contact."""
    return (_due(**filters).where(~Beneficiary.consent_follow_up)
            .select(fn.COUNT(fn.DISTINCT(Beneficiary.id))).scalar())


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
    """The baseline and every live follow-up, oldest first, with incomes in USD and the re-migration flag.

    The deleted follow-ups come apart (newest first, with who deleted them and why): they count nowhere,
    and the history stays visible.
    """
    baseline_usd = to_usd(beneficiary.baseline_monthly_income, beneficiary.baseline_income_currency,
                          beneficiary.registered_on)
    corrector, deleter = User.alias(), User.alias()
    points = []
    for follow_up in (FollowUp.live(FollowUp, corrector).join(corrector, JOIN.LEFT_OUTER,
                                                               on=FollowUp.updated_by == corrector.id)
                      .where(FollowUp.beneficiary == beneficiary).order_by(FollowUp.followed_on, FollowUp.id)):
        income = to_usd(follow_up.monthly_income, follow_up.currency, follow_up.followed_on)
        change = (income - baseline_usd) / baseline_usd if income is not None and baseline_usd else None
        points.append(Point(follow_up, income, change))
    deleted = (FollowUp.select(FollowUp, deleter).join(deleter, JOIN.LEFT_OUTER, on=FollowUp.deleted_by == deleter.id)
               .where((FollowUp.beneficiary == beneficiary) & FollowUp.deleted_at.is_null(False))
               .order_by(FollowUp.deleted_at.desc(), FollowUp.id.desc()))
    remigrated = [p for p in points if p.follow_up.status == "migrated_abroad"]
    return {"baseline_usd": baseline_usd, "points": points, "remigrated": remigrated,
            "employed": [p for p in points if p.follow_up.status in EMPLOYED], "deleted": list(deleted)}


def get_follow_up_or_404(follow_up_id):
    """A live follow-up of a participant in the user's provinces, else 404 (deleted ones too)."""
    follow_up = (FollowUp.live(FollowUp, Beneficiary).join(Beneficiary, on=FollowUp.beneficiary == Beneficiary.id)
                 .where(FollowUp.id == follow_up_id).first())
    return in_scope_or_404(follow_up, lambda found: found.beneficiary.province_id)
