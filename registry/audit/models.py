"""The audit event model."""
from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from registry.auth.models import User
from registry.db import BaseModel
from registry.timeutil import utcnow


class AuditError(Exception):
    """Raised on an attempt to change or remove an audit event."""


class AuditEvent(BaseModel):
    """One thing that happened: a sign-in, a profile viewed, a record changed, an export."""

    at = DateTimeField(default=utcnow, index=True)
    user = ForeignKeyField(User, null=True, backref="audit_events", on_delete="RESTRICT")
    # Kept as text too: a failed login names a user who may not exist.
    username = CharField(max_length=64, default="")
    action = CharField(max_length=64, index=True)
    object_type = CharField(max_length=64, default="")
    object_id = CharField(max_length=64, default="")
    ip = CharField(max_length=64, default="")
    detail = TextField(default="{}")  # JSON
    user_agent = CharField(max_length=255, default="")

    class Meta:
        indexes = ((("object_type", "object_id"), False),)

    def save(self, *args, **kwargs):
        """Insert only: an event once written is never updated."""
        if self.id is not None and not kwargs.get("force_insert"):
            raise AuditError("Audit events cannot be changed.")
        return super().save(*args, **kwargs)

    def delete_instance(self, *args, **kwargs):
        """Refuse: audit events are never removed."""
        raise AuditError("Audit events cannot be removed.")

    @classmethod
    def update(cls, *args, **kwargs):
        """Refuse: audit events are never updated."""
        raise AuditError("Audit events cannot be changed.")

    @classmethod
    def delete(cls):
        """Refuse: audit events are never removed."""
        raise AuditError("Audit events cannot be removed.")
