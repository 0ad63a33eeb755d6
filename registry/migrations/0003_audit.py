"""The append-only audit log."""
import datetime

from peewee import CharField, DateTimeField, ForeignKeyField, Model, TextField


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "app_user"

    class AuditEvent(Model):
        at = DateTimeField(default=datetime.datetime.utcnow, index=True)
        user = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        username = CharField(max_length=64, default="")
        action = CharField(max_length=64, index=True)
        object_type = CharField(max_length=64, default="")
        object_id = CharField(max_length=64, default="")
        ip = CharField(max_length=64, default="")
        detail = TextField(default="{}")
        user_agent = CharField(max_length=255, default="")

        class Meta:
            database = db
            table_name = "audit_event"
            indexes = ((("object_type", "object_id"), False),)

    db.create_tables([AuditEvent])


def down(migrator, db):
    db.execute_sql("DROP TABLE audit_event")
