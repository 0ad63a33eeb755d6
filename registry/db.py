"""The database: chosen from DATABASE_URL, one connection per request, schema by migrations."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from peewee import DatabaseProxy, Model, SqliteDatabase
from playhouse import db_url
from playhouse.migrations import Runner

database = DatabaseProxy()
MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# WAL lets readers work while a writer commits; the busy timeout makes a second
# writer wait for the lock instead of failing at once.
SQLITE_PRAGMAS = {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10000, "synchronous": "normal"}


class BaseModel(Model):
    """Base of every model: bound to the app's database, snake_case table names."""

    class Meta:
        database = database
        legacy_table_names = False


def open_database(url):
    """Return an unconnected peewee database for a URL such as sqlite:///x.db or postgresql://..."""
    if url.startswith("sqlite"):
        path = db_url.parse(url)["database"]
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # BEGIN IMMEDIATE: a transaction that reads then writes takes the write lock up front, so
        # a second writer waits (busy timeout) instead of failing with "database is locked".
        return SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE")
    return db_url.connect(url)


def is_postgres():
    """Tell whether the app runs on PostgreSQL (a few queries differ)."""
    return not isinstance(database.obj, SqliteDatabase)


def locked(query, strength="FOR UPDATE"):
    """The query taking row locks until the transaction ends: SELECT ... FOR UPDATE on PostgreSQL.

    On SQLite the query is left as it is: its write transactions begin IMMEDIATE (open_database), so a
    second writer already waits at its BEGIN. A strength of "FOR NO KEY UPDATE" lets foreign-key checks
    of other writers (which take KEY SHARE) go on while the rows are held.
    """
    return query.for_update(strength) if is_postgres() else query


def migration_runner(db=None):
    """Return peewee's migration runner over registry/migrations."""
    return Runner(db or database.obj, directory=str(MIGRATIONS_DIR))


def migrate(db=None):
    """Apply every pending migration; return the names applied (empty when up to date)."""
    return migration_runner(db).up()


def _connect():
    database.connect(reuse_if_open=True)


def _close(exc):
    if not database.is_closed():
        database.close()


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or upgrade the schema; running it twice changes nothing."""
    with database.connection_context():
        applied = migrate()
    if applied:
        click.echo("Applied migrations: " + ", ".join(applied))
    else:
        click.echo("The database is up to date.")


def init_app(app):
    """Bind the database to the app, open a connection per request, add the CLI."""
    database.initialize(open_database(app.config["DATABASE_URL"]))
    app.before_request(_connect)
    app.teardown_request(_close)
    app.cli.add_command(init_db_command)
