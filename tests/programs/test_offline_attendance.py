"""Trainer attendance offline, on the server: the bundle a phone keeps, and the session page's sync route."""
from datetime import date, timedelta

import pytest

from registry import create_app
from registry.audit.models import AuditEvent
from registry.programs.models import Attendance, TrainingSession
from tests.conftest import PASSWORD, make_test_config

TODAY = date.today()
KEY = "Idempotency-Key"


def at(day, hhmm):
    return f"{day.isoformat()}T{hhmm}:00+07:00"


@pytest.fixture
def klass(create_user, create_cohort, create_beneficiary, enroll):
    """A cohort of 02 taught by `trainer`, with sessions today, in 13 and in 14 days, one cancelled in 2;
    Chanthy (02) and Sophea (17, outside an officer of 02's provinces) in it."""
    trainer = create_user("trainer", username="offline-trainer")
    days = [TODAY, TODAY + timedelta(days=2), TODAY + timedelta(days=13), TODAY + timedelta(days=14)]
    cohort = create_cohort(name="Sewing Pailin", start_on=TODAY - timedelta(days=10),
                           end_on=TODAY + timedelta(days=30), days=days, trainers=[trainer])
    chanthy = create_beneficiary(family_name="Sok", given_name="Chanthy")
    sophea = create_beneficiary(family_name="Keo", given_name="Sophea", province="17")
    for person in (chanthy, sophea):
        enroll(cohort, person, on=TODAY - timedelta(days=10))
    sessions = {s.held_on: s for s in TrainingSession.select().where(TrainingSession.cohort == cohort)}
    TrainingSession.update(cancelled=True).where(TrainingSession.id == sessions[days[1]].id).execute()
    return {"trainer": trainer, "cohort": cohort, "sessions": sessions, "codes": (chanthy.code, sophea.code),
            "today": sessions[TODAY]}


def sync_body(*marks, day=TODAY):
    return {"held_on": day.isoformat(),
            "marks": [{"beneficiary": code, "status": status, "taken_at": at(day, "00:01")} for code, status in marks]}


def test_the_bundle_holds_the_trainers_sessions_of_the_next_14_days_with_codes_and_names_only(client, auth, klass):
    auth.login("offline-trainer")
    response = client.get("/sessions/offline.json")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    bundle = response.get_json()
    chanthy, sophea = klass["codes"]
    assert bundle["days"] == 14
    assert [(s["id"], s["held_on"]) for s in bundle["sessions"]] == [
        (klass["sessions"][TODAY].id, TODAY.isoformat()),
        (klass["sessions"][TODAY + timedelta(days=13)].id, (TODAY + timedelta(days=13)).isoformat())]
    first = bundle["sessions"][0]
    assert first["cohort"] == "Sewing Pailin"
    # The trainer of the cohort sees every name (the cover rule); nothing but the code and the name.
    names = {row["code"]: row["name"] for row in first["roster"]}
    assert set(names) == {chanthy, sophea} and "Chanthy" in names[chanthy] and "Sophea" in names[sophea]
    assert all(set(row) == {"code", "name"} for row in first["roster"])


def test_the_bundle_is_the_trainers_own(client, auth, klass, create_user):
    create_user("trainer", username="other-trainer")
    auth.login("other-trainer")
    assert client.get("/sessions/offline.json").get_json() == {"days": 14, "sessions": []}
    for role in ("officer", "admin", "manager"):
        auth.logout()
        auth.login_as(role)
        assert client.get("/sessions/offline.json").status_code == 403, role


def test_the_page_sync_merges_like_the_api_and_a_retry_with_its_key_writes_once(client, auth, klass):
    auth.login("offline-trainer")
    session, (chanthy, sophea) = klass["today"], klass["codes"]
    url = f"/sessions/{session.id}/sync"
    body = sync_body((chanthy, "present"), (sophea, "late"))
    first = client.post(url, json=body, headers={KEY: "phone-1-session"})
    assert first.status_code == 200, first.get_data(as_text=True)
    answer = first.get_json()
    assert sorted(answer["applied"]) == sorted([chanthy, sophea]) and answer["kept_out"] == answer["refused"] == []
    again = client.post(url, json=body, headers={KEY: "phone-1-session"})
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == answer
    assert Attendance.select().where(Attendance.session == session).count() == 2
    assert AuditEvent.select().where(AuditEvent.action == "attendance.sync").count() == 1
    reused = client.post(url, json=sync_body((chanthy, "absent")), headers={KEY: "phone-1-session"})
    assert reused.status_code == 422


