"""Follow-ups after training, the follow-ups due, and exchange rates."""
from peewee import (BooleanField, CharField, DateField, DateTimeField, DecimalField, ForeignKeyField, IntegerField,
                    TextField)

from registry.auth.models import User
from registry.beneficiaries.models import Beneficiary
from registry.db import BaseModel
from registry.programs.models import Enrollment
from registry.timeutil import utcnow

WINDOWS = (3, 6, 12)  # months after completion
EMPLOYED = ("wage_employed", "self_employed")


class FollowUp(BaseModel):
    """A contact with a participant after training, and what their work is now."""

    beneficiary = ForeignKeyField(Beneficiary, backref="follow_ups", on_delete="RESTRICT")
    enrollment = ForeignKeyField(Enrollment, backref="follow_ups", on_delete="RESTRICT")
    window_months = IntegerField(null=True)  # the due window it answers: 3, 6 or 12
    followed_on = DateField(index=True)
    reached = BooleanField()
    method = CharField(max_length=8)  # phone, visit, other
    status = CharField(max_length=32, null=True)  # the employment statuses; None when not reached
    job_started_on = DateField(null=True)
    employer = CharField(max_length=200, default="")
    sector = CharField(max_length=100, default="")
    related_to_training = BooleanField(null=True)
    monthly_income = DecimalField(max_digits=14, decimal_places=2, null=True)
    currency = CharField(max_length=3, null=True)
    hours_per_week = DecimalField(max_digits=5, decimal_places=1, null=True)
    country = CharField(max_length=60, default="")
    regular_channels = BooleanField(null=True)
    note = TextField(default="")
    # "The job or business started before the training": said instead of a start date, never new employment.
    job_before_training = BooleanField(default=False)
    recorded_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(null=True)
    updated_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+", index=False)
    # A deleted follow-up is kept, with when, who and why, and counts nowhere (see live()).
    deleted_at = DateTimeField(null=True)
    deleted_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+", index=False)
    delete_reason = TextField(default="")

    @classmethod
    def live(cls, *fields):
        """The follow-ups not deleted (a query): every read that counts or shows follow-ups starts here."""
        return cls.select(*fields).where(cls.deleted_at.is_null())


class FollowUpDue(BaseModel):
    """A follow-up due N months after a completion (registry.outcomes.windows says when it is closed).

    follow_up is the reached follow-up that closes it (None while it is open) and last_tried_on the
    last attempt in its window that did not reach the person; services.refresh_due keeps both right.
    """

    enrollment = ForeignKeyField(Enrollment, backref="follow_ups_due", on_delete="CASCADE")
    window_months = IntegerField()
    due_on = DateField(index=True)
    follow_up = ForeignKeyField(FollowUp, null=True, on_delete="SET NULL", backref="+")
    last_tried_on = DateField(null=True)

    class Meta:
        table_name = "follow_up_due"
        indexes = ((("enrollment", "window_months"), True),)


class ExchangeRate(BaseModel):
    """Riels per US dollar for one month (the first day of the month names it)."""

    month = DateField(unique=True)
    khr_per_usd = DecimalField(max_digits=10, decimal_places=2)
    set_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    set_at = DateTimeField(default=utcnow)
