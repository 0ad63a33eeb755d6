"""Idempotency-Key: a retried API write gets its first answer again and writes nothing more, on both databases."""
import hashlib
import json
import threading
from datetime import timedelta

import psycopg2
import pytest

from registry.api import beneficiaries as beneficiaries_api
from registry.api.idempotency import KEPT_FOR, WRITE_METHODS, IdempotencyKey, _lock_key, purge_expired
from registry.audit.models import AuditEvent
from registry.beneficiaries.models import Beneficiary
from registry.db import database, is_postgres
from registry.timeutil import utcnow
from tests.api.test_access import MATRIX, ROLES
from tests.api.test_openapi import _api_routes
from tests.conftest import TEST_DATABASE_URL
from tests.makers import PERSON

KEY = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
ADMIN = ROLES.index("admin")


def _person(given_name):
    """A registration body that would register the same person twice without a key (allow_duplicate)."""
    return {**PERSON, "given_name": given_name, "allow_duplicate": True}


def _registered(given_name):
    return Beneficiary.select().where(Beneficiary.given_name == given_name).count()


def _snapshot():
    """A hash of every row of every table but the audit log's: equal snapshots mean that nothing was written."""
    digest = hashlib.sha256()
    for table in sorted(database.get_tables()):
        # SQLite's full-text index follows the beneficiary table; a replay is audited (see _replays_audited)
        if table.startswith("beneficiary_fts") or table == "audit_event":
            continue
        digest.update(table.encode())
        for row in database.execute_sql(f'SELECT * FROM "{table}" ORDER BY 1').fetchall():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def test_every_write_endpoint_replays_its_first_answer_and_writes_nothing_more(app, world, api):
    admin = api("admin")
    writes = [(method, path, body, statuses[ADMIN]) for (method, path, body), statuses in MATRIX
              if method in WRITE_METHODS]
    covered = {(method, path.replace("{graduate}", "{code}")) for method, path, _body, _status in writes}
    assert covered == {(method, path) for method, path in _api_routes(app) if method in WRITE_METHODS}
    for n, (method, path, body, expected) in enumerate(writes):
        url, body = path.format(**world), world["bodies"][body] if isinstance(body, str) else body
        first = admin._send(method, url, json=body, headers={KEY: f"walk-{n}"})
        assert first.status_code == expected, (method, url, first.get_data())
        assert REPLAYED not in first.headers
        before, events = _snapshot(), AuditEvent.select().count()
        again = admin._send(method, url, json=body, headers={KEY: f"walk-{n}"})
        assert (again.status_code, again.get_data()) == (first.status_code, first.get_data()), (method, url)
        assert again.headers[REPLAYED] == "true"
        assert again.content_type == first.content_type
        assert _snapshot() == before, f"the replay of {method} {url} wrote something"
        _replays_audited(events, method, url, first.status_code)


def _replays_audited(events_before, method, url, status):
    """The replay wrote one audit event, naming what was answered again, and nothing else to the log."""
    new = list(AuditEvent.select().order_by(AuditEvent.id).offset(events_before))
    assert [event.action for event in new] == ["api.replay"], (method, url)
    detail = json.loads(new[0].detail)
    assert (detail["method"], detail["path"], detail["status"]) == (method, url.split("?")[0], status)


def test_a_retried_registration_registers_once_and_answers_the_same_code(api):
    officer = api("officer", provinces={"02"})
    first = officer.post("/api/v1/beneficiaries", json=_person("Retried"), headers={KEY: "reg-1"})
    again = officer.post("/api/v1/beneficiaries", json=_person("Retried"), headers={KEY: "reg-1"})
    assert first.status_code == again.status_code == 201
    assert again.get_json()["code"] == first.get_json()["code"]
    assert _registered("Retried") == 1


def test_a_refusal_is_stored_and_replayed_too(api):
    officer = api("officer", provinces={"02"})
    body = {**_person("Refused"), "sex": "unknown-sex"}
    first = officer.post("/api/v1/beneficiaries", json=body, headers={KEY: "bad-1"})
    again = officer.post("/api/v1/beneficiaries", json=body, headers={KEY: "bad-1"})
    assert first.status_code == 422 and REPLAYED not in first.headers
    assert (again.status_code, again.get_data(), again.headers[REPLAYED]) == (422, first.get_data(), "true")


