"""Account security: a forced password change after a temporary one, and failed sign-ins kept for throttling."""
import datetime

from peewee import BooleanField, CharField, DateTimeField, Model
from playhouse.migrate import migrate


def up(migrator, db):
    class LoginFailure(Model):
        username = CharField(max_length=64, index=True)
        ip = CharField(max_length=64, index=True)
        at = DateTimeField(default=datetime.datetime.utcnow, index=True)

        class Meta:
            database = db
            table_name = "login_failure"

    db.create_tables([LoginFailure])
    migrate(migrator.add_column("app_user", "must_change_password", BooleanField(default=False)))


def down(migrator, db):
    migrate(migrator.drop_column("app_user", "must_change_password"))
    db.execute_sql("DROP TABLE login_failure")
