"""Backups on SQLite: copies made and put back with SQLite's online backup API."""
import sqlite3
from contextlib import closing
from pathlib import Path

from registry.maintenance.errors import BackupError

NAME = "SQLite"
KIND = "SQLite database"
MAGIC = b"SQLite format 3\x00"


def dump(db, target):
    """Copy the live database into the empty file target; return its number of tables."""
    try:
        with closing(sqlite3.connect(target)) as copy:
            # One step (pages=-1): the whole copy is read in one transaction, a snapshot that
            # writers running meanwhile cannot tear (WAL lets them go on). A copy in several
            # steps would start again at every write and might never end on a busy registry.
            db.connection().backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # the copy took WAL from the source: one file is safer
            _check_integrity(copy, "The copy")
            return _count_tables(copy)
    except sqlite3.Error as error:
        raise BackupError(f"The SQLite backup failed: {error}.") from None


def live_file(db):
    """The file of the live database (None in memory): never a backup's target or source."""
    return None if db.database == ":memory:" else Path(db.database).resolve()


def inspect(db, path):
    """Check that path is a sound SQLite database; return (its tables, its migration names or None)."""
    try:
        with closing(_open_read_only(path)) as source:
            _check_integrity(source, str(path))
            tables = _count_tables(source)
            if not _has_table(source, "schema_migration"):
                return tables, None
            return tables, [name for (name,) in source.execute("SELECT name FROM schema_migration")]
    except sqlite3.DatabaseError as error:  # "file is not a database", a truncated copy
        raise BackupError(f"{path} is not a readable SQLite database ({error}).") from None


def carried_lines(path):
    """The audit witness lines the backup carries (table backup_checkpoint), oldest first; [] if none."""
    try:
        with closing(_open_read_only(path)) as source:
            if not _has_table(source, "backup_checkpoint"):
                return []
            return [line for (line,) in source.execute("SELECT line FROM backup_checkpoint ORDER BY id")]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a readable SQLite database ({error}).") from None


def load(db, path):
    """Replace the live database with the one at path, in one write transaction."""
    try:
        with closing(_open_read_only(path)) as source:
            # The backup API writes every page under one lock: other connections see either the
            # old database or the restored one, never a mix. The live file stays in WAL mode.
            source.backup(db.connection())
    except sqlite3.Error as error:
        raise BackupError(f"The SQLite restore failed: {error}.") from None


def _open_read_only(path):
    return sqlite3.connect(Path(path).as_uri() + "?mode=ro", uri=True)


def _check_integrity(conn, what):
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise BackupError(f"{what} failed SQLite's integrity check: {problems[0]}")


def _count_tables(conn):
    return conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                        "AND name NOT LIKE 'sqlite_%'").fetchone()[0]


def _has_table(conn, name):
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None