def test_the_page_sync_refuses_bad_input_with_the_field_named_and_writes_nothing(client, auth, klass):
    auth.login("offline-trainer")
    session, (chanthy, _sophea) = klass["today"], klass["codes"]
    url = f"/sessions/{session.id}/sync"
    assert client.post(url, data="not json", content_type="application/json").status_code == 400
    missing = client.post(url, json={"marks": [{"beneficiary": chanthy, "status": "present", "taken_at": "x"}]})
    assert missing.status_code == 422 and "held_on" in missing.get_json()["fields"]
    wrong = client.post(url, json={"held_on": TODAY.isoformat(), "marks": [
        {"beneficiary": chanthy, "status": "sleeping", "taken_at": at(TODAY, "00:01")}]})
    assert wrong.status_code == 422
    assert Attendance.select().count() == 0


def test_the_page_sync_follows_the_session_pages_rules_and_the_cover_rule(client, auth, klass, create_user):
    session, (chanthy, sophea) = klass["today"], klass["codes"]
    url = f"/sessions/{session.id}/sync"
    body = sync_body((chanthy, "present"), (sophea, "present"))
    create_user("trainer", username="other-trainer")
    auth.login("other-trainer")
    assert client.post(url, json=body).status_code == 403
    auth.logout()
    create_user("officer", {"17"}, username="officer-17")
    auth.login("officer-17")
    assert client.post(url, json=body).status_code == 404  # the cohort is in 02
    auth.logout()
    create_user("officer", {"02"}, username="officer-02")
    auth.login("officer-02")
    answer = client.post(url, json=body).get_json()
    assert answer["applied"] == [chanthy]
    assert [(r["beneficiary"], r["why"]) for r in answer["refused"]] == [(sophea, "outside_provinces")]
    auth.logout()
    assert client.post(url, json=body).status_code == 302  # signed out: the login page


def test_the_page_sync_needs_the_csrf_token_in_a_header(database_url, app, klass):
    client = create_app(make_test_config(database_url, WTF_CSRF_ENABLED=True)).test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/login", data={"username": "offline-trainer", "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302
    url = f"/sessions/{klass['today'].id}/sync"
    body = sync_body((klass["codes"][0], "present"))
    assert client.post(url, json=body).status_code == 400
    assert Attendance.select().count() == 0
    assert client.post(url, json=body, headers={"X-CSRFToken": token}).status_code == 200
    assert Attendance.select().count() == 1


def test_a_sync_that_cannot_be_taken_answers_json_and_leaves_the_session_cookie_alone(database_url, app, klass):
    """The worker's Background Sync may run signed out or with a stale token while a sign-in form is open: its
    answer must not replace that form's session (and CSRF token)."""
    client = create_app(make_test_config(database_url, WTF_CSRF_ENABLED=True)).test_client()
    url = f"/sessions/{klass['today'].id}/sync"
    body = sync_body((klass["codes"][0], "present"))
    script = {"Accept": "application/json", "X-CSRFToken": "a token of an ended session"}
    stale = client.post(url, json=body, headers=script)
    assert stale.status_code == 400 and stale.is_json and "Set-Cookie" not in stale.headers
    page = client.get("/login").get_data(as_text=True)  # the sign-in form: its session holds the CSRF token
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    stale = client.post(url, json=body, headers=script)
    assert stale.status_code == 400 and stale.is_json
    assert Attendance.select().count() == 0
    signed_in = client.post("/login", data={"username": "offline-trainer", "password": PASSWORD, "csrf_token": token})
    assert signed_in.status_code == 302  # the form still works


def test_a_signed_out_script_asking_for_json_gets_401_and_a_page_the_login_page(client, klass):
    url = f"/sessions/{klass['today'].id}/sync"
    answer = client.post(url, json=sync_body((klass["codes"][0], "present")), headers={"Accept": "application/json"})
    assert answer.status_code == 401 and answer.get_json()["error"] and "Set-Cookie" not in answer.headers
    assert client.get("/sessions/offline.json", headers={"Accept": "application/json"}).status_code == 401
    assert client.get("/").status_code == 302  # a browser's page still goes to the login page
