"""Fixtures: a fresh app on a clean database for each test, its clients and accounts.

The database is SQLite in a temporary folder, or PostgreSQL when TEST_DATABASE_URL is set
(its public schema is reset at the start of the run). Migrations run once per run; after
each test every table but the reference lists is emptied. The makers of the other records
(participants, programs, cohorts, enrollments, API callers) are in tests/makers.py, loaded below.
"""
import itertools
import os
import tempfile
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
from peewee import SqliteDatabase

from registry import create_app
from registry.db import database, migrate, open_database
from registry.users.services import create_user as create_account

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
# Tables whose rows come from migrations (reference data): kept between tests.
KEPT_TABLES = {"schema_migration", "province", "counter", "setting", "indicator"}
PASSWORD = "correct horse battery"
# Each test app writes its audit witness to a new file in here (removed when the run ends), never
# into the instance folder; tests about the witness give their own path.
WITNESS_DIR = tempfile.TemporaryDirectory(prefix="registry-witness-")
WITNESS_NUMBER = itertools.count(1)
# For every folder: the makers of records and callers, the small worlds of the access tests, and the
# check that a run leaves the checkout as it found it.
pytest_plugins = ("tests.makers", "tests.access_world", "tests.checkout")


def _admin_connection(url, dbname=None):
    """An autocommit psycopg2 connection to the server of a PostgreSQL URL."""
    parts = urlsplit(url)
    conn = psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username,
                            password=parts.password, dbname=dbname or parts.path.lstrip("/"))
    conn.autocommit = True
    return conn


def _reset_postgres(url):
    with _admin_connection(url) as conn, conn.cursor() as cur:
        cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    conn.close()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """The test database's URL, migrated once for the whole run."""
    if TEST_DATABASE_URL:
        _reset_postgres(TEST_DATABASE_URL)
        url = TEST_DATABASE_URL
    else:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "registry.sqlite3")
    db = open_database(url)
    with db.connection_context():
        migrate(db)
    db.close()
    return url


@pytest.fixture
def fresh_database_url(tmp_path):
    """The URL of a new, empty database (dropped afterwards), for migration tests."""
    if not TEST_DATABASE_URL:
        yield "sqlite:///" + str(tmp_path / "fresh.sqlite3")
        return
    name = f"registry_fresh_{os.getpid()}"
    conn = _admin_connection(TEST_DATABASE_URL)
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {name}")
        cur.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(TEST_DATABASE_URL)
    yield urlunsplit(parts._replace(path="/" + name))
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    conn.close()


def make_test_config(database_url, **overrides):
    """The configuration of a test app; overrides win."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,  # tests of CSRF turn it back on
        "PASSWORD_HASH_PROFILE": "CHEAPEST",
        "AUDIT_WITNESS_FILE": os.path.join(WITNESS_DIR.name, f"witness-{next(WITNESS_NUMBER)}.log"),
    }
    config.update(overrides)
    return config


def _empty_tables():
    db = database.obj
    tables = [t for t in db.get_tables() if t not in KEPT_TABLES]
    if not tables:
        return
    db.execute_sql("UPDATE counter SET value = 0")
    if isinstance(db, SqliteDatabase):
        # An FTS5 table and its shadow tables (beneficiary_fts, beneficiary_fts_data, ...) are emptied
        # by the triggers on the table they index: deleting their rows directly corrupts the index.
        virtual = [name for (name,) in db.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")]
        tables = [t for t in tables if not any(t == v or t.startswith(v + "_") for v in virtual)]
        db.pragma("foreign_keys", 0)
        with db.atomic():
            for table in tables:
                db.execute_sql(f'DELETE FROM "{table}"')
        db.pragma("foreign_keys", 1)
    else:
        db.execute_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")


@pytest.fixture
def app(database_url):
    """A fresh app on the migrated test database, emptied after the test.

    No app context is held open: each test-client request must get its own, or
    flask-login's per-request user would leak from one request to the next.
    """
    app = create_app(make_test_config(database_url))
    yield app
    database.connect(reuse_if_open=True)
    _empty_tables()
    database.close()


@pytest.fixture
def app_ctx(app):
    """An app context, for tests that call domain functions directly."""
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner of the app."""
    return app.test_cli_runner()


@pytest.fixture
def create_user(app):
    """A maker of accounts: create_user(role="officer", provinces=None, username=None, ...)."""
    counter = iter(range(1, 10_000))

    def make(role="officer", provinces=None, username=None, password=PASSWORD, **kwargs):
        username = username or f"{role}{next(counter)}"
        with app.app_context():
                return create_account(username, kwargs.pop("full_name", username.title()), role, password,
                                  provinces, **kwargs)

    return make


class AuthActions:
    """Sign a test client in and out."""

    def __init__(self, client, create_user):
        self._client = client
        self._create_user = create_user

    def login(self, username, password=PASSWORD):
        """Post the sign-in form."""
        return self._client.post("/login", data={"username": username, "password": password})

    def login_as(self, role, provinces=None, **kwargs):
        """Create an account of the role and sign in as it; return the user."""
        user = self._create_user(role, provinces, **kwargs)
        response = self.login(user.username)
        assert response.status_code == 302, "sign-in failed"
        return user

    def logout(self):
        """Post the sign-out form."""
        return self._client.post("/logout")


@pytest.fixture
def auth(client, create_user):
    """Sign-in helpers bound to the test client."""
    return AuthActions(client, create_user)
