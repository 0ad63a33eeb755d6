"""The audit event model: append-only, and sealed into a hash chain after it is committed."""
from peewee import JOIN, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from registry.auth.models import User
from registry.db import BaseModel
from registry.timeutil import utcnow


class AuditError(Exception):
    """Raised on an attempt to change or remove an audit event."""


class AuditEvent(BaseModel):
    """One thing that happened: a sign-in, a profile viewed, a record changed, an export.

    An event is written unsealed (seq, prev_hash and hash empty); registry.audit.chain seals it
    afterwards. Sealing is the one change the app may make to an event, through seal() only.
    """

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
    # The hash chain, set once by the sealer: the position in the chain, the hash of the event
    # before it, and sha256(prev_hash + the event's canonical JSON).
    seq = IntegerField(null=True, unique=True)
    prev_hash = CharField(max_length=64, null=True)
    hash = CharField(max_length=64, null=True)

    class Meta:
        indexes = ((("object_type", "object_id"), False),)

    @classmethod
    def with_actors(cls):
        """The events with their accounts' names read in the same query, to show who acted by name."""
        return cls.select(cls, User.id, User.full_name, User.username).join(User, JOIN.LEFT_OUTER)

    def save(self, *args, **kwargs):
        """Insert only, and unsealed: an event once written is never updated."""
        if self.id is not None and not kwargs.get("force_insert"):
            raise AuditError("Audit events cannot be changed.")
        if (self.seq, self.prev_hash, self.hash) != (None, None, None):
            raise AuditError("Audit events are written unsealed; only the sealer chains them.")
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

    @classmethod
    def seal(cls, event_id, seq, prev_hash, digest):
        """Give one unsealed event its place in the chain: the only update the app may make.

        It sets the three chain columns and nothing else, and only on an event that is not yet
        sealed, so a sealed event can never be re-sealed with other values.

        :raise AuditError: the event does not exist or is already sealed.
        """
        query = (super().update({cls.seq: seq, cls.prev_hash: prev_hash, cls.hash: digest})
                 .where((cls.id == event_id) & cls.hash.is_null()))
        if query.execute() != 1:
            raise AuditError(f"Audit event {event_id} is missing or already sealed.")


class BackupCheckpoint(BaseModel):
    """The witness line of the audit log's head written just before a backup, so that the backup carries it."""

    taken_at = DateTimeField(default=utcnow)
    line = TextField()  # the signed witness entry, as written to the witness file
