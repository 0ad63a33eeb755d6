"""Backups and restores of the whole database, on SQLite and on PostgreSQL, by function and by command."""
import json
import re
import shutil
import sqlite3
import subprocess
import threading
import time
from contextlib import closing
from datetime import date
from decimal import Decimal

import pytest
from peewee import OperationalError, PostgresqlDatabase, SqliteDatabase

from registry import maintenance
from registry.api.tokens import create_token
from registry.audit.models import AuditEvent
from registry.auth.models import User
from registry.beneficiaries.importing import create_job
from registry.beneficiaries.merging import merge_beneficiaries
from registry.beneficiaries.models import Beneficiary
from registry.db import database, migration_runner, open_database
from registry.synthetic.demo import seed_demo
from registry.maintenance import on_postgres, on_sqlite
from registry.maintenance.backup import backup_database, restore_database
from registry.maintenance.errors import BackupError
from registry.outcomes.currency import set_rate
from registry.programs.models import Attendance, Enrollment
from registry.reports.admin_services import set_target
from registry.reports.models import Indicator, IndicatorTarget
from registry.users.services import create_user

HAS_PG_TOOLS = bool(shutil.which("pg_dump") and shutil.which("pg_restore"))


@pytest.fixture
def runner(app):
    """A CLI runner of an app that has the backup commands (registry/__init__.py may not add them yet)."""
    if "backup" not in app.cli.commands:
        maintenance.init_app(app)
    return app.test_cli_runner()


@pytest.fixture
def live(app_ctx):
    """The test database, connected; PostgreSQL's part is skipped only when pg_dump cannot be found."""
    db = database.obj
    if not isinstance(db, SqliteDatabase) and not HAS_PG_TOOLS:
        pytest.skip("pg_dump and pg_restore are not installed (apt install postgresql-client)")
    db.connect(reuse_if_open=True)
    return db


@pytest.fixture
def fresh(fresh_database_url):
    """A new, empty database of the same kind as the test database, connected."""
    db = open_database(fresh_database_url)
    db.connect()
    yield db
    db.close()


def snapshot(db):
    """Every table of db, as the database lists them, with all its rows ordered by primary key."""
    tables = {}
    for table in db.get_tables():
        keys = db.get_primary_keys(table) or [column.name for column in db.get_columns(table)]
        cursor = db.execute_sql(f'SELECT * FROM "{table}" ORDER BY ' + ", ".join(f'"{k}"' for k in keys))
        names = [d[0] for d in cursor.description]
        tables[table] = [dict(zip(names, (bytes(v) if isinstance(v, memoryview) else v for v in row)))
                         for row in cursor.fetchall()]
    return tables


def differing_tables(before, after):
    """The names of the tables whose rows (or existence) differ between two snapshots."""
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


def fill_registry():
    """Rows in most tables: the demo, plus a token, a target, a rate, an import job and a merge."""
    seed_demo()
    admin = User.get(User.username == "admin")
    create_token(admin, "backup test")
    set_target(Indicator.select().order_by(Indicator.id).first(), 2026, 0, Decimal("120"), admin)
    set_rate(date(2026, 1, 1), Decimal("4100"), admin)
    create_job(admin, "people.xlsx", b"PK\x03\x04\x00\xff binary, as an upload is")
    first, *_, last = Beneficiary.select().order_by(Beneficiary.id)  # the demo's last is a likely duplicate
    merge_beneficiaries(first, last, admin)


def change_everything(admin):
    """What happens after a backup: changes, deletions, new records, in many tables."""
    Beneficiary.update(given_name="Changed").where(Beneficiary.id <= 10).execute()
    Attendance.delete().execute()
    Enrollment.update(status="dropped").execute()
    IndicatorTarget.delete().execute()
    database.execute_sql("DELETE FROM api_token")
    create_user("newcomer", "New Comer", "officer", "a long password", None)
    create_token(admin, "after the backup")


