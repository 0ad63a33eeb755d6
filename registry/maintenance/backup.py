"""Backing up the whole database to a file, and restoring it: on SQLite and on PostgreSQL.

Both functions check before they act: a backup never leaves a half-written file at its path, and
a restore refuses anything that is not a sound backup of this registry at a version the code knows.
"""
import os
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from peewee import DatabaseError, PostgresqlDatabase, SqliteDatabase
from playhouse.migrations import MigrationError

from registry.audit.models import AuditEvent
from registry.audit.services import record_event
from registry.auth.page_sessions import UserSession, end_every_session
from registry.db import migrate, migration_runner
from registry.maintenance import on_postgres, on_sqlite
from registry.maintenance.errors import BackupError
from registry.maintenance.witness_carry import carried_checkpoint, carry_checkpoint, tell_witness

ENGINES = ((SqliteDatabase, on_sqlite), (PostgresqlDatabase, on_postgres))


@dataclass(frozen=True)
class Outcome:
    """What a backup or a restore did: the file, its size in bytes, its tables, the time it took."""

    path: Path
    size: int
    tables: int
    seconds: float
    migrations: list = field(default_factory=list)  # applied after a restore
    warnings: list = field(default_factory=list)


def backup_database(db, path, force=False, witness=None):
    """Copy the whole database to the file at path, consistently even while the app writes.

    The copy is written next to path, checked, then renamed: path holds a whole backup or nothing new.

    :param force: replace a file already at path.
    :param witness: the audit witness (registry.audit.witness.Witness): the backup carries the log's
        head, signed, and the witness file records it.
    :raise BackupError: a path that exists (without force) or cannot be written, a failed copy.
    """
    engine, path, started = _engine(db), Path(path).absolute(), time.monotonic()
    _check_target(engine, db, path, force)
    with db.connection_context():
        if witness is not None:
            carry_checkpoint(db, witness)
        with _file_next_to(path) as partial:
            tables = engine.dump(db, partial)
            _put_in_place(partial, path, force)
        outcome = Outcome(path, path.stat().st_size, tables, time.monotonic() - started)
        _record(db, "database.backup", path=str(path), bytes=outcome.size, tables=tables)
    return outcome


def restore_database(db, path, confirm=None, witness=None):
    """Replace everything in the database with the backup at path, then apply newer migrations.

    :param confirm: called with the checked path and its number of tables before anything changes;
        it stops the restore by raising (e.g. click.Abort).
    :param witness: the audit witness: it is told that the log was put back to the backup's head.
    :raise BackupError: a missing file, a file that is no backup of this registry or of another
        database kind, a backup from newer code, a backup whose witness checkpoint does not check,
        a failed restore.
    """
    engine, path, started = _engine(db), Path(path).absolute(), time.monotonic()
    _check_source(engine, db, path)
    with db.connection_context():
        tables, names = engine.inspect(db, path)
        _check_migrations(db, path, names)
        carried = carried_checkpoint(engine, path, witness) if witness is not None else None
        if confirm is not None:
            asked = time.monotonic()
            confirm(path, tables)
            started += time.monotonic() - asked  # the time spent answering is not the restore's
        engine.load(db, path)
        applied = _bring_up_to_date(db, path)
        _end_page_sessions(db)
        warning = tell_witness(db, witness, carried) if witness is not None else None
        outcome = Outcome(path, path.stat().st_size, tables, time.monotonic() - started, applied,
                          [warning] if warning else [])
        # In the restored database: the restore itself is on record there.
        _record(db, "database.restore", path=str(path), bytes=outcome.size, tables=tables, migrations=applied)
    return outcome


def _engine(db):
    for kind, engine in ENGINES:
        if isinstance(db, kind):
            return engine
    raise BackupError(f"Backups work on SQLite and PostgreSQL, not on {type(db).__name__}.")


def _check_target(engine, db, path, force):
    if path.resolve() == engine.live_file(db):
        raise BackupError(f"{path} is the live database: choose another path for the backup.")
    if path.is_dir():
        raise BackupError(f"{path} is a folder: give the path of the backup file.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    if path.exists() and not force:
        raise BackupError(f"{path} already exists: choose another path, or replace it with --force.")


def _check_source(engine, db, path):
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    if path.resolve() == engine.live_file(db):
        raise BackupError(f"{path} is the live database itself, not a backup.")
    try:
        with path.open("rb") as file:
            start = file.read(16)
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror}.") from None
    if start.startswith(engine.MAGIC):
        return
    for _kind, other in ENGINES:
        if start.startswith(other.MAGIC):
            raise BackupError(f"{path} is a {other.KIND}, but this registry runs on {engine.NAME}: "
                              f"restore a {engine.KIND}.")
    raise BackupError(f"{path} is not a backup: it is neither a SQLite database nor a pg_dump archive "
                      "(custom format).")


def _check_migrations(db, path, names):
    if names is None:
        raise BackupError(f"{path} is not a backup of this registry: it has no schema_migration table.")
    unknown = sorted(set(names) - {m.name for m in migration_runner(db).migrations()})
    if unknown:
        raise BackupError(f"{path} comes from a newer version of the registry (unknown migrations: "
                          f"{', '.join(unknown)}): upgrade the code before restoring it.")


def _bring_up_to_date(db, path):
    try:
        return migrate(db)
    except (MigrationError, DatabaseError) as error:
        raise BackupError(f"{path} was restored, but its migration failed: {error}".splitlines()[0]) from None


@contextmanager
def _file_next_to(path):
    """A new empty file in path's folder (so that renaming it is atomic), removed unless renamed."""
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    except OSError as error:
        raise BackupError(f"Cannot write in {path.parent}: {error.strerror}.") from None
    os.close(handle)  # mode 0600: a backup holds personal data
    partial = Path(name)
    try:
        yield partial
    finally:
        for leftover in (partial, *(Path(name + side) for side in ("-journal", "-wal", "-shm"))):
            leftover.unlink(missing_ok=True)


def _put_in_place(partial, path, force):
    _fsync(partial)
    if path.exists() and not force:  # again: the copy took a while
        raise BackupError(f"{path} already exists: choose another path, or replace it with --force.")
    os.replace(partial, path)
    _fsync(path.parent)  # the rename itself survives a power cut


def _fsync(path):
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _record(db, action, **detail):
    # Bound to db for the moment: the functions work on any database (a test's), not only the app's.
    with db.bind_ctx([AuditEvent], bind_refs=False, bind_backrefs=False), db.atomic():
        record_event(action, detail=detail)


def _end_page_sessions(db):
    # The backup holds the sessions open when it was taken, some signed out since: none may come back to life.
    with db.bind_ctx([UserSession], bind_refs=False, bind_backrefs=False), db.atomic():
        end_every_session("restore")
