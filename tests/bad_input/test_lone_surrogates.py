"""A lone surrogate ("\\ud800", valid JSON but not text) is refused with a 400 naming where it sits, on every write.

It used to reach the database driver, which cannot encode it: a 500 on POST /api/v1/beneficiaries
and on the other write endpoints. Forms and query strings cannot carry one (Werkzeug decodes their
bytes as UTF-8, replacing what is not), and the pages show that they do not fail on such bytes.
"""
import pytest

from registry.audit.models import AuditEvent
from registry.beneficiaries.models import Beneficiary
from registry.outcomes.models import FollowUp
from registry.programs.models import Attendance, Cohort, Enrollment, Program, TrainingSession
from tests.bad_input.conftest import counts, url_of
from tests.makers import PERSON

WRITES = ("POST", "PUT", "PATCH", "DELETE")
TABLES = (Beneficiary, AuditEvent, Attendance, Cohort, Enrollment, FollowUp, Program, TrainingSession)
# (raw JSON body, where the surrogate sits): a value, a nested value, a key, and UTF-8 bytes of a surrogate.
BODIES = [
    (b'{"given_name": "\\ud800", "family_name": "Sok"}', "given_name"),
    (b'{"marks": [{}, {}, {}, {"note": "ok \\udfff"}]}', "marks[3].note"),
    (b'{"reason": "fine", "x\\ud83d": 1}', "x\\ud83d"),
    (b'{"reason": "\xed\xa0\x80"}', "reason"),
]


def api_writes(app):
    """(method, rule) of every API endpoint that writes."""
    return [(method, rule) for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
            for method in sorted(rule.methods & set(WRITES))]


def test_the_walk_finds_the_api_writes(app):
    assert len(api_writes(app)) >= 14  # every POST, PUT, PATCH and DELETE of /api/v1 at the time of writing


@pytest.mark.parametrize("raw, field", BODIES, ids=["value", "nested", "key", "utf8-bytes"])
def test_every_api_write_answers_400_naming_the_surrogate(app, world, raw, field):
    values, admin = world
    for method, rule in api_writes(app):
        before = counts(*TABLES)
        response = admin.client.open(url_of(rule, values), method=method, headers=admin.headers, data=raw,
                                     content_type="application/json")
        assert response.status_code == 400, (method, rule.rule, response.status_code, response.get_json())
        body = response.get_json()
        assert set(body["fields"]) == {field} and field in body["error"], (method, rule.rule, body)
        assert counts(*TABLES) == before, (method, rule.rule)


def test_a_good_registration_with_a_surrogate_in_a_name_answers_400(api):
    """The issue's example: everything else is valid, so the old code went on to the database."""
    response = api("officer").post("/api/v1/beneficiaries", json={**PERSON, "given_name": "Chan\ud800thy"})
    assert response.status_code == 400 and set(response.get_json()["fields"]) == {"given_name"}
    assert Beneficiary.select().count() == 0


def test_a_good_attendance_sheet_with_a_surrogate_in_a_code_answers_400(world):
    values, admin = world
    marks = [{"beneficiary": values["code"], "status": "present"}, {"beneficiary": "BR-\udc00", "status": "late"}]
    response = admin.put(f"/api/v1/sessions/{values['session_id']}/attendance", json={"marks": marks})
    assert response.status_code == 400 and set(response.get_json()["fields"]) == {"marks[1].beneficiary"}


@pytest.mark.parametrize("path", ["/beneficiaries/?q=%ED%A0%80", "/beneficiaries/?q%ED%A0%80=1&province=%FF",
                                  "/follow-ups/?province=%ED%A0%80&bucket=%FF", "/audit/?user=%ED%A0%80&record=%FF",
                                  "/reports/?province=%ED%A0%80", "/api/v1/beneficiaries?q=%ED%A0%80%FF"])
def test_invalid_utf8_in_a_query_string_is_no_error(world, client, auth, path):
    auth.login_as("admin")
    _values, admin = world
    response = (admin.get if path.startswith("/api/") else client.get)(path)
    assert response.status_code in (200, 400), response.status_code


@pytest.mark.parametrize("content_type, raw", [
    ("application/x-www-form-urlencoded", b"given_name=%ED%A0%80Dara&family_name=\xed\xa0\x80\xff&sex=female"),
    ("multipart/form-data; boundary=XX", b'--XX\r\nContent-Disposition: form-data; name="given_name"\r\n\r\n'
                                         b'\xed\xa0\x80\xff\r\n--XX\r\nContent-Disposition: form-data; '
                                         b'name="q\xed\xa0\x80"\r\n\r\nx\r\n--XX--\r\n'),
], ids=["urlencoded", "multipart"])
def test_invalid_utf8_in_a_form_post_is_no_error(client, auth, content_type, raw):
    auth.login_as("officer")
    response = client.post("/beneficiaries/new", data=raw, content_type=content_type)
    assert response.status_code in (200, 302, 400), response.status_code
    assert all("\ud800" not in (b.given_name + b.family_name) for b in Beneficiary.select())
