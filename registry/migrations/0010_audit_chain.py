"""The audit log's hash chain: each event's place in the chain, the hash before it and its own hash.

Existing events are left unsealed: the first seal (after any audited request, or
`flask verify-audit`) chains them in id order, with the hash defined in registry.audit.chain.
Hashing here would freeze a second copy of that definition in a migration.
"""
from peewee import SQL, CharField, IntegerField
from playhouse.migrate import migrate


def up(migrator, db):
    migrate(
        # unique: no two events can take the same place, even if the sealing lock were bypassed.
        migrator.add_column("audit_event", "seq", IntegerField(null=True, unique=True)),
        migrator.add_column("audit_event", "prev_hash", CharField(max_length=64, null=True)),
        migrator.add_column("audit_event", "hash", CharField(max_length=64, null=True)),
        # Partial: holds only the few events waiting to be sealed, so the sealer never scans the log.
        migrator.add_index("audit_event", ("id",), where=SQL('"hash" IS NULL'), name="audit_event_unsealed"),
    )


def down(migrator, db):
    migrate(
        migrator.drop_index("audit_event", "audit_event_unsealed"),
        migrator.drop_index("audit_event", "audit_event_seq"),
        migrator.drop_column("audit_event", "hash"),
        migrator.drop_column("audit_event", "prev_hash"),
        migrator.drop_column("audit_event", "seq"),
    )
