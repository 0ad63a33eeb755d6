"""/api/v1 follow-ups: a contact after a completed training, its correction and its deletion."""
from datetime import date, timedelta

import pytest

from registry.outcomes.models import FollowUp, FollowUpDue
from registry.programs import enrollment as enrolling
from registry.programs.models import Enrollment


@pytest.fixture
def graduate(app, create_cohort, create_beneficiary, enroll, registrar):
    """A participant who completed a cohort 100 days ago (and their enrollment)."""
    from registry.auth.models import User

    ended = date.today() - timedelta(days=100)
    cohort = create_cohort(start_on=ended - timedelta(days=60), end_on=ended)
    person = create_beneficiary()
    enrollment = enroll(cohort, person, on=ended - timedelta(days=60))
    with app.app_context():
        enrolling.change_status(Enrollment.get_by_id(enrollment.id), "completed", ended,
                                User.get_by_id(registrar.id), override_reason="test")
    return person, enrollment


def test_a_follow_up_answers_the_nearest_due_window(api, graduate):
    person, enrollment = graduate
    on = date.today().isoformat()
    response = api("officer").post(f"/api/v1/beneficiaries/{person.code}/follow-ups", json={
        "on": on, "reached": True, "method": "phone", "status": "wage_employed", "employer": "Garment factory",
        "job_started_on": on, "monthly_income": 250, "currency": "USD", "related_to_training": True, "hours_per_week": 48})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["enrollment"], body["window"], body["monthly_income"]) == (enrollment.id, 3, 250)
    assert body["beneficiary"] == person.code and body["related_to_training"] is True
    due = FollowUpDue.get((FollowUpDue.enrollment == enrollment.id) & (FollowUpDue.window_months == 3))
    assert due.follow_up_id == body["id"]


