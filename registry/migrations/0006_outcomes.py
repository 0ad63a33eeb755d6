"""Outcomes: follow-ups, the follow-ups due after each completion (backfilled), exchange rates, settings."""
import calendar
import datetime

from peewee import (BooleanField, CharField, DateField, DateTimeField, DecimalField, ForeignKeyField, IntegerField,
                    Model, TextField)

WINDOWS = (3, 6, 12)


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def up(migrator, db):
    def meta(name, **extra):
        return type("Meta", (), {"database": db, "table_name": name, **extra})

    class User(Model):
        Meta = meta("app_user")

    class Beneficiary(Model):
        Meta = meta("beneficiary")

    class Enrollment(Model):
        status = CharField()
        ended_on = DateField(null=True)
        Meta = meta("enrollment")

    class FollowUp(Model):
        beneficiary = ForeignKeyField(Beneficiary, on_delete="RESTRICT")
        enrollment = ForeignKeyField(Enrollment, on_delete="RESTRICT")
        window_months = IntegerField(null=True)
        followed_on = DateField(index=True)
        reached = BooleanField()
        method = CharField(max_length=8)
        status = CharField(max_length=32, null=True)
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
        recorded_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        Meta = meta("follow_up")

    class FollowUpDue(Model):
        enrollment = ForeignKeyField(Enrollment, on_delete="CASCADE")
        window_months = IntegerField()
        due_on = DateField(index=True)
        follow_up = ForeignKeyField(FollowUp, null=True, on_delete="SET NULL")
        Meta = meta("follow_up_due", indexes=((("enrollment", "window_months"), True),))

    class ExchangeRate(Model):
        month = DateField(unique=True)
        khr_per_usd = DecimalField(max_digits=10, decimal_places=2)
        set_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        set_at = DateTimeField(default=datetime.datetime.utcnow)
        Meta = meta("exchange_rate")

    class Setting(Model):
        key = CharField(max_length=64, primary_key=True)
        value = CharField(max_length=200)
        Meta = meta("setting")

    db.create_tables([FollowUp, FollowUpDue, ExchangeRate, Setting])
    Setting.insert_many([("default_khr_per_usd", "4100"), ("fiscal_year_first_month", "10")],
                        fields=[Setting.key, Setting.value]).execute()
    # Completions recorded before this migration get their follow-ups due too.
    done = Enrollment.select(Enrollment.id, Enrollment.ended_on).where(Enrollment.status == "completed")
    rows = [(e.id, n, _add_months(e.ended_on, n)) for e in done for n in WINDOWS]
    for start in range(0, len(rows), 500):
        FollowUpDue.insert_many(rows[start:start + 500], fields=[FollowUpDue.enrollment, FollowUpDue.window_months,
                                                                 FollowUpDue.due_on]).execute()


def down(migrator, db):
    for name in ("follow_up_due", "follow_up", "exchange_rate", "setting"):
        db.execute_sql(f"DROP TABLE {name}")
