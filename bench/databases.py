"""A run's own database, PostgreSQL or SQLite: create, drop, connect, query (the load test and bench.national).

The load test's checks read the database directly with the DB-API (psycopg2 or sqlite3), never through the app,
so that what they find is what is stored. Queries are written with %s placeholders; a list parameter
fills `IN %s`.
"""
import os
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2

# The benchmarks' audit witness: a file of their own, outside the checkout's instance folder, so that a
# developer's witness holds only the lines of their own registry (verify-audit would report the others).
BENCH_WITNESS = os.path.join(tempfile.gettempdir(), "registry-bench-audit-witness.log")

PROTECTED_DATABASES = {"test", "postgres", "template0", "template1"}


def is_sqlite(url):
    """Whether the run's database is SQLite."""
    return url.startswith("sqlite")


def sqlite_path(url):
    """The file of a sqlite:///path URL (sqlite:////tmp/x.db is /tmp/x.db)."""
    return Path(url.split(":///", 1)[1])


def database_name(url):
    """What the summary calls the database: its name on the server, or its file."""
    return str(sqlite_path(url)) if is_sqlite(url) else urlsplit(url).path.lstrip("/")


def refuse(url):
    """Why the load test may not drop this database, or None."""
    if is_sqlite(url):
        return None if sqlite_path(url).suffix in (".db", ".sqlite", ".sqlite3") else \
            "give a SQLite file ending in .db, .sqlite or .sqlite3: the load test deletes it."
    if not url.startswith("postgres"):
        return "give a PostgreSQL (postgresql://...) or SQLite (sqlite:////path.sqlite3) URL."
    if database_name(url) in PROTECTED_DATABASES:
        return "this database is not the load test's to drop: give a database of its own."
    return None


def server_execute(url, statement, params=()):
    """Run a statement on the maintenance database (postgres) of url's server, autocommit; return its rows, if any."""
    conn = psycopg2.connect(url, dbname="postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(statement, params)
            return cur.fetchall() if cur.description else []
    finally:
        conn.close()


def _sqlite_files(url):
    path = sqlite_path(url)
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def drop_database(url):
    """Drop the database of url (for SQLite: delete its file and journals)."""
    if is_sqlite(url):
        for path in _sqlite_files(url):
            path.unlink(missing_ok=True)
        return
    server_execute(url, f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')


def recreate_database(url):
    """Drop the database of url if it exists, and create it empty."""
    drop_database(url)
    if is_sqlite(url):
        sqlite_path(url).parent.mkdir(parents=True, exist_ok=True)
        return
    server_execute(url, f'CREATE DATABASE "{database_name(url)}"')


def connect(url):
    """An autocommit DB-API connection to the run's database."""
    if is_sqlite(url):
        return sqlite3.connect(str(sqlite_path(url)), isolation_level=None, timeout=30, check_same_thread=False)
    conn = psycopg2.connect(url)
    conn.autocommit = True
    return conn


def fetch(conn, sql, *params):
    """The rows of a query written with %s placeholders; a list parameter fills `IN %s` (empty: no row)."""
    mark = "?" if isinstance(conn, sqlite3.Connection) else "%s"
    pieces, values = sql.split("%s"), []
    text = pieces[0]
    for param, piece in zip(params, pieces[1:]):
        if isinstance(param, (list, tuple)):
            text += "(" + (", ".join([mark] * len(param)) or "NULL") + ")"
            values += list(param)
        else:
            text += mark
            values.append(param)
        text += piece
    cur = conn.cursor()
    try:
        cur.execute(text, values)
        return cur.fetchall() if cur.description else []
    finally:
        cur.close()