@pytest.mark.parametrize("change", [
    {"json": _person("Other body")},
    {"path": "/api/v1/programs", "json": {"name": "Other path"}},
    {"path": "/api/v1/beneficiaries?x=1"},
])
def test_the_same_key_for_another_request_is_422_and_writes_nothing(api, change):
    admin = api("admin")
    assert admin.post("/api/v1/beneficiaries", json=_person("First"), headers={KEY: "k"}).status_code == 201
    before = _snapshot()
    response = admin.post(change.get("path", "/api/v1/beneficiaries"), json=change.get("json", _person("First")),
                          headers={KEY: "k"})
    assert response.status_code == 422
    assert KEY in response.get_json()["fields"] and "another request" in response.get_json()["error"]
    assert _snapshot() == before


def test_the_same_key_of_another_user_is_independent(api):
    one, two = api("officer", provinces={"02"}), api("officer", provinces={"02"})
    first = one.post("/api/v1/beneficiaries", json=_person("Shared"), headers={KEY: "same"})
    second = two.post("/api/v1/beneficiaries", json=_person("Shared"), headers={KEY: "same"})
    assert first.status_code == second.status_code == 201 and REPLAYED not in second.headers
    assert first.get_json()["code"] != second.get_json()["code"]
    assert _registered("Shared") == 2


def test_a_key_older_than_24_hours_is_a_new_key_and_is_purged(api, runner):
    officer = api("officer", provinces={"02"})
    first = officer.post("/api/v1/beneficiaries", json=_person("Expired"), headers={KEY: "old"})
    assert first.status_code == 201
    IdempotencyKey.update(created_at=utcnow() - KEPT_FOR - timedelta(minutes=1)).execute()
    again = officer.post("/api/v1/beneficiaries", json=_person("Expired"), headers={KEY: "old"})
    assert again.status_code == 201 and REPLAYED not in again.headers
    assert again.get_json()["code"] != first.get_json()["code"]
    assert _registered("Expired") == 2
    officer.post("/api/v1/beneficiaries", json=_person("Other"), headers={KEY: "other"})
    IdempotencyKey.update(created_at=utcnow() - KEPT_FOR - timedelta(minutes=1)).where(
        IdempotencyKey.key == "other").execute()
    assert purge_expired() == 1
    assert [k.key for k in IdempotencyKey.select()] == ["old"]
    IdempotencyKey.update(created_at=utcnow() - KEPT_FOR - timedelta(minutes=1)).execute()
    result = runner.invoke(args=["purge-idempotency-keys"])
    assert result.exit_code == 0 and "Deleted 1 expired" in result.output
    assert IdempotencyKey.select().count() == 0


@pytest.mark.parametrize("key", ["", "x" * 256, "clé", "tab\there", "\x7f"])
def test_a_bad_key_is_400_naming_the_header_and_writes_nothing(api, key):
    officer = api("officer", provinces={"02"})
    officer.get("/api/v1/programs")  # the token's first use stamps its last_used_at
    before = _snapshot()
    response = officer.post("/api/v1/beneficiaries", json=_person("Bad key"), headers={KEY: key})
    assert response.status_code == 400
    assert KEY in response.get_json()["fields"]
    assert _snapshot() == before


def test_a_key_of_255_printable_characters_is_accepted(api):
    officer = api("officer", provinces={"02"})
    key = ("~ Aa0!" * 50)[:255]
    assert officer.post("/api/v1/beneficiaries", json=_person("Long key"), headers={KEY: key}).status_code == 201
    assert officer.post("/api/v1/beneficiaries", json=_person("Long key"),
                        headers={KEY: key}).headers[REPLAYED] == "true"


def test_a_failure_inside_the_write_stores_nothing_and_the_retry_writes_once(app, api, monkeypatch):
    officer = api("officer", provinces={"02"})
    real = beneficiaries_api.beneficiary_json

    def fail_after_the_write(beneficiary):
        raise RuntimeError("the worker failed after the write, before the answer")

    monkeypatch.setattr(beneficiaries_api, "beneficiary_json", fail_after_the_write)
    with pytest.raises(RuntimeError):
        officer.post("/api/v1/beneficiaries", json=_person("Failed"), headers={KEY: "fail"})
    assert _registered("Failed") == 0
    assert IdempotencyKey.select().count() == 0
    assert AuditEvent.select().where(AuditEvent.action == "beneficiary.create").count() == 0
    monkeypatch.setattr(beneficiaries_api, "beneficiary_json", real)
    retry = officer.post("/api/v1/beneficiaries", json=_person("Failed"), headers={KEY: "fail"})
    assert retry.status_code == 201 and REPLAYED not in retry.headers
    assert _registered("Failed") == 1


