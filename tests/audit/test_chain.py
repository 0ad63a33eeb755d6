"""The hash chain: events are written unsealed, sealed in order, and any later change shows."""
import os
import threading

import pytest

from registry.audit import chain
from registry.audit.models import AuditError, AuditEvent
from registry.audit.services import record_event
from registry.db import database, is_postgres

ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))


def record(n, action="test.event"):
    """Write n events, each in its own transaction; return them."""
    return [record_event(action, username="tester", detail={"n": i}) for i in range(n)]


def test_events_are_written_unsealed(app_ctx, events):
    record(2)
    assert [(e.seq, e.prev_hash, e.hash) for e in events()] == [(None, None, None)] * 2


def test_sealing_chains_events_in_id_order(app_ctx, events):
    record(3)
    assert chain.seal_pending() == 3
    first, second, third = events()
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert first.prev_hash == chain.GENESIS
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    row = AuditEvent.select(*chain.HASHED_FIELDS).where(AuditEvent.id == second.id).dicts().get()
    assert second.hash == chain.event_hash(first.hash, row)


def test_a_second_seal_finds_nothing_and_a_later_event_extends_the_chain(app_ctx, events):
    record(2)
    chain.seal_pending()
    assert chain.seal_pending() == 0
    record(1)
    assert chain.seal_pending() == 1
    *_, before, last = events()
    assert (last.seq, last.prev_hash) == (3, before.hash)


def test_sealing_works_in_batches(app_ctx, events):
    record(7)
    assert chain.seal_pending(batch_size=3) == 7
    assert [e.seq for e in events()] == list(range(1, 8))
    assert chain.verify_chain().problem is None


def test_the_canonical_form_covers_every_field_and_keeps_khmer_text(app_ctx):
    event = record_event("note", username="tester", detail={"name": "សុខ ចាន់ធី"})
    row = AuditEvent.select(*chain.HASHED_FIELDS).where(AuditEvent.id == event.id).dicts().get()
    text = chain.canonical_json(row)
    for key in ("id", "at", "user_id", "username", "action", "object_type", "object_id", "ip", "user_agent",
                "detail"):
        assert f'"{key}":' in text
    assert "សុខ ចាន់ធី" in text and text.count('"at":"') == 1 and 'Z"' in text


def test_sealing_refuses_to_run_inside_a_transaction(app_ctx):
    record(1)
    with database.atomic():
        with pytest.raises(RuntimeError, match="outside any transaction"):
            chain.seal_pending()


def test_the_model_refuses_every_change_but_a_first_seal(app_ctx, events):
    [event] = record(1)
    with pytest.raises(AuditError):
        AuditEvent.create(action="forged", hash="0" * 64, seq=99)
    chain.seal_pending()
    with pytest.raises(AuditError, match="already sealed"):
        AuditEvent.seal(event.id, 5, chain.GENESIS, "f" * 64)
    with pytest.raises(AuditError):
        AuditEvent.update(hash=None)
    sealed = events()[0]
    with pytest.raises(AuditError):
        sealed.save()
    assert events()[0].seq == 1


