"""Synthetic outcomes: follow-ups 3, 6 and 12 months after each completion, the follow-ups due, exchange rates.

The follow-ups due are those registry.outcomes.services.schedule_follow_ups makes on completion
(one per window, due on the same day that many months later), closed or left open by the rule
the services keep (registry.outcomes.windows: a reached follow-up of the window or a later one
closes it; the last attempt that did not reach the person is kept). A window is called when due,
again when nobody answered; people keep their job or their life abroad from one call to the next
more often than not. What a reached person says follows the follow-up form's rules: a job has a
start date or started before the training, and an income is always recorded (0 for none).
"""
from datetime import datetime, timedelta
from decimal import Decimal

from registry.outcomes.models import WINDOWS, ExchangeRate, FollowUp, FollowUpDue
from registry.outcomes.windows import Contact, window_state
from registry.synthetic import vocabulary as words
from registry.synthetic.bulk import bulk
from registry.synthetic.draws import Weighted
from registry.timeutil import add_months

ATTEMPTED, REACHED, ATTEMPTS = 0.95, 0.62, 3  # a window is tried when due; reached per call; calls at most
SAME_AS_BEFORE = 0.6  # a reached person still in the situation of their previous follow-up
WORK, COUNTRIES = Weighted(words.WORK), Weighted(words.COUNTRIES)
METHOD, CHANNELS = Weighted({"phone": 75, "visit": 20, "other": 5}), Weighted({True: 45, False: 45, None: 10})
FIELDS = [FollowUp.id, FollowUp.beneficiary, FollowUp.enrollment, FollowUp.window_months, FollowUp.followed_on,
          FollowUp.reached, FollowUp.method, FollowUp.status, FollowUp.job_started_on, FollowUp.job_before_training,
          FollowUp.employer,
          FollowUp.sector, FollowUp.related_to_training, FollowUp.monthly_income, FollowUp.currency,
          FollowUp.hours_per_week, FollowUp.country, FollowUp.regular_channels, FollowUp.note, FollowUp.recorded_by,
          FollowUp.created_at]
DUE_FIELDS = [FollowUpDue.enrollment, FollowUpDue.window_months, FollowUpDue.due_on, FollowUpDue.follow_up,
              FollowUpDue.last_tried_on]


def _income(rng, low_khr, high_khr, low_usd, high_usd):
    """A monthly income in riels or dollars: {monthly_income, currency}."""
    if rng.random() < 0.55:
        return {"monthly_income": Decimal(rng.randint(low_khr, high_khr) * 10_000), "currency": "KHR"}
    return {"monthly_income": Decimal(rng.randint(low_usd, high_usd)), "currency": "USD"}


def work_now(e, on, rng):
    """What a reached person says at a follow-up: {status, job, income, migration} values."""
    status = WORK.draw(rng)
    values = {"status": status, "monthly_income": Decimal(0)}  # no work or earnings: 0, as the form asks
    if status in ("wage_employed", "self_employed"):
        draw = rng.random()
        if draw < 0.85:  # found after the training
            values["job_started_on"] = e.ended_on - timedelta(days=30 - rng.randint(0, (on - e.ended_on).days + 30))
        elif draw < 0.95:  # the same job as before
            values["job_started_on"] = e.enrolled_on - timedelta(days=rng.randint(30, 700))
        else:  # the same job as before, its start not known
            values["job_before_training"] = True
        values.update(employer=rng.choice(words.EMPLOYERS) if status == "wage_employed" else "",
                      sector=rng.choice(words.SECTORS), related_to_training=rng.random() < 0.65,
                      hours_per_week=Decimal(rng.randint(20, 60)))
        if rng.random() < 0.9:  # else a business not earning yet
            values.update(_income(rng, 40, 250, 120, 600))
    elif status == "migrated_abroad":
        values.update(country=COUNTRIES.draw(rng), regular_channels=CHANNELS.draw(rng),
                      monthly_income=Decimal(rng.randint(250, 900)), currency="USD")
    return values


def _still(before, rng):
    """The previous situation again, an income a little higher."""
    values = dict(before)
    if values.get("monthly_income") and rng.random() < 0.5:
        values["monthly_income"] = (values["monthly_income"] * (100 + rng.randint(0, 15)) / 100).quantize(Decimal(1))
    return values


def follow_up_row(number, e, person_id, window, on, values, recorded_by, rng):
    """One follow-up as a tuple of FIELDS."""
    row = {"id": number, "beneficiary": person_id, "enrollment": e.id, "window_months": window, "followed_on": on,
           "reached": values is not None, "method": METHOD.draw(rng) if values else "phone",
           "job_before_training": False, "employer": "",
           "sector": "", "country": "", "note": "", "recorded_by": recorded_by,
           "created_at": datetime(on.year, on.month, on.day, 3, number % 60), **(values or {})}
    return tuple(row.get(f.name) for f in FIELDS)


def _window(rng, e, due, as_of):
    """The days the window's calls were made (none when not tried, or not due yet)."""
    days, on = [], max(e.ended_on, due + timedelta(days=rng.randint(-10, 20)))
    for _attempt in range(ATTEMPTS if rng.random() < ATTEMPTED else 0):
        if on > as_of:
            break
        days.append(on)
        on += timedelta(days=rng.randint(3, 20))
    return days


def follow_ups(enrollments, person_ids, unreachable, officers, rng, as_of, first_id=1):
    """(follow-up rows, due rows): each completion's three windows, called when due (again when unanswered).

    People who did not consent to follow-up contact are never called: their windows stay due.
    """
    rows, dues = [], []
    for e in enrollments:
        if e.status != "completed":
            continue
        before, officer, contacts = None, officers[e.cohort.province], []
        for window in WINDOWS:
            for on in _window(rng, e, add_months(e.ended_on, window), as_of) if e.person not in unreachable else ():
                values = None
                if rng.random() < REACHED:
                    values = _still(before, rng) if before and rng.random() < SAME_AS_BEFORE else work_now(e, on, rng)
                    before = values
                number = first_id + len(rows)
                rows.append(follow_up_row(number, e, person_ids[e.person], window, on, values, officer, rng))
                contacts.append(Contact(number, window, on, values is not None))
                if values:
                    break
        dues += [(e.id, window, add_months(e.ended_on, window), *window_state(window, contacts)) for window in WINDOWS]
    return rows, dues


def insert_outcomes(enrollments, person_ids, unreachable, officers, rng, as_of, echo=None):
    """The follow-ups and the follow-ups due; return (follow-ups, due) counts."""
    rows, dues = follow_ups(enrollments, person_ids, unreachable, officers, rng, as_of)
    return bulk(FollowUp, FIELDS, rows, len(rows), echo), bulk(FollowUpDue, DUE_FIELDS, dues, len(dues), echo)


def insert_rates(first_month, last_month, rng):
    """A rate (riels per dollar) for each month from first_month to last_month not set yet; return how many."""
    known = {month for (month,) in ExchangeRate.select(ExchangeRate.month).tuples()}
    rate, rows, month = 4050, [], first_month.replace(day=1)
    while month <= last_month:
        rate = min(4150, max(3950, rate + rng.randint(-25, 25)))
        if month not in known:
            rows.append((month, Decimal(rate), datetime(month.year, month.month, 1, 2)))
        month = add_months(month, 1)
    return bulk(ExchangeRate, [ExchangeRate.month, ExchangeRate.khr_per_usd, ExchangeRate.set_at], rows)
