"""The witness: signed checkpoints outside the database show the log's tail cut off, which the chain cannot."""
import json
import logging
import os
import threading

import pytest

from registry import create_app
from registry.audit import chain
from registry.audit.services import record_event
from registry.audit.witness import Entry, Witness, database_identity, signed_line, signing_key, stamp
from registry.db import database
from tests.conftest import make_test_config

CUT_NEWEST = "DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event)"


@pytest.fixture
def witness_file(app, tmp_path):
    """The app's witness file, in the test's own folder."""
    path = tmp_path / "witness" / "audit-witness.log"
    app.config["AUDIT_WITNESS_FILE"] = str(path)
    return path


def write_events(app, n, one_seal=False):
    """n events, each sealed by the end of its own command (a checkpoint each), or all in one seal."""
    if one_seal:
        with app.app_context():
            for i in range(n):
                record_event("test.event", username="tester", detail={"n": i})
        return
    for i in range(n):
        with app.app_context():
            record_event("test.event", username="tester", detail={"n": i})


def lines(path):
    """The witness file's entries as dicts."""
    return [json.loads(text) for text in path.read_text().splitlines()]


def test_every_seal_appends_a_signed_checkpoint_of_the_head(app, witness_file):
    write_events(app, 3)
    written = lines(witness_file)
    assert [(e["kind"], e["seq"]) for e in written] == [("checkpoint", 1), ("checkpoint", 2), ("checkpoint", 3)]
    with app.app_context():
        assert written[-1]["hash"] == chain.verify_chain().last_hash
        assert written[-1]["db"] == database_identity(database.obj)
    assert all(len(e["sig"]) == 64 for e in written)
    assert witness_file.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_an_untouched_log_agrees_with_its_witness(app, runner, witness_file):
    write_events(app, 4)
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 0, result.output
    assert "4 events, chain intact" in result.output
    assert "The witness agrees: 4 checkpoints in 1 file, the newest at seq 4" in result.output


@pytest.mark.parametrize("one_seal", [False, True], ids=["a checkpoint per event", "one checkpoint"])
def test_cutting_the_newest_event_is_detected(app, runner, tamper, witness_file, one_seal):
    write_events(app, 6, one_seal)
    tamper(CUT_NEWEST)
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1
    assert "1 event is gone, the first missing is seq 6" in result.output
    assert "the log now ends at seq 5" in result.output and "chain intact" not in result.output


@pytest.mark.parametrize("one_seal", [False, True], ids=["a checkpoint per event", "one checkpoint"])
def test_cutting_the_five_newest_events_is_detected(app, runner, tamper, witness_file, one_seal):
    write_events(app, 10, one_seal)
    for _ in range(5):
        tamper(CUT_NEWEST)
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1
    assert "5 events are gone, the first missing is seq 6" in result.output
    assert "the log now ends at seq 5" in result.output


def test_a_cut_tail_replaced_by_new_events_is_detected(app, runner, tamper, witness_file):
    write_events(app, 5)
    for _ in range(3):
        tamper(CUT_NEWEST)
    write_events(app, 1)  # chained at seq 3 after the cut: the chain holds, the witness does not
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1
    assert "The audit event at seq 3 is not the one the witness saw" in result.output
    assert "2 events are gone, the first missing is seq 4" in result.output


def test_a_tampered_witness_line_is_reported(app, runner, witness_file):
    write_events(app, 3)
    texts = witness_file.read_text().splitlines()
    texts[1] = texts[1].replace('"seq":2', '"seq":1')
    witness_file.write_text("\n".join(texts) + "\n")
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1
    assert f"Audit witness {witness_file}, line 2: its signature does not match" in result.output


def test_a_line_signed_with_another_key_or_no_entry_is_reported(app, runner, witness_file):
    write_events(app, 2)
    forged = Entry("checkpoint", stamp(), json.loads(witness_file.read_text().splitlines()[0])["db"], 1, "f" * 64)
    with witness_file.open("a") as file:
        file.write(signed_line(b"another key", forged) + "\n" + "not json\n")
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1
    assert "line 3: its signature does not match" in result.output
    assert "line 4: not a witness entry" in result.output


