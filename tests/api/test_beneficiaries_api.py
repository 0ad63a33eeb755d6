"""/api/v1/beneficiaries: the page's rules, scope and audit, over JSON."""
import pytest

from registry.audit.models import AuditEvent
from registry.beneficiaries.models import Beneficiary
from tests.makers import PERSON

URL = "/api/v1/beneficiaries"


def test_register_answers_201_with_the_record(api):
    response = api("officer").post(URL, json={**PERSON, "phone": "012 345 678", "household_size": 4,
                                              "regular_migration": None, "idpoor": True})
    assert response.status_code == 201, response.get_json()
    record = response.get_json()
    assert record["code"] == "BR-000001" and record["status"] == "active"
    assert record["phone"] == "+85512345678" and record["household_size"] == 4 and record["idpoor"] is True
    assert record["village"] is None and record["regular_migration"] is None
    assert Beneficiary.get(Beneficiary.code == "BR-000001").created_by_id is not None


def test_a_likely_duplicate_answers_409_unless_allowed(api):
    officer = api("officer")
    officer.post(URL, json=PERSON)
    response = officer.post(URL, json={**PERSON, "given_name": "Chanty"})
    assert response.status_code == 409
    body = response.get_json()
    assert body["duplicates"][0]["code"] == "BR-000001" and "latin_similar" in body["duplicates"][0]["reasons"]
    assert Beneficiary.select().count() == 1
    forced = officer.post(URL, json={**PERSON, "given_name": "Chanty", "allow_duplicate": True})
    assert forced.status_code == 201
    assert AuditEvent.select().where(AuditEvent.action == "beneficiary.duplicate_override").count() == 1


@pytest.mark.parametrize("change, field", [
    ({"sex": None}, "sex"),
    ({"sex": "f"}, "sex"),
    ({"date_of_birth": "2001-02-30"}, "date_of_birth"),
    ({"date_of_birth": "2990-01-01"}, "date_of_birth"),
    ({"date_of_birth": 2001}, "date_of_birth"),
    ({"phone": "not a phone"}, "phone"),
    ({"province": "99"}, "province"),
    ({"household_size": "four"}, "household_size"),
    ({"household_size": 4.5}, "household_size"),
    ({"baseline_monthly_income": 100}, "baseline_income_currency"),
    ({"consent_data_use": "yes"}, "consent_data_use"),
    ({"given_name": "Chan\x00thy"}, "given_name"),
    ({"given_name": "x" * 101}, "given_name"),
    ({"given_name": "", "family_name": ""}, "given_name"),
    ({"nickname": "Thy"}, "nickname"),
    ({"allow_duplicate": "yes"}, "allow_duplicate"),
])
def test_invalid_fields_answer_422_naming_the_field(api, change, field):
    response = api("officer").post(URL, json={**PERSON, **change})
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["fields"]
    assert Beneficiary.select().count() == 0


@pytest.mark.parametrize("body, content_type", [("not json", "application/json"), ("[1, 2]", "application/json"),
                                                ('{"sex": "female"}', "text/plain")])
def test_a_body_that_is_not_a_json_object_answers_400(api, body, content_type):
    response = api("officer").post(URL, data=body, content_type=content_type)
    assert response.status_code == 400 and "error" in response.get_json()


def test_a_province_outside_the_scope_answers_403(api):
    response = api("officer", provinces={"17"}).post(URL, json=PERSON)
    assert response.status_code == 403 and "province" in response.get_json()["fields"]
    assert Beneficiary.select().count() == 0


def test_the_list_is_scoped_searched_and_paged(api, create_beneficiary):
    for n in range(3):
        create_beneficiary(given_name=f"Dara{n}", province="02", phone=f"+8551234567{n}")
    create_beneficiary(given_name="Sophal", province="17")
    scoped = api("officer", provinces={"02"})
    page = scoped.get(URL + "?per_page=2").get_json()
    assert page["total"] == 3 and page["per_page"] == 2 and len(page["items"]) == 2
    assert len(scoped.get(URL + "?per_page=2&page=2").get_json()["items"]) == 1
    assert scoped.get(URL + "?q=Sophal").get_json()["total"] == 0
    assert scoped.get(URL + "?province=17").get_json()["total"] == 0
    everyone = api("admin")
    assert everyone.get(URL + "?q=sophal").get_json()["items"][0]["province"] == "17"
    assert everyone.get(URL + "?province=02").get_json()["total"] == 3
    assert AuditEvent.select().where(AuditEvent.action == "beneficiary.list").count() == 6


