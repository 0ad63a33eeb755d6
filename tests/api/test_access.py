"""Who may call what: every API endpoint for every role, and for an officer of another province.

The table is the contract; a new API route with no row in it fails the suite.
"""
from datetime import date

import pytest

from registry.programs.models import Attendance, Enrollment
from tests.access_world import CROSS_SECRETS
from tests.api.test_openapi import _api_routes
from tests.makers import ApiClient

ROLES = ("admin", "officer", "outsider", "trainer", "other_trainer", "manager")
TODAY = date.today()

# (method, path, body): {role: status}; outsider = an officer of province 17, the data is in 02.
MATRIX = [
    (("GET", "/api/v1/beneficiaries", None), (200, 200, 200, 403, 403, 403)),
    (("POST", "/api/v1/beneficiaries", "new_person"), (201, 201, 403, 403, 403, 403)),
    (("GET", "/api/v1/beneficiaries/{code}", None), (200, 200, 404, 403, 403, 403)),
    (("PATCH", "/api/v1/beneficiaries/{code}", {"village": "Ou Char"}), (200, 200, 404, 403, 403, 403)),
    (("POST", "/api/v1/beneficiaries/{code}/merge", "duplicate"), (200, 200, 404, 403, 403, 403)),
    (("POST", "/api/v1/beneficiaries/{code}/consent", "consent"), (200, 200, 404, 403, 403, 403)),
    (("POST", "/api/v1/beneficiaries/{code}/consent/withdrawal", "withdrawal"), (200, 200, 404, 403, 403, 403)),
    (("POST", "/api/v1/beneficiaries/{graduate}/follow-ups", "follow_up"), (201, 201, 404, 403, 403, 403)),
    (("PATCH", "/api/v1/follow-ups/{follow_up_id}", {"note": "Called twice.", "reason": "Note missing"}),
     (200, 200, 404, 403, 403, 403)),
    (("DELETE", "/api/v1/follow-ups/{follow_up_id}", {"reason": "Recorded twice"}), (200, 200, 404, 403, 403, 403)),
    (("GET", "/api/v1/programs", None), (200, 200, 200, 403, 403, 200)),
    (("POST", "/api/v1/programs", {"name": "Motorbike repair"}), (201, 403, 403, 403, 403, 403)),
    (("GET", "/api/v1/cohorts", None), (200, 200, 200, 200, 200, 403)),
    (("POST", "/api/v1/cohorts", "new_cohort"), (201, 201, 403, 403, 403, 403)),
    (("GET", "/api/v1/cohorts/{cohort_id}", None), (200, 200, 404, 200, 403, 403)),
    (("POST", "/api/v1/cohorts/{cohort_id}/sessions", "new_session"), (201, 201, 404, 403, 403, 403)),
    (("GET", "/api/v1/cohorts/{cohort_id}/enrollments", None), (200, 200, 404, 200, 403, 403)),
    (("POST", "/api/v1/cohorts/{cohort_id}/enrollments", "enrollment"), (201, 201, 404, 403, 403, 403)),
    (("PATCH", "/api/v1/enrollments/{enrollment_id}", {"pre_score": 50}), (200, 200, 404, 403, 403, 403)),
    (("PUT", "/api/v1/sessions/{session_id}/attendance", "marks"), (200, 200, 404, 200, 403, 403)),
    (("GET", "/api/v1/reports/indicators?start=2026-01-01&end=2026-12-31", None), (200, 200, 200, 403, 403, 200)),
    (("GET", "/api/v1/openapi.json", None), (200,) * 6),
    (("GET", "/api/v1/docs", None), (200,) * 6),
]


def _caller(role, world, api, client, bearer):
    if role == "trainer":
        return ApiClient(client, bearer(world["trainer"])["Authorization"].split()[1], world["trainer"])
    if role == "outsider":
        return api("officer", provinces={"17"})
    if role == "other_trainer":
        return api("trainer")
    return api(role, provinces={"02"} if role == "officer" else None)


@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_answers_each_role_as_the_table_says(role, world, api, client, bearer):
    caller = _caller(role, world, api, client, bearer)
    wrong = []
    for (method, path, body), statuses in MATRIX:
        url = path.format(**world)
        body = world["bodies"][body] if isinstance(body, str) else body
        response = caller._send(method, url, **({"json": body} if body is not None else {}))
        expected = statuses[ROLES.index(role)]
        if response.status_code != expected:
            wrong.append(f"{method} {url}: {response.status_code}, expected {expected} {response.get_data()[:200]}")
    assert not wrong, "\n".join(wrong)


def test_the_table_covers_every_api_route(app):
    def template(path):
        path = path.split("?")[0]
        return path.replace("{code}", "{code}").replace("{graduate}", "{code}")

    covered = {(method, template(path)) for (method, path, _body), _statuses in MATRIX}
    assert covered == _api_routes(app)


