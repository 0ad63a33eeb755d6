"""The JSON API under hostile input: stored as sent, or 400/422 JSON naming the field; never a 5xx.

Bodies are JSON objects with some fields set to any JSON value (hostile text, NaN, Infinity, -0,
1e308, huge integers, lists, objects); query strings carry the same text. After a refused request
the tables it could write hold the same rows.

Inputs tried per run: 40 (POST participants) + 30 (PATCH participants) + 30 (POST cohorts)
+ 30 (PUT attendance) + 30 (GET the list) + 20 (raw bodies) = 180 generated, and 6 that once failed.
"""
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.audit.models import AuditEvent
from registry.beneficiaries.models import Beneficiary
from registry.programs.models import Attendance, Cohort, CohortTrainer, TrainingSession
from tests.makers import PERSON
from tests.bad_input.conftest import counts
from tests.bad_input.strategies import (ODD_NUMBERS, answered, budget, has_control, hostile_text, hostile_value,
                                        json_value, stored_name)
from tests.bad_input.test_participant_pages import DEPENDS, TEXT_FIELDS

URL = "/api/v1/beneficiaries"
API_FIELDS = ["given_name", "family_name", "given_name_km", "family_name_km", "sex", "date_of_birth", "birth_year",
              "phone", "province", "district", "commune", "village", "id_document_type", "id_document_number",
              "category", "destination_country", "sector_abroad", "return_date", "return_mode", "regular_migration",
              "disability", "idpoor", "household_size", "education_level", "baseline_employment",
              "baseline_monthly_income", "baseline_income_currency", "consent_data_use", "consent_follow_up",
              "consent_photos", "consent_on", "registered_on"]
COHORT_FIELDS = ["program", "name", "venue", "province", "start_on", "end_on", "capacity", "trainers"]
GOOD_PERSON = {**PERSON, "category": "returned_migrant"}


@pytest.fixture
def officer_api(api):
    """An API client of an officer of every province (fixtures outlive the examples of a test)."""
    return api("officer")


def body_changes(fields):
    """One to four fields (now and then one the API does not know) set to any JSON value."""
    return st.dictionaries(st.sampled_from(fields + ["nickname", ""]), json_value(), min_size=1, max_size=4)


def check_refusal(response, sent, before, tables, depends=None):
    """A 4xx JSON answer with a message, naming fields that were sent; the tables hold the same rows."""
    assert 400 <= response.status_code < 500, response.status_code
    body = response.get_json()
    assert isinstance(body, dict) and body.get("error"), body
    if response.status_code == 422 and sent is not None:
        named = {name.split("[", 1)[0].split(".", 1)[0] for name in body["fields"]}
        assert named, body
        assert all(name in sent or (depends or {}).get(name, set()) & set(sent) for name in named), (body, sent)
    assert counts(*tables) == before


def check_person(record, sent):
    """The participant holds the names sent, cleaned as the form stores them, and no control character."""
    for name in TEXT_FIELDS:
        value = sent.get(name)
        if isinstance(value, str) and (record["category"] == "returned_migrant"
                                       or name not in ("destination_country", "sector_abroad")):
            assert record[name] == (stored_name(value) or None), name
        assert not has_control(record[name] or ""), name


@budget(40)
@given(sent=body_changes(API_FIELDS))
def test_register_answers_201_or_names_the_field(officer_api, tried, sent):
    tried()
    before = counts(Beneficiary, AuditEvent)
    response = officer_api.post(URL, json={**GOOD_PERSON, **sent, "allow_duplicate": True})
    answered(response)
    if response.status_code != 201:
        check_refusal(response, sent, before, (Beneficiary, AuditEvent), DEPENDS)
        return
    assert counts(Beneficiary)["beneficiary"] == before["beneficiary"] + 1
    check_person(response.get_json(), sent)


@pytest.mark.parametrize("sent", [{"given_name": "a" * 100, "family_name": "b" * 100}, {"given_name": "\ufdfa" * 20},
                                  {"given_name_km": "ក" * 100, "family_name_km": "ខ" * 100}])
def test_names_that_once_failed_are_registered(officer_api, tried, sent):
    """Names whose search keys outgrew their column on PostgreSQL."""
    tried()
    response = officer_api.post(URL, json={**GOOD_PERSON, **sent, "allow_duplicate": True})
    assert response.status_code == 201, response.get_json()
    check_person(response.get_json(), sent)


@pytest.fixture
def person(create_beneficiary):
    """The code of a returned migrant that every example changes."""
    return create_beneficiary(category="returned_migrant").code


@budget(30)
@given(sent=body_changes(API_FIELDS))
def test_a_change_answers_200_or_names_the_field_and_keeps_the_record(officer_api, person, tried, sent):
    tried()
    stored = Beneficiary.select().where(Beneficiary.code == person).dicts().get()
    before = counts(Beneficiary, AuditEvent)
    response = officer_api.patch(f"{URL}/{person}", json=sent)
    answered(response)
    if response.status_code != 200:
        check_refusal(response, sent, before, (Beneficiary, AuditEvent), DEPENDS)
        assert Beneficiary.select().where(Beneficiary.code == person).dicts().get() == stored
        return
    check_person(response.get_json(), sent)


def trainers_with_nul(sent):
    """A trainer's username holding NUL: PostgreSQL fails on it (see test_known_gaps.py)."""
    trainers = sent.get("trainers")
    return isinstance(trainers, list) and any(isinstance(t, str) and "\x00" in t for t in trainers)


