"""An audit event written by a migration that corrects data, so that the figures it moves have a trace.

Migrations run without an app or a signed-in user, and must not depend on today's models: this
writes the row through a model frozen here, unsealed like every event (the next seal chains it).
"""
import json

from peewee import CharField, DateTimeField, IntegerField, Model, TextField

from registry.timeutil import utcnow

ACTION = "data.corrected"  # registry.reports.trace shows it under a locked period's changes


def note_correction(db, migration, detail):
    """Record that a migration corrected stored data: which migration, what it changed and why."""

    class AuditEvent(Model):
        at = DateTimeField()
        user_id = IntegerField(null=True)
        username = CharField()
        action = CharField()
        object_type = CharField()
        object_id = CharField()
        ip = CharField()
        detail = TextField()
        user_agent = CharField()

        class Meta:
            database = db
            table_name = "audit_event"

    AuditEvent.create(at=utcnow(), user_id=None, username=f"migration:{migration}", action=ACTION, object_type="",
                      object_id="", ip="", user_agent="", detail=json.dumps(detail, default=str, sort_keys=True))