@pytest.mark.parametrize("into", ["the same database", "a fresh database"])
def test_a_restore_gives_back_every_table_as_it_was_at_backup_time(live, fresh, tmp_path, into):
    fill_registry()
    before = snapshot(live)
    assert sum(1 for rows in before.values() if rows) >= 20, "the round trip should cover most tables"
    path = tmp_path / "registry.backup"

    backup = backup_database(live, path)
    assert backup.path == path and backup.size == path.stat().st_size > 0 and backup.tables == len(before)
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert event.action == "database.backup" and json.loads(event.detail)["path"] == str(path)

    change_everything(User.get(User.username == "admin"))
    changed = {"api_token", "app_user", "attendance", "audit_event", "beneficiary", "enrollment", "indicator_target"}
    assert set(differing_tables(before, snapshot(live))) == changed
    target = live if into == "the same database" else fresh
    restored = restore_database(target, path)

    assert restored.tables == len(before) and restored.migrations == []
    after = snapshot(target)
    restore_event = after["audit_event"].pop()  # the restore itself is on record, in the restored database
    assert restore_event["action"] == "database.restore"
    assert json.loads(restore_event["detail"])["path"] == str(path)
    assert restore_event["id"] > before["audit_event"][-1]["id"]
    assert differing_tables(before, after) == []
    if isinstance(target, SqliteDatabase):
        assert target.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    if target is live:  # the app goes on: new rows take new ids (PostgreSQL's sequences came back too)
        newcomer = create_user("after", "After Restore", "officer", "a long password", None)
        assert newcomer.id > before["app_user"][-1]["id"]


def rows_written_in(copy, db):
    """How many of the writer's audit events a backup file holds (checking a SQLite copy on the way)."""
    if not isinstance(db, SqliteDatabase):
        script = subprocess.run(["pg_restore", "--data-only", "--table=audit_event", "--file=-", str(copy)],
                                capture_output=True, text=True, check=True).stdout
        return sum("\ttest.write\t" in line for line in script.splitlines())
    with closing(sqlite3.connect(copy)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
        return conn.execute("SELECT count(*) FROM audit_event WHERE action = 'test.write'").fetchone()[0]


def test_a_backup_taken_while_another_connection_writes_is_consistent(live, database_url, tmp_path):
    batch = 50  # the writer commits its rows 50 at a time: a copy holds a multiple of 50, or it is torn
    with live.atomic():  # a few megabytes, so that a copy takes a while
        for _ in range(10):
            AuditEvent.insert_many([{"action": "bulk", "detail": "x" * 1000}] * 500).execute()
    committed, stop = [0], threading.Event()

    def write():
        db = open_database(database_url)
        with db.connection_context():
            while not stop.is_set():
                with db.atomic():
                    for n in range(batch):
                        db.execute_sql("INSERT INTO audit_event (at, username, action, object_type, object_id, "
                                       "ip, detail, user_agent) VALUES ('2026-01-01', 'writer', 'test.write', "
                                       f"'', {db.param}, '', '{{}}', '')", [str(n)])
                committed[0] += 1
                time.sleep(0.002)  # like the app: busy, not a lock held forever (the backup records an event)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while committed[0] < 3:
            time.sleep(0.01)
        overlapped, counts = 0, []
        for attempt in range(4):
            start, path = committed[0], tmp_path / f"copy-{attempt}.backup"
            backup_database(live, path)
            overlapped += committed[0] > start
            counts.append(rows_written_in(path, live))
    finally:
        stop.set()
        writer.join()
    assert all(count % batch == 0 for count in counts), counts
    assert counts == sorted(counts) and counts[-1] > counts[0] and overlapped, (counts, overlapped)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"copy-{n}.backup" for n in range(4)]


def foreign_database(db, tmp_path):
    """A sound database file of db's kind that is not a registry: a single table, no migrations."""
    path = tmp_path / "other.db"
    if isinstance(db, SqliteDatabase):
        with closing(sqlite3.connect(path)) as conn:
            conn.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
        return path
    db.execute_sql("CREATE TABLE note (id SERIAL PRIMARY KEY, text TEXT)")
    params = db.connect_params
    subprocess.run(["pg_dump", "--format=custom", "--file", str(path), "--host", params["host"],
                    "--port", str(params["port"]), "--username", params["user"], db.database], check=True)
    return path


def other_kind(db, tmp_path):
    """A file of the other database kind than db's."""
    path = tmp_path / "other-kind.backup"
    if isinstance(db, SqliteDatabase):
        path.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(100))
        return path, "is a pg_dump archive, but this registry runs on SQLite"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE schema_migration (name TEXT)")
    return path, "is a SQLite database, but this registry runs on PostgreSQL"