def test_two_sealers_at_once_chain_every_event_once(app, app_ctx, events):
    record(60)
    barrier = threading.Barrier(2)
    sealed, errors = [], []

    def seal():
        with app.app_context():
            try:
                barrier.wait()
                with chain.own_connection():
                    sealed.append(chain.seal_pending(batch_size=7))
            except Exception as error:  # reported below: a thread's exception would be lost
                errors.append(error)

    threads = [threading.Thread(target=seal) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sum(sealed) == 60
    assert sorted(e.seq for e in events()) == list(range(1, 61))
    assert chain.verify_chain().count == 60


@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite runs one writer at a time: no open writer to pass")
def test_an_event_of_a_long_transaction_is_sealed_when_committed_at_the_end_of_the_chain(app, app_ctx, events):
    """No global lock: sealing does not wait for a long transaction, whose events join the chain later."""
    in_transaction, may_commit = threading.Event(), threading.Event()

    def long_import():
        with app.app_context(), chain.own_connection():
            with database.atomic():
                record_event("long.import", username="importer")
                in_transaction.set()
                may_commit.wait(10)

    thread = threading.Thread(target=long_import)
    thread.start()
    assert in_transaction.wait(10)
    record_event("short.request", username="officer")
    assert chain.seal_pending() == 1  # did not wait for the open transaction
    may_commit.set()
    thread.join()
    # The thread's app context sealed its event when it ended, as an import thread's does.
    assert chain.seal_pending() == 0
    long_event, short_event = events()
    assert long_event.id < short_event.id and (short_event.seq, long_event.seq) == (1, 2)
    assert chain.verify_chain().problem is None


def test_an_intact_chain_reports_its_length_and_last_hash(app_ctx, events):
    record(4)
    chain.seal_pending()
    report = chain.verify_chain()
    assert (report.count, report.last_seq, report.last_hash, report.problem) == (4, 4, events()[-1].hash, None)


def test_an_empty_log_is_an_intact_chain(app_ctx):
    assert chain.verify_chain() == chain.ChainReport(0, 0, chain.GENESIS)


def sealed_log(n=5):
    """n sealed events; return their ids in order."""
    ids = [e.id for e in record(n)]
    chain.seal_pending()
    return ids


def test_a_changed_field_is_reported_as_altered_at_that_event(app_ctx, tamper):
    ids = sealed_log()
    tamper(f"UPDATE audit_event SET detail = '{{\"n\": 42}}' WHERE id = {ids[2]}")
    problem = chain.verify_chain().problem
    assert (problem.event_id, problem.seq, problem.kind) == (ids[2], 3, "altered")
    assert "changed after it was sealed" in problem.message


@pytest.mark.parametrize("assignment", ["username = 'someone else'", "action = 'auth.login'", "ip = '10.0.0.9'",
                                        "object_id = '77'", "user_agent = 'x'", "at = at"])
def test_every_hashed_field_is_covered(app_ctx, tamper, assignment):
    ids = sealed_log(3)
    if assignment == "at = at":  # move the time by a second, on either database
        assignment = ("at = at + interval '1 second'" if is_postgres()
                      else "at = datetime(at, '+1 second')")
    tamper(f"UPDATE audit_event SET {assignment} WHERE id = {ids[1]}")
    problem = chain.verify_chain().problem
    assert (problem.event_id, problem.kind) == (ids[1], "altered")


def test_a_removed_event_is_reported_at_the_next_one(app_ctx, tamper):
    ids = sealed_log()
    tamper(f"DELETE FROM audit_event WHERE id = {ids[2]}")
    problem = chain.verify_chain().problem
    assert (problem.event_id, problem.seq, problem.kind) == (ids[3], 4, "removed")
    assert "seq 3 missing" in problem.message


def test_removing_the_first_events_is_reported(app_ctx, tamper):
    ids = sealed_log()
    tamper(f"DELETE FROM audit_event WHERE id IN ({ids[0]}, {ids[1]})")
    problem = chain.verify_chain().problem
    assert (problem.event_id, problem.kind) == (ids[2], "removed")
    assert "seq 1 to 2 missing" in problem.message


def test_a_removal_hidden_by_renumbering_breaks_the_link(app_ctx, tamper):
    ids = sealed_log(4)
    tamper(f"DELETE FROM audit_event WHERE id = {ids[2]}")
    tamper(f"UPDATE audit_event SET seq = 3 WHERE id = {ids[3]}")
    problem = chain.verify_chain().problem
    assert (problem.event_id, problem.seq, problem.kind) == (ids[3], 3, "removed")
    assert "not the hash of the event before it" in problem.message


def test_an_altered_event_given_a_new_hash_breaks_the_next_link(app_ctx, tamper):
    ids = sealed_log(4)
    tamper(f"UPDATE audit_event SET detail = '{{}}', hash = '{'a' * 64}' WHERE id = {ids[1]}")
    problem = chain.verify_chain().problem
    assert problem.event_id == ids[1] and problem.kind == "altered"
    # Re-hashed correctly, the change moves to the link of the next event.
    row = AuditEvent.select(*chain.HASHED_FIELDS).where(AuditEvent.id == ids[1]).dicts().get()
    prev = AuditEvent.get_by_id(ids[0]).hash
    tamper(f"UPDATE audit_event SET hash = '{chain.event_hash(prev, row)}' WHERE id = {ids[1]}")
    problem = chain.verify_chain().problem
    assert (problem.event_id, problem.kind) == (ids[2], "removed")


def test_an_event_unsealed_by_hand_is_resealed_at_the_end_and_leaves_a_gap(app_ctx, tamper, events):
    ids = sealed_log(4)
    tamper(f"UPDATE audit_event SET hash = NULL, detail = '{{}}' WHERE id = {ids[1]}")
    assert chain.seal_pending() == 1
    assert AuditEvent.get_by_id(ids[1]).seq == 5
    problem = chain.verify_chain().problem
    assert (problem.event_id, problem.kind) == (ids[2], "removed")
