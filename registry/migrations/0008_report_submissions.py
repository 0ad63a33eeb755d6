"""Report submissions: a locked period's report, kept as submitted."""
import datetime

from peewee import CharField, DateTimeField, ForeignKeyField, Model, TextField


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "app_user"

    class ReportSubmission(Model):
        key = CharField(max_length=400, unique=True)
        period_label = CharField(max_length=60)
        document = TextField()
        submitted_by = ForeignKeyField(User, on_delete="RESTRICT")
        submitted_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            database = db
            table_name = "report_submission"

    db.create_tables([ReportSubmission])


def down(migrator, db):
    db.execute_sql("DROP TABLE report_submission")
