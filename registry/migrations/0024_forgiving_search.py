"""Search that forgives: phones searched by any part (beneficiary.phone_key and its trigram index), and
fuzzystrmatch on PostgreSQL for names with a typo.

"345678" finds 012 345 678: the search looks for the digits inside phone_key (012345678 for
+85512345678, the E.164 digits for a number abroad), which registry/beneficiaries/phones.phone_key
computes and every writer stores through duplicates.search_keys. The column is added by plain
ALTER TABLE, NOT NULL with its default, which both databases do in place: peewee's add_column would
add it nullable and then rebuild the whole table on SQLite to make it NOT NULL, and a rebuilt
beneficiary table loses the triggers of migration 0012. It is filled here from the stored phones
with phone_key's rule in SQL. Its index:

- SQLite: beneficiary_phone_fts, an FTS5 trigram table over phone_key, kept in step by triggers like
  the name index of migration 0012 (external content: it keeps no copy of the digits).
- PostgreSQL: a pg_trgm GIN index on phone_key, which serves LIKE '%345678%'.
"""
from peewee import SqliteDatabase
from playhouse.migrate import migrate

ADD = "ALTER TABLE beneficiary ADD COLUMN phone_key VARCHAR(20) DEFAULT '' NOT NULL"
FILL = ("UPDATE beneficiary SET phone_key = CASE WHEN substr(phone, 1, 4) = '+855' THEN '0' || substr(phone, 5) "
        "ELSE substr(phone, 2) END WHERE phone <> ''")
SQLITE_UP = [
    "CREATE VIRTUAL TABLE beneficiary_phone_fts USING fts5("
    "phone_key, content='beneficiary', content_rowid='id', tokenize='trigram')",
    """CREATE TRIGGER beneficiary_phone_fts_insert AFTER INSERT ON beneficiary BEGIN
        INSERT INTO beneficiary_phone_fts (rowid, phone_key) VALUES (new.id, new.phone_key);
    END""",
    """CREATE TRIGGER beneficiary_phone_fts_delete AFTER DELETE ON beneficiary BEGIN
        INSERT INTO beneficiary_phone_fts (beneficiary_phone_fts, rowid, phone_key)
        VALUES ('delete', old.id, old.phone_key);
    END""",
    """CREATE TRIGGER beneficiary_phone_fts_update AFTER UPDATE OF id, phone_key ON beneficiary
    WHEN old.id != new.id OR old.phone_key IS NOT new.phone_key BEGIN
        INSERT INTO beneficiary_phone_fts (beneficiary_phone_fts, rowid, phone_key)
        VALUES ('delete', old.id, old.phone_key);
        INSERT INTO beneficiary_phone_fts (rowid, phone_key) VALUES (new.id, new.phone_key);
    END""",
    "INSERT INTO beneficiary_phone_fts (beneficiary_phone_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS beneficiary_phone_fts_update",
    "DROP TRIGGER IF EXISTS beneficiary_phone_fts_delete",
    "DROP TRIGGER IF EXISTS beneficiary_phone_fts_insert",
    "DROP TABLE IF EXISTS beneficiary_phone_fts",
]
# levenshtein_less_equal, for the names found with a typo (name_search.py); trusted like pg_trgm.
POSTGRES_UP = ["CREATE EXTENSION IF NOT EXISTS fuzzystrmatch",
               "CREATE INDEX beneficiary_phone_key_trgm ON beneficiary USING gin (phone_key gin_trgm_ops)"]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS beneficiary_phone_key_trgm"]


def _run(db, statements):
    for statement in statements:
        db.execute_sql(statement)


def up(migrator, db):
    db.execute_sql(ADD)
    db.execute_sql(FILL)
    _run(db, SQLITE_UP if isinstance(db, SqliteDatabase) else POSTGRES_UP)


def down(migrator, db):
    _run(db, SQLITE_DOWN if isinstance(db, SqliteDatabase) else POSTGRES_DOWN)
    migrate(migrator.drop_column("beneficiary", "phone_key"))
