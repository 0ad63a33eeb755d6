"""POST /api/v1/beneficiaries/<code>/consent and .../consent/withdrawal: the page's rules, the API's errors."""
import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.audit.models import AuditEvent
from registry.beneficiaries.models import Beneficiary
from tests.bad_input.strategies import answered, budget, json_value

TODAY = date.today()
REASON = "Moved away; asked not to be contacted."
GIVEN = {"consent_data_use": True, "consent_follow_up": True, "on": TODAY.isoformat()}
WITHDRAWN = {"on": TODAY.isoformat(), "reason": REASON}


def consent_events():
    """How many consent events the audit log holds."""
    return AuditEvent.select().where(AuditEvent.action.startswith("beneficiary.consent_")).count()


@pytest.fixture
def person(create_beneficiary):
    """A participant of province 02, registered 2026-03-01, consenting to data use and follow-up contact."""
    return create_beneficiary()


def test_consent_given_answers_the_participant_and_is_audited(api, create_beneficiary):
    quiet = create_beneficiary(consent_data_use=False, consent_follow_up=False, consent_on=None)
    officer = api("officer", provinces={"02"})
    response = officer.post(f"/api/v1/beneficiaries/{quiet.code}/consent",
                            json={"consent_follow_up": True, "on": TODAY.isoformat()})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["consent_data_use"], body["consent_follow_up"], body["consent_photos"]) == (False, True, False)
    assert body["consent_on"] == TODAY.isoformat() and body["consent_withdrawn_on"] is None
    [event] = AuditEvent.select().where(AuditEvent.action == "beneficiary.consent_given")
    assert event.user_id == officer.user.id
    assert Beneficiary.get_by_id(quiet.id).consent_recorded_by_id == officer.user.id


def test_withdrawal_sets_the_day_clears_every_scope_and_shows_in_the_participant(api, person):
    officer = api("officer", provinces={"02"})
    response = officer.post(f"/api/v1/beneficiaries/{person.code}/consent/withdrawal", json=WITHDRAWN)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["consent_withdrawn_on"] == TODAY.isoformat()
    assert not (body["consent_data_use"] or body["consent_follow_up"] or body["consent_photos"])
    assert body["consent_on"] == "2026-03-01"  # the day consent was given is kept
    assert officer.get(f"/api/v1/beneficiaries/{person.code}").get_json()["consent_withdrawn_on"] == TODAY.isoformat()
    listed = officer.get("/api/v1/beneficiaries").get_json()["items"]
    assert [item["consent_withdrawn_on"] for item in listed] == [TODAY.isoformat()]
    stored = Beneficiary.get_by_id(person.id)
    assert stored.consent_withdrawal_reason == REASON
    again = officer.post(f"/api/v1/beneficiaries/{person.code}/consent", json=GIVEN)
    assert again.status_code == 200 and again.get_json()["consent_withdrawn_on"] is None
    assert consent_events() == 2


@pytest.mark.parametrize("path, body, fields", [
    ("consent", {"consent_data_use": True}, {"on"}),
    ("consent", {**GIVEN, "on": "01/03/2026"}, {"on"}),
    ("consent", {**GIVEN, "on": (TODAY + timedelta(days=1)).isoformat()}, {"on"}),
    ("consent", {**GIVEN, "on": "2026-02-28"}, {"on"}),  # before the registration
    ("consent", {"on": TODAY.isoformat()}, {"consent_data_use", "consent_follow_up", "consent_photos"}),
    ("consent", {**GIVEN, "consent_photos": "yes"}, {"consent_photos"}),
    ("consent", {**GIVEN, "consent_photos": None}, {"consent_photos"}),
    ("consent", {**GIVEN, "scopes": ["photos"]}, {"scopes"}),
    ("consent/withdrawal", {"on": TODAY.isoformat()}, {"reason"}),
    ("consent/withdrawal", {**WITHDRAWN, "reason": "  "}, {"reason"}),
    ("consent/withdrawal", {**WITHDRAWN, "reason": "x" * 501}, {"reason"}),
    ("consent/withdrawal", {**WITHDRAWN, "reason": "a\x00b"}, {"reason"}),
    ("consent/withdrawal", {**WITHDRAWN, "on": "2026-02-30"}, {"on"}),
    ("consent/withdrawal", {**WITHDRAWN, "on": (TODAY + timedelta(days=1)).isoformat()}, {"on"}),
    ("consent/withdrawal", {**WITHDRAWN, "on": "2026-02-28"}, {"on"}),
])
def test_a_bad_field_is_a_422_naming_it_and_nothing_is_written(api, person, path, body, fields):
    officer = api("officer")
    before = Beneficiary.get_by_id(person.id).__data__
    response = officer.post(f"/api/v1/beneficiaries/{person.code}/{path}", json=body)
    assert response.status_code == 422, response.get_json()
    assert set(response.get_json()["fields"]) == fields
    assert Beneficiary.get_by_id(person.id).__data__ == before and consent_events() == 0


def test_not_a_json_object_is_a_400(api, person):
    response = api("officer").post(f"/api/v1/beneficiaries/{person.code}/consent", data="on=2026-03-01")
    assert response.status_code == 400


