"""Name search served by an index: an FTS5 trigram table on SQLite, pg_trgm GIN indexes on PostgreSQL.

Both index beneficiary.latin_key and beneficiary.khmer_key, so that "this word is inside the name"
no longer reads every participant; registry/beneficiaries/name_search.py asks them.

On SQLite the FTS5 table keeps no copy of the keys (external content: it reads them from
beneficiary) and triggers keep its index in step with every insert, update and delete, whoever
writes: the services, the import, a merge, the synthetic bulk loader or plain SQL.
"""
from peewee import SqliteDatabase

SQLITE_UP = [
    "CREATE VIRTUAL TABLE beneficiary_fts USING fts5("
    "latin_key, khmer_key, content='beneficiary', content_rowid='id', tokenize='trigram')",
    """CREATE TRIGGER beneficiary_fts_insert AFTER INSERT ON beneficiary BEGIN
        INSERT INTO beneficiary_fts (rowid, latin_key, khmer_key) VALUES (new.id, new.latin_key, new.khmer_key);
    END""",
    # An external-content index forgets a row only when told the values it indexed: the old ones.
    """CREATE TRIGGER beneficiary_fts_delete AFTER DELETE ON beneficiary BEGIN
        INSERT INTO beneficiary_fts (beneficiary_fts, rowid, latin_key, khmer_key)
        VALUES ('delete', old.id, old.latin_key, old.khmer_key);
    END""",
    # A save writes every column; the index is touched only when a key (or the id) really changed.
    """CREATE TRIGGER beneficiary_fts_update AFTER UPDATE OF id, latin_key, khmer_key ON beneficiary
    WHEN old.id != new.id OR old.latin_key IS NOT new.latin_key OR old.khmer_key IS NOT new.khmer_key BEGIN
        INSERT INTO beneficiary_fts (beneficiary_fts, rowid, latin_key, khmer_key)
        VALUES ('delete', old.id, old.latin_key, old.khmer_key);
        INSERT INTO beneficiary_fts (rowid, latin_key, khmer_key) VALUES (new.id, new.latin_key, new.khmer_key);
    END""",
    # The participants already registered.
    "INSERT INTO beneficiary_fts (beneficiary_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS beneficiary_fts_update",
    "DROP TRIGGER IF EXISTS beneficiary_fts_delete",
    "DROP TRIGGER IF EXISTS beneficiary_fts_insert",
    "DROP TABLE IF EXISTS beneficiary_fts",
]

POSTGRES_UP = [
    # pg_trgm is a trusted extension (PostgreSQL 13+): the owner of the database may create it.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX beneficiary_latin_key_trgm ON beneficiary USING gin (latin_key gin_trgm_ops)",
    "CREATE INDEX beneficiary_khmer_key_trgm ON beneficiary USING gin (khmer_key gin_trgm_ops)",
]
# The extension stays: it may have been there before this migration, and other things may use it.
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS beneficiary_khmer_key_trgm",
    "DROP INDEX IF EXISTS beneficiary_latin_key_trgm",
]


def _run(db, statements):
    for statement in statements:
        db.execute_sql(statement)


def up(migrator, db):
    _run(db, SQLITE_UP if isinstance(db, SqliteDatabase) else POSTGRES_UP)


def down(migrator, db):
    _run(db, SQLITE_DOWN if isinstance(db, SqliteDatabase) else POSTGRES_DOWN)
