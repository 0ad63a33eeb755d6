"""Recording follow-ups, and scheduling those due after each completion."""
from datetime import date

from flask_babel import lazy_gettext as _l

from registry.audit.services import record_event
from registry.db import database
from registry.outcomes.models import WINDOWS, FollowUp, FollowUpDue
from registry.programs.models import Enrollment
from registry.timeutil import add_months

FIELDS = ("followed_on", "reached", "method", "status", "job_started_on", "employer", "sector",
          "related_to_training", "monthly_income", "currency", "hours_per_week", "country", "regular_channels", "note")


class FollowUpError(ValueError):
    """A follow-up the rules do not allow; the message says why."""


def schedule_follow_ups(enrollment, user=None):
    """On completion, the follow-ups due 3, 6 and 12 months later (a status hook of programs)."""
    if enrollment.status != "completed":
        return
    rows = [(enrollment.id, n, add_months(enrollment.ended_on, n)) for n in WINDOWS]
    (FollowUpDue.insert_many(rows, fields=[FollowUpDue.enrollment, FollowUpDue.window_months, FollowUpDue.due_on])
     .on_conflict_ignore().execute())


def default_enrollment(beneficiary, on):
    """The person's latest enrollment completed on or before a day, or None."""
    return (Enrollment.select().where((Enrollment.beneficiary == beneficiary) & (Enrollment.status == "completed")
                                      & (Enrollment.ended_on <= on))
            .order_by(Enrollment.ended_on.desc(), Enrollment.id.desc()).first())


def nearest_window(enrollment, on):
    """The due window (3, 6 or 12 months) whose due date is closest to a day."""
    return min(WINDOWS, key=lambda n: abs((add_months(enrollment.ended_on, n) - on).days))


def _check(beneficiary, enrollment, values):
    on = values["followed_on"]
    if enrollment is None:
        raise FollowUpError(_l("No training completed on or before this date: a follow-up comes after completion."))
    if enrollment.beneficiary_id != beneficiary.id or enrollment.status != "completed":
        raise FollowUpError(_l("Choose a completed training of this participant."))
    if on < enrollment.ended_on:
        raise FollowUpError(_l("A follow-up cannot be dated before the training was completed."))
    if on > date.today():
        raise FollowUpError(_l("A follow-up cannot be dated in the future."))


def record_follow_up(beneficiary, values, user, enrollment=None, window=None):
    """Record a follow-up for one completed enrollment (by default the latest completed by that day).

    :raise FollowUpError: no completed training, or dates that do not make sense.
    """
    enrollment = enrollment or default_enrollment(beneficiary, values["followed_on"])
    _check(beneficiary, enrollment, values)
    window = window or nearest_window(enrollment, values["followed_on"])
    with database.atomic():
        follow_up = FollowUp.create(beneficiary=beneficiary, enrollment=enrollment, window_months=window,
                                    recorded_by=user, **{k: values.get(k) for k in FIELDS if k in values})
        (FollowUpDue.update(follow_up=follow_up)
         .where((FollowUpDue.enrollment == enrollment) & (FollowUpDue.window_months == window)
                & FollowUpDue.follow_up.is_null()).execute())
        record_event("follow_up.create", obj=beneficiary, user=user, detail={
            "follow_up": follow_up.id, "enrollment": enrollment.id, "window": window, "on": values["followed_on"],
            "reached": values.get("reached"), "status": values.get("status")})
    return follow_up