def test_an_officer_of_another_province_finds_and_counts_nobody(world, api):
    outsider = api("officer", provinces={"17"})
    for query in ("", "?q=Chanthy", "?q=%2B85512345678", f"?q={world['code']}", "?province=02"):
        assert outsider.get("/api/v1/beneficiaries" + query).get_json()["total"] == 0, query
    assert outsider.get("/api/v1/cohorts").get_json()["total"] == 0


# A person of province 02 in a cohort of province 17 (tests/access_world.py), called by an officer of 17.

def _marks(session_id):
    return {e: s for e, s in Attendance.select(Attendance.enrollment, Attendance.status)
            .where(Attendance.session == session_id).tuples()}


def _officer17(client, bearer, world):
    return ApiClient(client, bearer(world["officer17"])["Authorization"].split()[1], world["officer17"])


def test_the_enrollment_list_gives_an_officer_of_17_the_codes_only(cross_world, client, bearer):
    answer = _officer17(client, bearer, cross_world).get(f"/api/v1/cohorts/{cross_world['cohort'].id}/enrollments")
    assert answer.status_code == 200
    assert cross_world["away"].code in {item["beneficiary"] for item in answer.get_json()["items"]}
    assert [secret for secret in CROSS_SECRETS if secret in answer.get_data(as_text=True)] == []


def test_an_officer_of_17_cannot_patch_the_enrollment_of_someone_of_02(cross_world, client, bearer):
    officer = _officer17(client, bearer, cross_world)
    away, local = cross_world["away_enrollment"].id, cross_world["local_enrollment"].id
    answer = officer.patch(f"/api/v1/enrollments/{away}", json={"pre_score": 50})
    assert answer.status_code == 403 and cross_world["away"].code in answer.get_json()["error"]
    assert answer.get_json()["fields"].keys() == {"beneficiary"}
    refused = officer.patch(f"/api/v1/enrollments/{away}", json={"status": "withdrawn", "reason": "x"})
    assert refused.status_code == 403
    assert Enrollment.get_by_id(away).pre_score is None and Enrollment.get_by_id(away).status == "active"
    assert officer.patch(f"/api/v1/enrollments/{local}", json={"pre_score": 50}).status_code == 200


def test_an_officer_of_17_cannot_mark_someone_of_02_and_a_put_without_them_leaves_their_mark(cross_world, client,
                                                                                            bearer):
    officer = _officer17(client, bearer, cross_world)
    url = f"/api/v1/sessions/{cross_world['session'].id}/attendance"
    away, local = cross_world["away"], cross_world["local"]
    before = _marks(cross_world["session"].id)
    answer = officer.put(url, json={"marks": [{"beneficiary": local.code, "status": "present"},
                                              {"beneficiary": away.code, "status": "absent"}]})
    assert answer.status_code == 403 and away.code in answer.get_json()["error"]
    assert set(answer.get_json()["fields"]) == {"marks[1].beneficiary"}
    assert _marks(cross_world["session"].id) == before  # all or nothing: the other mark is not saved either
    answer = officer.put(url, json={"marks": [{"beneficiary": local.code, "status": "late"}]})
    assert answer.status_code == 200
    assert [secret for secret in CROSS_SECRETS if secret in answer.get_data(as_text=True)] == []
    after = _marks(cross_world["session"].id)
    assert after[cross_world["away_enrollment"].id] == "present" and after[cross_world["local_enrollment"].id] == "late"


def test_the_cohorts_trainer_may_mark_everyone_in_it(cross_world, client, bearer):
    trainer = ApiClient(client, bearer(cross_world["trainer"])["Authorization"].split()[1], cross_world["trainer"])
    answer = trainer.put(f"/api/v1/sessions/{cross_world['session'].id}/attendance",
                         json={"marks": [{"beneficiary": cross_world["away"].code, "status": "absent"}]})
    assert answer.status_code == 200
    assert _marks(cross_world["session"].id)[cross_world["away_enrollment"].id] == "absent"


@pytest.mark.parametrize("provinces, expected", [({"17"}, 422), ({"02"}, 404), ({"02", "17"}, 201), (None, 201)])
def test_enrolling_someone_of_02_in_a_cohort_of_17_needs_a_caller_of_both(cross_world, api, create_beneficiary,
                                                                         provinces, expected):
    newcomer = create_beneficiary(given_name="Vanna", date_of_birth=date(1999, 1, 1))  # province 02
    caller = api("officer" if provinces else "admin", provinces=provinces)
    Enrollment.update(status="withdrawn", ended_on=TODAY).where(  # a free seat, so that 201 means enrolled
        Enrollment.id == cross_world["local_enrollment"].id).execute()
    answer = caller.post(f"/api/v1/cohorts/{cross_world['cohort'].id}/enrollments",
                         json={"beneficiary": newcomer.code, "enrolled_on": TODAY.isoformat()})
    assert answer.status_code == expected
    if expected == 422:
        assert answer.get_json()["fields"].keys() == {"beneficiary"}
    assert Enrollment.select().where(Enrollment.beneficiary == newcomer.id).exists() is (expected == 201)
