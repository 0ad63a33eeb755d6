"""Officer follow-up calls offline, on the server: the due list a phone keeps, and the page's sync of a follow-up."""
import json
from datetime import date, timedelta

import pytest

from registry import create_app
from registry.audit.models import AuditEvent
from registry.beneficiaries.models import Beneficiary
from registry.outcomes.models import FollowUp
from tests.conftest import PASSWORD, make_test_config

TODAY = date.today()
KEY = "Idempotency-Key"
NOW = TODAY.isoformat() + "T09:15:00+07:00"


@pytest.fixture
def due(completer):
    """People whose 3-month follow-up is due: Chanthy (02, overdue), Dara (02, in 5 days), Sokha (02, in 20 days),
    Vibol (02, no consent to follow-up contact) and Sophea (17); (the completed enrollments by name)."""
    done = {}
    for name, days_ago, values in (("Chanthy", 100, {}), ("Dara", 87, {"phone": "+85512345678"}),
                                   ("Sokha", 72, {}), ("Vibol", 100, {"consent_follow_up": False}),
                                   ("Sophea", 100, {"province": "17"})):
        # 3 months after the completion: about 92 days.
        done[name] = completer(TODAY - timedelta(days=days_ago), given_name=name, **values)
    return done


def sync_url(enrollment):
    return f"/follow-ups/new/{enrollment.beneficiary.code}/sync"


def body(**change):
    return {"on": TODAY.isoformat(), "reached": True, "method": "phone", "status": "unemployed", "monthly_income": 0,
            "recorded_at": NOW, **change}


def test_the_copy_holds_the_people_due_within_7_days_in_the_users_provinces_with_consent(client, auth, due):
    auth.login_as("officer", provinces={"02"})
    response = client.get("/follow-ups/offline.json")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    copy = response.get_json()
    assert (copy["days"], copy["taken_on"], copy["until"]) == (7, TODAY.isoformat(),
                                                               (TODAY + timedelta(days=7)).isoformat())
    rows = {row["name"].split()[-1]: row for row in copy["due"]}
    assert set(rows) == {"Chanthy", "Dara"}  # Sokha is due later, Vibol did not consent, Sophea lives in 17
    dara = rows["Dara"]
    assert (dara["phone"], dara["phone_shown"], dara["window"]) == ("+85512345678", "012 345 678", 3)
    assert dara["enrollment"] == due["Dara"].id and dara["latest"] is None
    assert [c["id"] for c in dara["completed"]] == [due["Dara"].id]
    [event] = AuditEvent.select().where(AuditEvent.action == "follow_up.offline_copy")
    assert json.loads(event.detail) == {"days": 7, "shown": sorted(row["code"] for row in copy["due"])}


def test_the_copy_shows_the_latest_follow_up_and_is_for_officers_and_admins_only(client, auth, due):
    auth.login_as("admin")
    url = sync_url(due["Chanthy"])
    assert client.post(url, json=body(reached=False, status=None, monthly_income=None)).status_code == 201
    [chanthy] = [r for r in client.get("/follow-ups/offline.json").get_json()["due"] if "Chanthy" in r["name"]]
    assert chanthy["latest"] == {"on": TODAY.isoformat(), "reached": False, "status": None}
    assert chanthy["last_tried_on"] == TODAY.isoformat()
    for role in ("trainer", "manager"):
        auth.logout()
        auth.login_as(role)
        assert client.get("/follow-ups/offline.json").status_code == 403, role
        assert client.post(url, json=body()).status_code == 403, role
    auth.logout()
    assert client.get("/follow-ups/offline.json").status_code == 302


def test_a_synced_follow_up_is_recorded_once_with_the_phone_and_sync_times_audited(client, auth, due):
    auth.login_as("officer", provinces={"02"})
    url = sync_url(due["Dara"])
    first = client.post(url, json=body(), headers={KEY: "phone-followup-1"})
    assert first.status_code == 201, first.get_json()
    answer = first.get_json()
    assert (answer["beneficiary"], answer["window"], answer["recorded_at"]) == (
        due["Dara"].beneficiary.code, 3, NOW)
    again = client.post(url, json=body(), headers={KEY: "phone-followup-1"})
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == answer
    assert FollowUp.select().count() == 1
    [event] = AuditEvent.select().where(AuditEvent.action == "follow_up.create")
    detail = json.loads(event.detail)
    assert detail["recorded_at"] == NOW and detail["synced_at"].endswith("Z")
    reused = client.post(url, json=body(note="another"), headers={KEY: "phone-followup-1"})
    assert reused.status_code == 422 and FollowUp.select().count() == 1


def test_consent_withdrawn_meanwhile_is_refused_with_the_reason(client, auth, due):
    auth.login_as("officer", provinces={"02"})
    enrollment = due["Chanthy"]
    Beneficiary.update(consent_follow_up=False).where(Beneficiary.id == enrollment.beneficiary_id).execute()
    refused = client.post(sync_url(enrollment), json=body(), headers={KEY: "phone-followup-2"})
    assert refused.status_code == 422
    assert "consent_follow_up" in refused.get_json()["fields"]
    assert "consented" in refused.get_json()["error"]
    assert FollowUp.select().count() == 0


@pytest.mark.parametrize("change, field", [
    ({"recorded_at": None}, "recorded_at"),
    ({"recorded_at": "yesterday"}, "recorded_at"),
    ({"recorded_at": TODAY.isoformat() + "T09:15:00"}, "recorded_at"),  # no offset
    ({"recorded_at": (TODAY + timedelta(days=2)).isoformat() + "T09:15:00+07:00"}, "recorded_at"),
    ({"status": None}, "status"),
    ({"monthly_income": None}, "monthly_income"),
    ({"status": "wage_employed", "monthly_income": 100, "currency": "USD"}, "job_started_on"),
    ({"on": (TODAY + timedelta(days=3)).isoformat()}, "on"),
    ({"on": (TODAY - timedelta(days=200)).isoformat()}, "on"),  # before the training was completed
    ({"method": "letter"}, "method"),
    ({"colour": "blue"}, "colour"),
])
def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(client, auth, due, change, field):
    auth.login_as("officer", provinces={"02"})
    response = client.post(sync_url(due["Chanthy"]), json=body(**change))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["fields"]
    assert FollowUp.select().count() == 0
    assert not AuditEvent.select().where(AuditEvent.action == "follow_up.create").exists()


def test_not_json_is_a_400_and_another_province_a_json_404(client, auth, due):
    auth.login_as("officer", provinces={"02"})
    assert client.post(sync_url(due["Chanthy"]), data="x", content_type="application/json").status_code == 400
    outside = client.post(sync_url(due["Sophea"]), json=body())
    assert outside.status_code == 404 and outside.is_json
    assert FollowUp.select().count() == 0


def test_the_sync_needs_the_csrf_token_in_a_header(database_url, app, due, create_user):
    create_user("officer", {"02"}, username="field-officer")
    client = create_app(make_test_config(database_url, WTF_CSRF_ENABLED=True)).test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/login", data={"username": "field-officer", "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302
    url = sync_url(due["Chanthy"])
    assert client.post(url, json=body()).status_code == 400
    assert FollowUp.select().count() == 0
    assert client.post(url, json=body(), headers={"X-CSRFToken": token}).status_code == 201
    assert FollowUp.select().count() == 1