def test_restore_refuses_what_is_not_a_backup_of_this_registry(live, fresh, tmp_path):
    create_user("keeper", "Kept Record", "officer", "a long password", None)
    before = snapshot(live)
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n")
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes((b"SQLite format 3\x00" if isinstance(live, SqliteDatabase) else b"PGDMP") + bytes(4000))
    kind, kind_message = other_kind(live, tmp_path)
    cases = [
        (tmp_path / "missing.backup", "There is no backup file at"),
        (tmp_path, "There is no backup file at"),
        (text, "is not a backup: it is neither a SQLite database nor a pg_dump archive (custom format)."),
        (kind, kind_message),
        (foreign_database(fresh, tmp_path), "is not a backup of this registry: it has no schema_migration table"),
        (damaged, "is not a readable SQLite database" if isinstance(live, SqliteDatabase) else "pg_restore failed"),
    ]
    if isinstance(live, SqliteDatabase):
        cases.append((live.database, "is the live database itself"))
    for path, message in cases:
        with pytest.raises(BackupError, match=re.escape(message)) as refused:
            restore_database(live, path)
        assert "\n" not in str(refused.value)
    assert differing_tables(before, snapshot(live)) == []


def test_restore_refuses_a_backup_from_newer_code(live, fresh, tmp_path):
    migration_runner(fresh).up()
    fresh.execute_sql("INSERT INTO schema_migration (name, applied) VALUES ('9999_from_the_future', '2030-01-01')")
    path = tmp_path / "future.backup"
    backup_database(fresh, path)
    create_user("keeper", "Kept Record", "officer", "a long password", None)
    before = snapshot(live)
    with pytest.raises(BackupError, match=re.escape("comes from a newer version of the registry (unknown "
                                                    "migrations: 9999_from_the_future): upgrade the code")):
        restore_database(live, path)
    assert differing_tables(before, snapshot(live)) == []


def test_an_older_backup_is_brought_up_to_date(live, fresh, tmp_path):
    names = [m.name for m in migration_runner(fresh).migrations()]
    older = "0008_report_submissions"  # before 0009 made api_token, whose rows point to app_user's
    migration_runner(fresh).up(target=older)
    path = tmp_path / "older.backup"
    backup_database(fresh, path)
    create_token(create_user("keeper", "Kept Record", "officer", "a long password", None), "made later")
    tables = set(live.get_tables())

    restored = restore_database(live, path)

    assert restored.migrations == names[names.index(older) + 1:]
    assert [name for (name,) in live.execute_sql("SELECT name FROM schema_migration ORDER BY id")] == names
    assert set(live.get_tables()) == tables  # every table of the code, and nothing left from before
    assert live.execute_sql("SELECT count(*) FROM api_token").fetchone()[0] == 0
    assert not User.select().exists()
    assert AuditEvent.select().where(AuditEvent.action == "database.restore").count() == 1


def test_a_restore_that_fails_half_way_changes_nothing(live, fresh, tmp_path, monkeypatch):
    if isinstance(live, SqliteDatabase):
        pytest.skip("SQLite restores by swapping the file whole: there is no half way")
    migration_runner(fresh).up(target="0008_report_submissions")  # older: newer tables and foreign keys go first
    path = tmp_path / "older.backup"
    backup_database(fresh, path)
    create_token(create_user("keeper", "Kept Record", "officer", "a long password", None), "made later")
    before = snapshot(live)
    keys = live.execute_sql("SELECT count(*) FROM pg_constraint WHERE contype = 'f'").fetchone()[0]
    prelude = on_postgres._prelude
    monkeypatch.setattr(on_postgres, "_prelude", lambda *args: prelude(*args) + "SELECT 1 / 0;\n")

    with pytest.raises(BackupError, match="psql failed: .*division by zero"):
        restore_database(live, path)
    assert differing_tables(before, snapshot(live)) == []
    assert live.execute_sql("SELECT count(*) FROM pg_constraint WHERE contype = 'f'").fetchone()[0] == keys

    monkeypatch.setattr(on_postgres, "_prelude", prelude)
    # pg_restore failing between two statements: what psql ran of it is not committed.
    real = on_postgres._tool("pg_restore")
    fake = tmp_path / "pg_restore"
    fake.write_text(f'#!/bin/sh\ncase "$*" in *--clean*) ;; *) exec {real} "$@";; esac\n'
                    "echo \"UPDATE schema_migration SET name = name || 'x';\"\n"
                    'echo "pg_restore: error: the disk failed" >&2\nexit 1\n')
    fake.chmod(0o755)
    monkeypatch.setattr(on_postgres, "_tool", lambda name: str(fake) if name == "pg_restore" else shutil.which(name))
    with pytest.raises(BackupError, match="pg_restore failed: pg_restore: error: the disk failed"):
        restore_database(live, path)
    assert differing_tables(before, snapshot(live)) == []


