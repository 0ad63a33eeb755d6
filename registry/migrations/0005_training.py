"""Training: programs, cohorts and their trainers, sessions, enrollments, status changes, attendance."""
import datetime

from peewee import (BooleanField, CharField, DateField, DateTimeField, DecimalField, ForeignKeyField, IntegerField,
                    Model, TextField)


def up(migrator, db):
    def table(name):
        class Meta:
            database = db
            table_name = name
        return Meta

    class Province(Model):
        code = CharField(max_length=2, primary_key=True)
        Meta = table("province")

    class User(Model):
        Meta = table("app_user")

    class Beneficiary(Model):
        Meta = table("beneficiary")

    class Program(Model):
        name = CharField(max_length=120, unique=True)
        sector = CharField(max_length=80, default="")
        donor_award = CharField(max_length=120, default="")
        min_attendance = DecimalField(max_digits=4, decimal_places=3, default=0.8)
        assessment_required = BooleanField(default=False)
        active = BooleanField(default=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        Meta = table("program")

    class Cohort(Model):
        program = ForeignKeyField(Program, on_delete="RESTRICT")
        name = CharField(max_length=120)
        venue = CharField(max_length=200, default="")
        province = ForeignKeyField(Province, on_delete="RESTRICT", index=True)
        start_on = DateField()
        end_on = DateField()
        capacity = IntegerField(default=25)
        created_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        Meta = table("cohort")

    class CohortTrainer(Model):
        cohort = ForeignKeyField(Cohort, on_delete="CASCADE")
        trainer = ForeignKeyField(User, on_delete="RESTRICT")

        class Meta:
            database = db
            table_name = "cohort_trainer"
            indexes = ((("cohort", "trainer"), True),)

    class TrainingSession(Model):
        cohort = ForeignKeyField(Cohort, on_delete="RESTRICT")
        held_on = DateField()
        hours = DecimalField(max_digits=4, decimal_places=2, default=3)
        cancelled = BooleanField(default=False)
        note = CharField(max_length=200, default="")

        class Meta:
            database = db
            table_name = "training_session"
            indexes = ((("cohort", "held_on"), False),)

    class Enrollment(Model):
        beneficiary = ForeignKeyField(Beneficiary, on_delete="RESTRICT")
        cohort = ForeignKeyField(Cohort, on_delete="RESTRICT")
        enrolled_on = DateField()
        status = CharField(max_length=12, default="enrolled", index=True)
        status_on = DateField()
        ended_on = DateField(null=True, index=True)
        leave_reason = TextField(default="")
        override_reason = TextField(default="")
        assessment_passed = BooleanField(null=True)
        pre_score = DecimalField(max_digits=6, decimal_places=2, null=True)
        post_score = DecimalField(max_digits=6, decimal_places=2, null=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            database = db
            table_name = "enrollment"
            indexes = ((("beneficiary", "cohort"), True),)

    class EnrollmentChange(Model):
        enrollment = ForeignKeyField(Enrollment, on_delete="CASCADE")
        from_status = CharField(max_length=12, default="")
        to_status = CharField(max_length=12)
        changed_on = DateField()
        reason = TextField(default="")
        changed_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        changed_at = DateTimeField(default=datetime.datetime.utcnow)
        Meta = table("enrollment_change")

    class Attendance(Model):
        enrollment = ForeignKeyField(Enrollment, on_delete="CASCADE")
        session = ForeignKeyField(TrainingSession, on_delete="CASCADE")
        status = CharField(max_length=8)
        recorded_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        recorded_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            database = db
            table_name = "attendance"
            indexes = ((("enrollment", "session"), True),)

    db.create_tables([Program, Cohort, CohortTrainer, TrainingSession, Enrollment, EnrollmentChange, Attendance])


def down(migrator, db):
    for name in ("attendance", "enrollment_change", "enrollment", "training_session", "cohort_trainer", "cohort",
                 "program"):
        db.execute_sql(f"DROP TABLE {name}")
