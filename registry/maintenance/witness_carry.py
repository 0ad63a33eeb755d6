"""Backups carry the audit witness, and a restore tells it, so that a restored older backup is no cut tail.

Before a backup, the head of the log is signed, appended to the witness file as a "backup" line and
stored in the database (backup_checkpoint), so in the backup. A restore reads that line from the file
before it changes anything (a line the key does not sign stops it), then writes a "restore" line:
the log was put back, on purpose, to that head. registry.audit.witness_check then excuses the
checkpoints written between that backup and the restore, and still holds the log to the older ones.
"""
from registry.audit import chain
from registry.audit.models import AuditEvent, BackupCheckpoint
from registry.audit.witness import Entry, WitnessError, database_identity, stamp
from registry.maintenance.errors import BackupError


def _bound(db):
    return db.bind_ctx([AuditEvent, BackupCheckpoint], bind_refs=False, bind_backrefs=False)


def carry_checkpoint(db, witness):
    """Sign the head of db's audit log into the witness and into db (so into the backup about to be taken).

    :raise BackupError: the witness file cannot be written.
    """
    # Stamped before the head is read: any checkpoint stamped earlier saw no more than this head.
    at = stamp()
    with _bound(db):
        seq, digest = chain.last_sealed()
        try:
            line = witness.checkpoint(db, seq, digest, kind="backup", at=at)
        except WitnessError as error:
            raise BackupError(f"{error} A backup carries the audit witness: make the file writable.") from None
        with db.atomic():
            BackupCheckpoint.create(line=line)


def carried_checkpoint(engine, path, witness):
    """The checkpoint the backup at path carries, checked; None for a backup made before backups carried one.

    :raise BackupError: the carried line does not check under this registry's witness key.
    """
    lines = engine.carried_lines(path)
    if not lines:
        return None
    try:
        return witness.parse(lines[-1], str(path))
    except WitnessError as error:
        raise BackupError(f"{path} carries an audit witness checkpoint that does not check: {error}. Restore it "
                          "with the AUDIT_WITNESS_KEY (or SECRET_KEY) of the registry that made it.") from None


def _head_of(db):
    """The restored log's head as a backup line, for a backup that carried none (backup_at: its newest event)."""
    seq, digest = chain.last_sealed()
    newest = AuditEvent.select(AuditEvent.at).where(AuditEvent.seq == seq).first() if seq else None
    backup_at = newest.at.isoformat(timespec="microseconds") + "Z" if newest else None
    return Entry("backup", backup_at, database_identity(db), seq, digest)


def tell_witness(db, witness, carried):
    """Write that db's log was restored to the carried head; return a warning when the log does not hold it.

    :raise BackupError: the witness file cannot be written.
    """
    with _bound(db):
        carried = carried or _head_of(db)
        holds = carried.seq == 0 or AuditEvent.select().where(
            (AuditEvent.seq == carried.seq) & (AuditEvent.hash == carried.hash)).exists()
        try:
            witness.restored(db, carried)
        except WitnessError as error:
            raise BackupError(f"The database was restored, but the audit witness was not told: {error}") from None
    if holds:
        return None
    return (f"The restored audit log does not hold the head its backup carried (seq {carried.seq}): the backup "
            "was changed after it was made. `flask verify-audit` reports it.")
