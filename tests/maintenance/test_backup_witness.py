"""Backups carry the audit witness, and a restore tells it: a restored older backup is no cut tail, a cut one still is."""
import json
import re

import pytest

from registry.audit.services import record_event
from registry.audit.witness import Witness
from registry.db import database
from registry.maintenance import on_postgres, on_sqlite
from registry.maintenance.backup import backup_database, restore_database
from tests.maintenance.test_backup import HAS_PG_TOOLS

CUT_NEWEST = "DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event)"


@pytest.fixture
def witness_file(app, tmp_path):
    """The app's witness file, in the test's own folder; PostgreSQL's part needs pg_dump."""
    if database_is_postgres(app) and not HAS_PG_TOOLS:
        pytest.skip("pg_dump and pg_restore are not installed (apt install postgresql-client)")
    path = tmp_path / "audit-witness.log"
    app.config["AUDIT_WITNESS_FILE"] = str(path)
    return path


def database_is_postgres(app):
    with app.app_context():
        return "postgresql" in app.config["DATABASE_URL"]


def write_events(app, n):
    """n events, each sealed (and witnessed) when its own command ends."""
    for i in range(n):
        with app.app_context():
            record_event("test.event", username="tester", detail={"n": i})


def tamper(app, sql):
    with app.app_context():
        database.connect(reuse_if_open=True)
        database.execute_sql(sql)


def verify(runner):
    return runner.invoke(args=["verify-audit"])


def test_a_backup_carries_the_signed_head_of_the_log(app, runner, witness_file, tmp_path):
    write_events(app, 3)
    path = tmp_path / "registry.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    backup_line = [json.loads(t) for t in witness_file.read_text().splitlines() if '"kind":"backup"' in t]
    assert [(e["seq"], e["kind"]) for e in backup_line] == [(3, "backup")]
    engine = on_sqlite if path.read_bytes().startswith(on_sqlite.MAGIC) else on_postgres
    [carried] = engine.carried_lines(path)
    assert json.loads(carried) == backup_line[0]


def test_a_restored_older_backup_then_verify_passes(app, runner, witness_file, tmp_path):
    write_events(app, 3)
    path = tmp_path / "registry.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    write_events(app, 4)  # witnessed up to seq 8 (the backup's own event is seq 4), then lost by the restore
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    result = verify(runner)
    assert result.exit_code == 0, result.output
    assert "replaced by a restore" in result.output
    restore = [json.loads(t) for t in witness_file.read_text().splitlines() if '"kind":"restore"' in t]
    assert [(e["seq"], e["backup_at"] is not None) for e in restore] == [(3, True)]
    write_events(app, 2)  # the log goes on from the restored head
    assert verify(runner).exit_code == 0


def test_a_restore_the_witness_was_not_told_of_looks_like_a_cut_tail(app, witness_file, runner, tmp_path):
    write_events(app, 2)
    path = tmp_path / "registry.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    write_events(app, 3)
    with app.app_context():
        restore_database(database.obj, path)  # no witness given: nothing tells it
    result = verify(runner)
    assert result.exit_code == 1 and "the first missing is seq" in result.output


def test_a_backup_of_an_already_cut_log_does_not_hide_the_cut(app, runner, witness_file, tmp_path):
    write_events(app, 6)
    tamper(app, CUT_NEWEST)
    tamper(app, CUT_NEWEST)
    path = tmp_path / "registry.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0  # carries seq 4: the cut log's head
    write_events(app, 1)
    assert runner.invoke(args=["restore", str(path), "--yes"]).exit_code == 0
    result = verify(runner)
    assert result.exit_code == 1  # the restore's own event took seq 5; seq 6 is gone
    assert "The audit event at seq 5 is not the one the witness saw" in result.output
    assert "1 event is gone, the first missing is seq 6" in result.output


def test_a_backup_made_before_backups_carried_the_witness_restores_and_verifies(app, runner, witness_file, tmp_path):
    write_events(app, 3)
    path = tmp_path / "old.backup"
    with app.app_context():
        backup_database(database.obj, path)  # as the code before the witness did: no checkpoint in it
    write_events(app, 2)
    assert runner.invoke(args=["restore", str(path), "--yes"]).exit_code == 0
    result = verify(runner)
    assert result.exit_code == 0, result.output


def test_a_carried_checkpoint_the_key_does_not_sign_stops_the_restore_before_it_starts(app, runner, witness_file,
                                                                                        tmp_path):
    write_events(app, 2)
    path = tmp_path / "registry.backup"
    with app.app_context():
        backup_database(database.obj, path, witness=Witness(tmp_path / "elsewhere.log", b"another registry's key"))
    write_events(app, 1)
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 1
    assert re.search(r"carries an audit witness checkpoint that does not check: its signature does not match",
                     result.output)
    assert verify(runner).exit_code == 0  # nothing was restored: the log is as it was


def test_a_witness_that_cannot_be_written_stops_the_backup_with_a_clear_message(app, runner, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    app.config["AUDIT_WITNESS_FILE"] = str(blocked / "audit-witness.log")
    if database_is_postgres(app) and not HAS_PG_TOOLS:
        pytest.skip("pg_dump is not installed")
    result = runner.invoke(args=["backup", str(tmp_path / "registry.backup")])
    assert result.exit_code == 1
    assert "Cannot write the audit witness" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "registry.backup").exists()