def test_withdrawing_twice_or_with_nothing_consented_is_a_409(api, person, create_beneficiary):
    officer = api("officer")
    url = f"/api/v1/beneficiaries/{person.code}/consent/withdrawal"
    assert officer.post(url, json=WITHDRAWN).status_code == 200
    twice = officer.post(url, json=WITHDRAWN)
    assert twice.status_code == 409 and "already withdrawn" in twice.get_json()["error"]
    never = create_beneficiary(given_name="Dara", consent_data_use=False, consent_follow_up=False, consent_on=None)
    nothing = officer.post(f"/api/v1/beneficiaries/{never.code}/consent/withdrawal", json=WITHDRAWN)
    assert nothing.status_code == 409 and consent_events() == 1


def test_a_merged_record_is_a_409(api, person, create_beneficiary):
    officer = api("officer")
    duplicate = create_beneficiary(given_name="Chanty")
    assert officer.post(f"/api/v1/beneficiaries/{person.code}/merge",
                        json={"duplicate": duplicate.code}).status_code == 200
    for path, body in (("consent", GIVEN), ("consent/withdrawal", WITHDRAWN)):
        response = officer.post(f"/api/v1/beneficiaries/{duplicate.code}/{path}", json=body)
        assert response.status_code == 409 and person.code in response.get_json()["error"]
    assert consent_events() == 0


def test_a_patch_cannot_give_withdrawn_consent_back(api, person):
    officer = api("officer")
    officer.post(f"/api/v1/beneficiaries/{person.code}/consent/withdrawal", json=WITHDRAWN)
    url = f"/api/v1/beneficiaries/{person.code}"
    refused = officer.patch(url, json={"village": "Ou Char", "consent_follow_up": True})
    assert refused.status_code == 409 and set(refused.get_json()["fields"]) == {"consent_follow_up"}
    assert "/consent" in refused.get_json()["error"]
    stored = Beneficiary.get_by_id(person.id)
    assert stored.village == "" and stored.consent_follow_up is False
    # A tool that sends the record back as it read it (consent unchanged) still saves its other changes.
    same = officer.patch(url, json={"village": "Ou Char", "consent_follow_up": False, "consent_on": "2026-03-01"})
    assert same.status_code == 200 and same.get_json()["village"] == "Ou Char"
    assert same.get_json()["consent_withdrawn_on"] == TODAY.isoformat()


def test_a_patch_still_corrects_consent_that_was_not_withdrawn(api, person):
    response = api("officer").patch(f"/api/v1/beneficiaries/{person.code}", json={"consent_photos": True})
    assert response.status_code == 200 and response.get_json()["consent_photos"] is True
    [event] = AuditEvent.select().where(AuditEvent.action == "beneficiary.update")
    assert "consent_photos" in event.detail


@pytest.mark.parametrize("role, provinces, status", [("manager", None, 403), ("trainer", None, 403),
                                                     ("officer", {"17"}, 404)])
def test_other_roles_and_provinces_change_nothing(api, person, role, provinces, status):
    caller = api(role, provinces=provinces)
    assert caller.post(f"/api/v1/beneficiaries/{person.code}/consent/withdrawal", json=WITHDRAWN).status_code == status
    assert caller.post(f"/api/v1/beneficiaries/{person.code}/consent", json=GIVEN).status_code == status
    assert consent_events() == 0


ENDPOINTS = {"consent": (GIVEN, ["consent_data_use", "consent_follow_up", "consent_photos", "on"]),
             "consent/withdrawal": (WITHDRAWN, ["on", "reason"])}


@budget(30)
@given(path=st.sampled_from(sorted(ENDPOINTS)), data=st.data())
def test_hostile_bodies_are_saved_as_sent_or_refused_naming_a_field_and_never_a_5xx(api, create_beneficiary, path,
                                                                                     data):
    good, fields = ENDPOINTS[path]
    sent = data.draw(st.dictionaries(st.sampled_from(fields + ["nickname"]), json_value(), min_size=1, max_size=3))
    person = create_beneficiary()  # a new one each time: a withdrawal done by one example is not the next one's
    before, events = Beneficiary.get_by_id(person.id).__data__, consent_events()
    response = api("officer").post(f"/api/v1/beneficiaries/{person.code}/{path}", json={**good, **sent})
    answered(response)
    assert response.status_code in (200, 400, 409, 422), response.status_code
    body = response.get_json()
    stored = Beneficiary.get_by_id(person.id)
    if response.status_code != 200:
        assert body["error"] and set(body["fields"]) <= set(fields + ["nickname"]), body
        assert stored.__data__ == before and consent_events() == events
    elif path == "consent/withdrawal":
        reason = {**good, **sent}["reason"]
        assert stored.consent_withdrawal_reason == unicodedata.normalize("NFC", reason).strip()
        assert body["consent_withdrawn_on"] == stored.consent_withdrawn_on.isoformat()
    else:
        assert body["consent_withdrawn_on"] is None and stored.consent_on.isoformat() == {**good, **sent}["on"]