def test_a_failed_backup_leaves_no_file(live, tmp_path, monkeypatch):
    engine = on_sqlite if isinstance(live, SqliteDatabase) else on_postgres

    def half_then_fail(db, target):
        target.write_bytes(b"half a copy")
        raise BackupError("The disk is full.")

    monkeypatch.setattr(engine, "dump", half_then_fail)
    with pytest.raises(BackupError, match="The disk is full"):
        backup_database(live, tmp_path / "registry.backup")
    assert list(tmp_path.iterdir()) == []


def test_backup_command_prints_what_it_did_and_refuses_to_overwrite(runner, live, tmp_path):
    path = tmp_path / "registry.backup"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Backed up the database to {path} (")
    assert " tables) in " in result.output and result.output.endswith(" s.\n")
    copy = path.read_bytes()
    assert path.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only

    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 1
    assert result.output == f"Error: {path} already exists: choose another path, or replace it with --force.\n"
    assert path.read_bytes() == copy

    result = runner.invoke(args=["backup", str(path), "--force"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["backup", str(tmp_path / "no such folder" / "x.backup")])
    assert result.exit_code == 1 and "does not exist" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["registry.backup"]
    assert AuditEvent.select().where(AuditEvent.action == "database.backup").count() == 2


def test_restore_command_asks_first_unless_yes(runner, live, tmp_path):
    path = tmp_path / "registry.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    create_user("newcomer", "New Comer", "officer", "a long password", None)

    result = runner.invoke(args=["restore", str(path)], input="n\n")
    assert result.exit_code == 1 and "This replaces everything in the database" in result.output
    assert User.select().count() == 1

    result = runner.invoke(args=["restore", str(path)], input="y\n")
    assert result.exit_code == 0, result.output
    assert f"Restored the database from {path} (" in result.output
    assert User.select().count() == 0

    result = runner.invoke(args=["restore", str(tmp_path / "missing"), "--yes"])
    assert result.exit_code == 1 and result.output == f"Error: There is no backup file at {tmp_path / 'missing'}.\n"


def test_the_postgres_password_goes_in_the_environment_not_on_the_command_line():
    db = PostgresqlDatabase("registry", host="db.internal", port=5433, user="registry", password="s3cret words")
    options, env = on_postgres._connection(db)
    assert options == ["--dbname", "registry", "--no-password", "--host", "db.internal", "--port", "5433",
                       "--username", "registry"]
    assert env["PGPASSWORD"] == "s3cret words" and not any("s3cret" in option for option in options)


def test_a_database_failure_is_one_line_on_the_command_line():
    from registry.maintenance.cli import _failed

    error = OperationalError('connection to server at "db" failed: Connection refused\n\tIs the server running?')
    assert _failed(error).message == 'The database failed: connection to server at "db" failed: Connection refused'


def test_missing_postgres_tools_name_the_package(monkeypatch):
    monkeypatch.setattr(on_postgres.shutil, "which", lambda name: None)
    with pytest.raises(BackupError, match="pg_dump is not installed: .*apt install postgresql-client"):
        on_postgres._tool("pg_dump")


def test_a_failing_tool_shows_the_last_line_of_its_errors(tmp_path):
    tool = tmp_path / "pg_restore"  # pg_restore follows its error with the SQL it ran
    tool.write_text("#!/bin/sh\necho 'pg_restore: error: could not execute query: ERROR:  the reason' >&2\n"
                    "echo 'Command was: DROP TABLE x;' >&2\nexit 1\n")
    tool.chmod(0o755)
    with pytest.raises(BackupError) as failed:
        on_postgres._run([str(tool), "--list"])
    assert str(failed.value) == "pg_restore failed: pg_restore: error: could not execute query: ERROR:  the reason"
