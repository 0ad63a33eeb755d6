"""Training: programs, cohorts, their sessions, enrollments and attendance marks."""
from peewee import (BooleanField, CharField, DateField, DateTimeField, DecimalField, ForeignKeyField, IntegerField,
                    TextField)

from registry.auth.models import User
from registry.beneficiaries.models import Beneficiary
from registry.db import BaseModel
from registry.reference.models import Province
from registry.timeutil import utcnow

ATTENDED = ("present", "late")  # late counts as attended; excused and absent do not
MARKS = ("present", "late", "excused", "absent")
OPEN_STATUSES = ("waitlisted", "enrolled", "active")
ENDED_STATUSES = ("completed", "dropped_out", "withdrawn")


class Program(BaseModel):
    """A kind of skills training offered, with its completion rule."""

    name = CharField(max_length=120, unique=True)
    sector = CharField(max_length=80, default="")
    donor_award = CharField(max_length=120, default="")
    min_attendance = DecimalField(max_digits=4, decimal_places=3, default=0.8)  # a share of sessions, 0-1
    assessment_required = BooleanField(default=False)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    def __str__(self):
        return self.name


class Cohort(BaseModel):
    """One class of a program, in one place, between two dates."""

    program = ForeignKeyField(Program, backref="cohorts", on_delete="RESTRICT")
    name = CharField(max_length=120)
    venue = CharField(max_length=200, default="")
    province = ForeignKeyField(Province, on_delete="RESTRICT", index=True)
    start_on = DateField()
    end_on = DateField()
    capacity = IntegerField(default=25)
    created_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    created_at = DateTimeField(default=utcnow)

    def __str__(self):
        return self.name


class CohortTrainer(BaseModel):
    """A trainer assigned to a cohort: they see its names and take its attendance."""

    cohort = ForeignKeyField(Cohort, backref="trainer_links", on_delete="CASCADE")
    trainer = ForeignKeyField(User, backref="cohort_links", on_delete="RESTRICT")

    class Meta:
        indexes = ((("cohort", "trainer"), True),)


class TrainingSession(BaseModel):
    """One day (or part of a day) of a cohort."""

    cohort = ForeignKeyField(Cohort, backref="sessions", on_delete="RESTRICT")
    held_on = DateField()
    hours = DecimalField(max_digits=4, decimal_places=2, default=3)
    cancelled = BooleanField(default=False)
    note = CharField(max_length=200, default="")

    class Meta:
        table_name = "training_session"
        indexes = ((("cohort", "held_on"), False),)


class Enrollment(BaseModel):
    """A participant in a cohort (or on its waitlist); one per participant and cohort.

    requested_on is the day the person was put in the cohort or on its waitlist. enrolled_on is the
    day they got a seat: the same day for a direct enrollment, the day of admission for someone who
    waited, and NULL for someone who never left the waitlist (withdrawn while waiting included), so
    that every figure that reads enrolled_on leaves them out by itself.
    """

    beneficiary = ForeignKeyField(Beneficiary, backref="enrollments", on_delete="RESTRICT")
    cohort = ForeignKeyField(Cohort, backref="enrollments", on_delete="RESTRICT")
    requested_on = DateField()
    enrolled_on = DateField(null=True, index=True)
    status = CharField(max_length=12, default="enrolled", index=True)
    status_on = DateField()  # the date of the latest status change
    ended_on = DateField(null=True, index=True)  # completed, dropped out or withdrawn on
    leave_reason = TextField(default="")
    override_reason = TextField(default="")  # completion below the rule, and why
    assessment_passed = BooleanField(null=True)
    pre_score = DecimalField(max_digits=6, decimal_places=2, null=True)
    post_score = DecimalField(max_digits=6, decimal_places=2, null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("beneficiary", "cohort"), True), (("status", "ended_on"), False))

    @classmethod
    def admitted(cls):
        """Enrollments that got a seat (a query): the never-admitted waitlist is no enrollment for any figure."""
        return cls.select().where(cls.enrolled_on.is_null(False))

    @classmethod
    def waiting(cls, cohort):
        """A cohort's waitlist in request order, first come first (a query)."""
        return (cls.select().where((cls.cohort == cohort) & (cls.status == "waitlisted"))
                .order_by(cls.requested_on, cls.id))


class EnrollmentChange(BaseModel):
    """One status change of an enrollment, with its date and reason."""

    enrollment = ForeignKeyField(Enrollment, backref="changes", on_delete="CASCADE")
    from_status = CharField(max_length=12, default="")
    to_status = CharField(max_length=12)
    changed_on = DateField()
    reason = TextField(default="")
    changed_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    changed_at = DateTimeField(default=utcnow)


class Attendance(BaseModel):
    """One mark per enrollment and session: present, late, excused or absent."""

    enrollment = ForeignKeyField(Enrollment, backref="marks", on_delete="CASCADE")
    session = ForeignKeyField(TrainingSession, backref="marks", on_delete="CASCADE")
    status = CharField(max_length=8)
    recorded_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    recorded_at = DateTimeField(default=utcnow)
    # When the mark was taken: the phone's time for a mark synced from offline, else the server's (UTC).
    taken_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("enrollment", "session"), True),)