@pytest.mark.parametrize("query, field", [("per_page=501", "per_page"), ("per_page=0", "per_page"),
                                          ("page=-1", "page"), ("page=x", "page"), ("q=" + "a" * 201, "q"),
                                          ("q=a%1Bb", "q")])
def test_bad_list_parameters_answer_400(api, query, field):
    response = api("officer").get(f"{URL}?{query}")
    assert response.status_code == 400 and field in response.get_json()["fields"]


def test_reading_one_is_scoped_and_audited(api, create_beneficiary):
    person = create_beneficiary(province="17")
    assert api("officer", provinces={"02"}).get(f"{URL}/{person.code}").status_code == 404
    response = api("officer", provinces={"17"}).get(f"{URL}/{person.code.lower()}")
    assert response.status_code == 200 and response.get_json()["given_name"] == "Chanthy"
    assert AuditEvent.select().where(AuditEvent.action == "beneficiary.view").count() == 1
    assert api("officer").get(f"{URL}/BR-999999").status_code == 404


def test_patch_changes_only_what_is_sent_and_null_clears(api, create_beneficiary):
    person = create_beneficiary(phone="+85512345678", village="Ou Char")
    officer = api("officer")
    response = officer.patch(f"{URL}/{person.code}", json={"village": None, "household_size": 5})
    assert response.status_code == 200, response.get_json()
    record = response.get_json()
    assert record["village"] is None and record["household_size"] == 5 and record["phone"] == "+85512345678"
    event = AuditEvent.get(AuditEvent.action == "beneficiary.update")
    assert "village" in event.detail and "household_size" in event.detail and "phone" not in event.detail


def test_patch_keeps_the_forms_rules_and_writes_nothing_when_invalid(api, create_beneficiary):
    person = create_beneficiary()
    response = api("officer").patch(f"{URL}/{person.code}", json={"household_size": 99, "village": "Ou Char"})
    assert response.status_code == 422 and "household_size" in response.get_json()["fields"]
    assert Beneficiary.get_by_id(person.id).village == ""


def test_patch_cannot_move_a_record_out_of_the_scope(api, create_beneficiary):
    person = create_beneficiary(province="02")
    response = api("officer", provinces={"02"}).patch(f"{URL}/{person.code}", json={"province": "17"})
    assert response.status_code == 403
    assert Beneficiary.get_by_id(person.id).province_id == "02"


def test_merge_moves_the_duplicate_into_the_survivor(api, create_beneficiary):
    survivor = create_beneficiary()
    duplicate = create_beneficiary(given_name="Chanty", phone="+85512345678")
    officer = api("officer")
    response = officer.post(f"{URL}/{survivor.code}/merge", json={"duplicate": duplicate.code})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["survivor"]["phone"] == "+85512345678" and body["duplicate"] == duplicate.code
    merged = officer.get(f"{URL}/{duplicate.code}").get_json()
    assert merged["status"] == "merged" and merged["merged_into"] == survivor.code
    again = officer.post(f"{URL}/{survivor.code}/merge", json={"duplicate": duplicate.code})
    assert again.status_code == 409
    assert officer.patch(f"{URL}/{duplicate.code}", json={"village": "x"}).status_code == 409


def test_merge_refuses_itself_and_records_outside_the_scope(api, create_beneficiary):
    here, there = create_beneficiary(province="02"), create_beneficiary(given_name="Sokha", province="17")
    officer = api("officer", provinces={"02"})
    assert officer.post(f"{URL}/{here.code}/merge", json={"duplicate": here.code}).status_code == 409
    response = officer.post(f"{URL}/{here.code}/merge", json={"duplicate": there.code})
    assert response.status_code == 422 and "duplicate" in response.get_json()["fields"]
    assert officer.post(f"{URL}/{here.code}/merge", json={}).status_code == 422
    assert Beneficiary.get_by_id(there.id).status == "active"


@pytest.mark.parametrize("role", ["trainer", "manager"])
def test_trainers_and_managers_cannot_reach_participants(api, create_beneficiary, role):
    person = create_beneficiary()
    caller = api(role)
    assert caller.get(URL).status_code == 403
    assert caller.get(f"{URL}/{person.code}").status_code == 403
    assert caller.post(URL, json=PERSON).status_code == 403
    assert caller.patch(f"{URL}/{person.code}", json={"village": "x"}).status_code == 403
    assert caller.post(f"{URL}/{person.code}/merge", json={"duplicate": person.code}).status_code == 403