@pytest.mark.parametrize("change, field", [
    ({"reached": True}, "status"),
    ({"reached": True, "status": "wage_employed", "monthly_income": 100}, "currency"),
    ({"reached": True, "status": "migrated_abroad"}, "country"),
    ({"reached": True, "status": "unemployed"}, "monthly_income"),
    ({"reached": True, "status": "self_employed", "monthly_income": 90, "currency": "USD"}, "job_started_on"),
    ({"reached": True, "status": "unemployed", "monthly_income": 0, "job_before_training": "yes"},
     "job_before_training"),
    ({"on": "2999-01-01"}, "on"),
    ({"method": "letter"}, "method"),
    ({"enrollment": 999}, "enrollment"),
    ({"window": 4}, "window"),
    ({"reached": "no"}, "reached"),
])
def test_invalid_follow_ups_answer_422_naming_the_field(api, graduate, change, field):
    person, _enrollment = graduate
    body = {"on": date.today().isoformat(), "reached": False, "method": "phone", **change}
    response = api("officer").post(f"/api/v1/beneficiaries/{person.code}/follow-ups", json=body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["fields"]
    assert FollowUp.select().count() == 0


def test_no_follow_up_before_a_completion(api, create_beneficiary):
    person = create_beneficiary()
    response = api("officer").post(f"/api/v1/beneficiaries/{person.code}/follow-ups", json={
        "on": date.today().isoformat(), "reached": False, "method": "visit"})
    assert response.status_code == 422 and "on" in response.get_json()["fields"]


def test_follow_ups_are_scoped_and_for_officers(api, graduate):
    person, _enrollment = graduate
    body = {"on": date.today().isoformat(), "reached": False, "method": "phone"}
    url = f"/api/v1/beneficiaries/{person.code}/follow-ups"
    assert api("officer", provinces={"17"}).post(url, json=body).status_code == 404
    assert api("trainer").post(url, json=body).status_code == 403
    assert api("manager").post(url, json=body).status_code == 403
    assert api("admin").post(url, json=body).status_code == 201


def test_no_income_is_0_without_a_currency_and_a_job_from_before_needs_no_date(api, graduate):
    person, _enrollment = graduate
    url = f"/api/v1/beneficiaries/{person.code}/follow-ups"
    officer = api("officer")
    body = {"on": date.today().isoformat(), "reached": True, "method": "phone"}
    none = officer.post(url, json={**body, "status": "unemployed", "monthly_income": 0})
    assert none.status_code == 201 and (none.get_json()["monthly_income"], none.get_json()["currency"]) == (0, None)
    before = officer.post(url, json={**body, "status": "self_employed", "job_before_training": True,
                                     "monthly_income": 120, "currency": "USD"})
    assert before.status_code == 201, before.get_json()
    assert (before.get_json()["job_before_training"], before.get_json()["job_started_on"]) == (True, None)


def test_no_follow_up_without_consent_to_follow_up_contact(api, graduate):
    from registry.beneficiaries.models import Beneficiary

    person, _enrollment = graduate
    Beneficiary.update(consent_follow_up=False).where(Beneficiary.id == person.id).execute()
    url = f"/api/v1/beneficiaries/{person.code}/follow-ups"
    for body in ({"on": date.today().isoformat(), "reached": False, "method": "phone"},
                 {"on": date.today().isoformat(), "reached": True, "method": "phone"}):  # consent comes first
        response = api("officer").post(url, json=body)
        assert response.status_code == 422 and list(response.get_json()["fields"]) == ["consent_follow_up"]
        assert "not consented to follow-up contact" in response.get_json()["error"]
    assert FollowUp.select().count() == 0
    Beneficiary.update(consent_follow_up=True).where(Beneficiary.id == person.id).execute()
    assert api("officer").post(url, json={"on": date.today().isoformat(), "reached": False,
                                          "method": "phone"}).status_code == 201


# --- corrections

@pytest.fixture
def recorded(api, graduate):
    """(an officer's API client, the JSON of a wage job recorded through the API)."""
    person, _enrollment = graduate
    officer = api("officer")
    response = officer.post(f"/api/v1/beneficiaries/{person.code}/follow-ups", json={
        "on": date.today().isoformat(), "reached": True, "method": "phone", "status": "wage_employed",
        "job_started_on": (date.today() - timedelta(days=20)).isoformat(), "employer": "Garment factory",
        "monthly_income": 250, "currency": "USD"})
    assert response.status_code == 201, response.get_json()
    return officer, response.get_json()


def test_a_patch_changes_the_fields_sent_keeps_the_others_and_is_audited(recorded):
    import json

    from registry.audit.models import AuditEvent

    officer, stored = recorded
    response = officer.patch(f"/api/v1/follow-ups/{stored['id']}", json={"monthly_income": 180,
                                                                        "reason": "Misheard the income"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {**stored, "monthly_income": 180}
    event = AuditEvent.get(AuditEvent.action == "follow_up.update")
    assert json.loads(event.detail)["changes"] == {"monthly_income": ["250", "180"]}
    assert json.loads(event.detail)["reason"] == "Misheard the income"


def test_a_patch_to_not_reached_clears_the_job_and_re_opens_the_window(recorded, graduate):
    officer, stored = recorded
    _person, enrollment = graduate
    window = FollowUpDue.get((FollowUpDue.enrollment == enrollment.id) & (FollowUpDue.window_months == 3))
    assert window.follow_up_id == stored["id"]
    body = officer.patch(f"/api/v1/follow-ups/{stored['id']}", json={"reached": False, "reason": "Not her"}).get_json()
    assert (body["reached"], body["status"], body["employer"], body["monthly_income"]) == (False, None, None, None)
    window = FollowUpDue.get_by_id(window.id)
    assert (window.follow_up_id, window.last_tried_on) == (None, date.today())


@pytest.mark.parametrize("change, field", [
    ({"monthly_income": 1}, "reason"),  # no reason
    ({"monthly_income": 1, "reason": "   "}, "reason"),
    ({"job_started_on": None, "reason": "Unknown date"}, "job_started_on"),  # checked as a whole
    ({"monthly_income": None, "reason": "Unknown"}, "monthly_income"),
    ({"on": "2999-01-01", "reason": "Typo"}, "on"),
    ({"on": "2000-01-01", "reason": "Typo"}, "on"),
    ({"window": 5, "reason": "Typo"}, "window"),
    ({"deleted_at": "2026-01-01", "reason": "Sneaky"}, "deleted_at"),
])
def test_an_invalid_patch_answers_422_naming_the_field_and_changes_nothing(recorded, change, field):
    officer, stored = recorded
    response = officer.patch(f"/api/v1/follow-ups/{stored['id']}", json=change)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["fields"]
    assert FollowUp.get_by_id(stored["id"]).updated_at is None


def test_a_delete_needs_a_reason_then_the_follow_up_is_gone_for_the_api(recorded):
    officer, stored = recorded
    url = f"/api/v1/follow-ups/{stored['id']}"
    for body in ({}, {"reason": ""}, {"reason": "  "}, {"reason": 7}, {"reason": "x" * 1001}):
        response = officer._send("DELETE", url, json=body)
        assert response.status_code == 422 and "reason" in response.get_json()["fields"], body
    assert officer._send("DELETE", url).status_code == 400  # no JSON body at all
    response = officer._send("DELETE", url, json={"reason": "Recorded twice"})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["id"], body["reason"]) == (stored["id"], "Recorded twice") and body["deleted_at"].endswith("Z")
    assert FollowUp.live().count() == 0 and FollowUp.get_by_id(stored["id"]).delete_reason == "Recorded twice"
    assert officer._send("DELETE", url, json={"reason": "Again"}).status_code == 404
    assert officer.patch(url, json={"note": "x", "reason": "Too late"}).status_code == 404


def test_corrections_are_scoped(api, recorded):
    _officer, stored = recorded
    url = f"/api/v1/follow-ups/{stored['id']}"
    outsider = api("officer", provinces={"17"})
    assert outsider.patch(url, json={"note": "x", "reason": "y"}).status_code == 404
    assert outsider._send("DELETE", url, json={"reason": "y"}).status_code == 404
    assert api("manager").patch(url, json={"note": "x", "reason": "y"}).status_code == 403
    assert api("officer").patch("/api/v1/follow-ups/999999", json={"note": "x", "reason": "y"}).status_code == 404
    assert FollowUp.get_by_id(stored["id"]).note == ""
