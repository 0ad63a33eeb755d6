"""/api/v1/beneficiaries/<code>/follow-ups: a contact after a completed training."""
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
        "monthly_income": 250, "currency": "USD", "related_to_training": True, "hours_per_week": 48})
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