def test_another_servers_witness_file_is_read_too(app, runner, tamper, witness_file, tmp_path):
    other_server = tmp_path / "other-server.log"
    write_events(app, 3)
    app.config["AUDIT_WITNESS_FILE"] = str(other_server)
    write_events(app, 2)  # seq 4 and 5 were witnessed by the other server only
    app.config["AUDIT_WITNESS_FILE"] = str(witness_file)
    tamper(CUT_NEWEST)
    assert runner.invoke(args=["verify-audit"]).exit_code == 0  # this server's own file saw only seq 3
    result = runner.invoke(args=["verify-audit", "--witness", str(other_server)])
    assert result.exit_code == 1 and "1 event is gone, the first missing is seq 5" in result.output


def test_lines_about_another_database_are_not_held_to_this_one(app, runner, witness_file):
    write_events(app, 2)
    spare = Entry("checkpoint", stamp(), "postgresql://spare:5432/registry_test_restore", 40, "e" * 64)
    with app.app_context():
        Witness(witness_file, signing_key(app.config)).append(spare)
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 0, result.output


def test_a_witness_that_cannot_be_written_is_logged_and_the_seal_holds(app, tmp_path, caplog):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    app.config["AUDIT_WITNESS_FILE"] = str(blocked / "witness.log")
    with caplog.at_level(logging.ERROR):
        write_events(app, 1)
    assert "Cannot write the audit witness" in caplog.text
    with app.app_context():
        assert chain.verify_chain().count == 1


def test_two_workers_append_to_one_witness_file_and_it_stays_valid(database_url, runner, witness_file):
    """Two app objects, as two gunicorn workers, sealing at once into the same file."""
    workers = [create_app(make_test_config(database_url, AUDIT_WITNESS_FILE=str(witness_file))) for _ in range(2)]
    barrier, errors = threading.Barrier(2), []

    def work(worker):
        try:
            barrier.wait()
            write_events(worker, 15)
        except Exception as error:  # reported below: a thread's exception would be lost
            errors.append(error)

    threads = [threading.Thread(target=work, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    written = lines(witness_file)
    assert len(written) >= 15 and max(e["seq"] for e in written) == 30  # a seal may take the other's event too
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 0, result.output
    assert "30 events, chain intact" in result.output and "The witness agrees" in result.output


def test_the_default_key_is_derived_from_the_secret_key_and_an_explicit_one_wins():
    assert signing_key({"SECRET_KEY": "a"}) != signing_key({"SECRET_KEY": "b"})
    assert signing_key({"SECRET_KEY": "a"}) != b"a"
    assert signing_key({"SECRET_KEY": "a", "AUDIT_WITNESS_KEY": "kept elsewhere"}) == b"kept elsewhere"


def test_the_deployed_default_file_is_in_the_instance_folder(tmp_path, monkeypatch):
    from registry.config import from_environment
    monkeypatch.delenv("AUDIT_WITNESS_FILE", raising=False)
    assert from_environment(tmp_path)["AUDIT_WITNESS_FILE"] == os.path.join(tmp_path, "audit-witness.log")


def test_many_lines_failing_alike_are_reported_in_one_sentence(app, runner, witness_file):
    write_events(app, 2)
    db = json.loads(witness_file.read_text().splitlines()[0])["db"]
    with witness_file.open("a") as file:
        for seq in range(1, 8):
            file.write(signed_line(b"another key", Entry("checkpoint", stamp(), db, seq, "f" * 64)) + "\n")
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1
    assert result.output.count("its signature does not match") == 1
    assert f"{witness_file}, 7 lines (3, 4, 5, 6, 7 and 2 more): its signature does not match" in result.output


def test_a_line_of_another_database_under_another_key_is_left_out(app, runner, witness_file):
    """Another deployment's line (a load test's, say) in the same file vouches for nothing here."""
    write_events(app, 2)
    other = Entry("checkpoint", stamp(), "sqlite:/tmp/another-registry.sqlite3", 9, "d" * 64)
    with witness_file.open("a") as file:
        file.write(signed_line(b"another deployment's key", other) + "\n")
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 0, result.output