def test_a_server_error_answer_is_not_stored(app, api, monkeypatch):
    officer = api("officer", provinces={"02"})
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the 500 page is the answer
    monkeypatch.setattr(beneficiaries_api, "beneficiary_json", lambda b: 1 / 0)
    response = officer.post("/api/v1/beneficiaries", json=_person("Crash"), headers={KEY: "crash"})
    assert response.status_code == 500
    assert IdempotencyKey.select().count() == 0 and _registered("Crash") == 0


def _post_in_thread(app, token, key, given_name, results, name):
    def run():
        client = app.test_client()
        response = client.post("/api/v1/beneficiaries", json=_person(given_name),
                               headers={"Authorization": f"Bearer {token}", KEY: key})
        results[name] = (response.status_code, response.get_json(), response.headers.get(REPLAYED))
        database.close()  # this thread's connection

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def test_concurrent_requests_with_one_key_write_exactly_once(app, api):
    officer = api("officer", provinces={"02"})
    results = {}
    threads = [_post_in_thread(app, officer.token, "race", "Racer", results, f"t{n}") for n in range(6)]
    for thread in threads:
        thread.join(60)
    assert len(results) == 6
    statuses = sorted(status for status, _body, _replayed in results.values())
    assert set(statuses) <= {201, 409} and 201 in statuses
    assert len({body["code"] for status, body, _replayed in results.values() if status == 201}) == 1
    assert sum(1 for status, _body, replayed in results.values() if status == 201 and not replayed) == 1
    assert _registered("Racer") == 1


def test_a_second_request_while_the_first_runs_is_409_on_postgres_or_waits_for_the_replay_on_sqlite(
        app, api, monkeypatch):
    officer = api("officer", provinces={"02"})
    inside, release = threading.Event(), threading.Event()
    real = beneficiaries_api.beneficiary_json

    def slow(beneficiary):
        if threading.current_thread().name == "first":
            inside.set()
            assert release.wait(30)
        return real(beneficiary)

    monkeypatch.setattr(beneficiaries_api, "beneficiary_json", slow)
    results = {}
    first = _post_in_thread(app, officer.token, "held", "Held", results, "first")
    assert inside.wait(30)  # the first has written and holds its transaction open
    second = _post_in_thread(app, officer.token, "held", "Held", results, "second")
    if is_postgres():
        second.join(30)
        assert results["second"][0] == 409 and "still running" in results["second"][1]["error"]
    release.set()
    first.join(30)
    second.join(30)
    assert results["first"][0] == 201 and results["first"][2] is None
    if not is_postgres():  # SQLite: BEGIN IMMEDIATE made the second wait for the first's commit
        assert results["second"] == (201, results["first"][1], "true")
    assert _registered("Held") == 1


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="PostgreSQL only: the advisory lock of a running request")
def test_a_key_held_by_another_connection_is_409_until_it_is_released(api):
    officer = api("officer", provinces={"02"})
    other = psycopg2.connect(TEST_DATABASE_URL)
    try:
        with other.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", (officer.user.id, _lock_key("locked")))
        held = officer.post("/api/v1/beneficiaries", json=_person("Locked"), headers={KEY: "locked"})
        assert held.status_code == 409 and KEY in held.get_json()["fields"]
        assert _registered("Locked") == 0
        other.rollback()
        done = officer.post("/api/v1/beneficiaries", json=_person("Locked"), headers={KEY: "locked"})
        assert done.status_code == 201
    finally:
        other.close()


def test_the_openapi_document_gives_the_header_on_every_write_operation():
    from registry.api.openapi import document

    for path, operations in document()["paths"].items():
        for method, operation in operations.items():
            names = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
            assert (KEY in names) == (method.upper() in WRITE_METHODS), (method, path)
            if method.upper() in WRITE_METHODS:
                assert {"400", "409", "422"} <= set(operation["responses"]), (method, path)