@pytest.fixture
def program(create_program, create_user):
    """The id of a program, and a trainer "sophea" to teach it."""
    create_user("trainer", username="sophea")
    return create_program().id


@budget(30)
@given(sent=st.one_of(body_changes(COHORT_FIELDS).filter(lambda sent: not trainers_with_nul(sent)),
                      st.dictionaries(st.sampled_from(["name", "venue"]), hostile_text(), min_size=1)))
def test_a_cohort_answers_201_or_names_the_field(officer_api, program, tried, sent):
    tried()
    good = {"program": program, "name": "Sewing", "venue": "Centre", "province": "02",
            "start_on": "2026-03-02", "end_on": "2026-05-29", "capacity": 20, "trainers": ["sophea"]}
    tables = (Cohort, CohortTrainer, AuditEvent)
    before = counts(*tables)
    response = officer_api.post("/api/v1/cohorts", json={**good, **sent})
    answered(response)
    if response.status_code != 201:
        check_refusal(response, sent, before, tables, {"end_on": {"start_on"}})
        return
    cohort = Cohort.get_by_id(response.get_json()["id"])
    assert cohort.name == {**good, **sent}["name"] and not has_control(cohort.name + cohort.venue)


@pytest.fixture
def session(create_cohort, create_beneficiary, enroll):
    """The id of a session held five days ago, in a cohort of BR-000001 and BR-000002."""
    today = date.today()
    cohort = create_cohort(start_on=today - timedelta(days=30), end_on=today + timedelta(days=30),
                           days=[today - timedelta(days=5)])
    for given_name in ("Chanthy", "Dara"):
        enroll(cohort, create_beneficiary(given_name=given_name), on=today - timedelta(days=30))
    return TrainingSession.get(TrainingSession.cohort == cohort).id


def mark():
    """One item of an attendance body: mostly good, sometimes any JSON value."""
    return st.one_of(st.fixed_dictionaries({"beneficiary": st.sampled_from(["BR-000001", "br-000002 ", "BR-000009"]),
                                            "status": st.sampled_from(["present", "late", "excused", "absent"])}),
                     st.fixed_dictionaries({"beneficiary": json_value(), "status": json_value()}),
                     json_value())


@budget(30)
@given(body=st.one_of(st.fixed_dictionaries({"marks": st.lists(mark(), max_size=4)}),
                      st.dictionaries(st.sampled_from(["marks", "session", ""]), json_value(), max_size=2)))
def test_attendance_answers_200_with_every_mark_or_none(officer_api, session, tried, body):
    tried()
    marks_before = {(a.enrollment_id, a.status) for a in Attendance.select()}
    before = counts(Attendance, AuditEvent)
    response = officer_api.put(f"/api/v1/sessions/{session}/attendance", json=body)
    answered(response)
    if response.status_code != 200:
        check_refusal(response, {"marks"}, before, (Attendance, AuditEvent))
        assert {(a.enrollment_id, a.status) for a in Attendance.select()} == marks_before
        return
    assert response.get_json()["marks"] == len(body["marks"])
    assert Attendance.select().count() <= 2


QUERY_VALUE = st.one_of(hostile_value(), st.sampled_from(ODD_NUMBERS + ["1", "500", "501", "²", "١"]))


@budget(30)
@given(args=st.dictionaries(st.sampled_from(["q", "province", "status", "page", "per_page", "other"]), QUERY_VALUE,
                            min_size=1, max_size=3))
def test_the_list_answers_200_or_400_naming_the_parameter(officer_api, tried, args):
    tried()
    before = counts(Beneficiary)
    response = officer_api.get(URL, query_string=args)
    answered(response)
    assert response.status_code in (200, 400), response.status_code
    body = response.get_json()
    if response.status_code == 400:
        assert body["error"] and set(body["fields"]) <= set(args), body
    else:
        assert {"items", "total", "page", "per_page"} <= set(body)
    assert counts(Beneficiary) == before


RAW = st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode),
                st.sampled_from([b"", b"null", b"[]", b"NaN", b"\xef\xbb\xbf{}", b'{"sex": "\xff"}', b'{"sex": 1e999}',
                                 b'{"a": 1, "a": 2}', b"{" * 3 + b"}" * 3, b'"\\ud800"', b'{"given_name": "\\u0000"}']))


@budget(20)
@given(raw=RAW, content_type=st.sampled_from(["application/json", "text/plain", "application/json; charset=latin-1"]))
def test_a_body_that_is_not_a_good_json_object_answers_4xx(officer_api, tried, raw, content_type):
    tried()
    before = counts(Beneficiary, AuditEvent)
    response = officer_api.post(URL, data=raw, content_type=content_type)
    answered(response)
    check_refusal(response, None, before, (Beneficiary, AuditEvent))


@pytest.mark.parametrize("page", ["²", "9" * 5000])
def test_a_page_number_int_cannot_read_answers_400(officer_api, tried, page):
    """A page number that passes str.isdigit() but that int() cannot read ("²", 5,000 digits)."""
    tried()
    response = officer_api.get(URL, query_string={"page": page})
    assert response.status_code == 400 and "page" in response.get_json()["fields"]


def test_json_nested_thousands_deep_answers_400(officer_api, tried):
    tried()
    response = officer_api.post(URL, data="[" * 100_000 + "]" * 100_000, content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"]
