"""Who may open what: every page route, as anonymous and as each role, against a table kept here.

The table is the contract. A new route with no row fails the suite; a changed answer fails it too.
Columns: anonymous, admin, officer, outsider, trainer, other_trainer, manager.
The world lives in province 02; outsider is an officer of province 17; trainer is assigned to cohort 1.
404 for an allowed role means the record (or the query the page needs) is not there, or outside the
user's provinces, which a scoped user must not be able to tell apart. The API has its own table
(tests/api/test_access.py).
"""
import pytest

from registry.programs.models import Attendance, Enrollment
from tests.access_world import CALLERS, page_requests, sign_in

EXPECTED = {
    "GET /":                                                                     "302 200 200 200 200 200 200",
    "GET /account":                                                              "302 200 200 200 200 200 200",
    "GET /account/tokens/":                                                      "302 200 200 200 200 200 200",
    "GET /audit/":                                                               "302 200 403 403 403 403 403",
    "GET /audit/export.xlsx":                                                    "302 200 403 403 403 403 403",
    "GET /beneficiaries/":                                                       "302 200 200 200 403 403 403",
    "GET /beneficiaries/<code>":                                                 "302 200 200 404 403 403 403",
    "GET /beneficiaries/<code>/edit":                                            "302 200 200 404 403 403 403",
    "GET /beneficiaries/<code>/consent":                                         "302 200 200 404 403 403 403",
    "GET /beneficiaries/<code>/merge":                                           "302 200 200 404 403 403 403",
    "GET /beneficiaries/export.xlsx":                                            "302 200 200 200 403 403 200",
    "GET /beneficiaries/import/":                                                "302 200 200 200 403 403 403",
    "GET /beneficiaries/import/<int:job_id>":                                    "302 404 404 404 403 403 403",
    "GET /beneficiaries/import/<int:job_id>/state":                              "302 404 404 404 403 403 403",
    "GET /beneficiaries/import/template.xlsx":                                   "302 200 200 200 403 403 403",
    "GET /beneficiaries/new":                                                    "302 200 200 200 403 403 403",
    "GET /beneficiaries/search":                                                 "302 200 200 200 403 403 403",
    "GET /cohorts/":                                                             "302 200 200 200 200 200 403",
    "GET /cohorts/<int:cohort_id>":                                              "302 200 200 404 200 403 403",
    "GET /cohorts/<int:cohort_id>/edit":                                         "302 200 200 404 403 403 403",
    "GET /cohorts/<int:cohort_id>/enroll":                                       "302 200 200 404 403 403 403",
    "GET /cohorts/<int:cohort_id>/enrollments/<int:enrollment_id>":              "302 200 200 404 403 403 403",
    "GET /cohorts/<int:cohort_id>/grid":                                         "302 200 200 404 200 403 403",
    "GET /cohorts/<int:cohort_id>/sessions":                                     "302 200 200 404 200 403 403",
    "GET /cohorts/<int:cohort_id>/sessions/<int:session_id>/signin.xlsx":        "302 200 200 404 200 403 403",
    "GET /cohorts/<int:cohort_id>/signin":                                       "302 200 200 404 200 403 403",
    "GET /cohorts/<int:cohort_id>/signin.xlsx":                                  "302 200 200 404 200 403 403",
    "GET /cohorts/<int:cohort_id>/signin/upload":                                "302 200 200 404 200 403 403",
    "GET /cohorts/new":                                                          "302 200 200 200 403 403 403",
    "GET /cohorts/for/<code>":                                                   "302 200 200 404 403 403 403",
    "GET /follow-ups/":                                                          "302 200 200 200 403 403 403",
    "GET /follow-ups/<int:follow_up_id>/delete":                                 "302 200 200 404 403 403 403",
    "GET /follow-ups/<int:follow_up_id>/edit":                                   "302 200 200 404 403 403 403",
    "GET /follow-ups/new/<code>":                                                "302 200 200 404 403 403 403",
    "GET /follow-ups/offline.json":                                              "302 200 200 200 403 403 403",
    "GET /follow-ups/rates":                                                     "302 200 403 403 403 403 403",
    "GET /fonts/noto-sans-khmer.woff2":                                          "200 200 200 200 200 200 200",
    "GET /indicators/":                                                          "302 200 403 403 403 403 403",
    "GET /indicators/<int:indicator_id>":                                        "302 200 403 403 403 403 403",
    "GET /indicators/new":                                                       "302 200 403 403 403 403 403",
    "GET /healthz":                                                              "200 200 200 200 200 200 200",
    "GET /manifest.webmanifest":                                                 "200 200 200 200 200 200 200",
    "GET /offline":                                                              "200 200 200 200 200 200 200",
    "GET /sw.js":                                                                "200 200 200 200 200 200 200",
    "GET /login":                                                                "200 302 302 302 302 302 302",
    "GET /programs/":                                                            "302 200 403 403 403 403 403",
    "GET /programs/<int:program_id>":                                            "302 200 403 403 403 403 403",
    "GET /programs/new":                                                         "302 200 403 403 403 403 403",
    "GET /reports/":                                                             "302 200 200 200 403 403 200",
    "GET /reports/changes":                                                      "302 404 404 404 403 403 404",
    "GET /reports/export.xlsx":                                                  "302 200 200 200 403 403 200",
    "GET /reports/people":                                                       "302 404 404 404 403 403 404",
    "GET /sessions/<int:session_id>":                                            "302 200 200 404 200 403 403",
    "GET /sessions/offline.json":                                                "302 403 403 403 200 200 403",
    "GET /users/":                                                               "302 200 403 403 403 403 403",
    "GET /users/<int:user_id>":                                                  "302 200 403 403 403 403 403",
    "GET /users/new":                                                            "302 200 403 403 403 403 403",
    "POST /account":                                                             "302 200 200 200 200 200 200",
    "POST /account/tokens/":                                                     "302 200 200 200 200 200 200",
    "POST /account/tokens/<int:token_id>/revoke":                                "302 404 404 404 404 404 404",
    "POST /beneficiaries/<code>/archive":                                        "302 302 302 404 403 403 403",
    "POST /beneficiaries/<code>/consent":                                        "302 200 200 404 403 403 403",
    "POST /beneficiaries/<code>/edit":                                           "302 200 200 404 403 403 403",
    "POST /beneficiaries/<code>/merge":                                          "302 404 404 404 403 403 403",
    "POST /beneficiaries/<code>/restore":                                        "302 302 302 404 403 403 403",
    "POST /beneficiaries/import/":                                               "302 302 302 302 403 403 403",
    "POST /beneficiaries/import/<int:job_id>/confirm":                           "302 404 404 404 403 403 403",
    "POST /beneficiaries/import/<int:job_id>/retry":                             "302 404 404 404 403 403 403",
    "POST /beneficiaries/merges/<int:merge_id>/undo":                            "302 404 404 404 403 403 403",
    "POST /beneficiaries/new":                                                   "302 200 200 200 403 403 403",
    "POST /cohorts/<int:cohort_id>/complete":                                    "302 302 302 404 403 403 403",
    "POST /cohorts/<int:cohort_id>/edit":                                        "302 200 200 404 403 403 403",
    "POST /cohorts/<int:cohort_id>/enroll":                                      "302 200 200 404 403 403 403",
    "POST /cohorts/<int:cohort_id>/enrollments/<int:enrollment_id>":             "302 200 200 404 403 403 403",
    "POST /cohorts/<int:cohort_id>/enrollments/<int:enrollment_id>/assessment":  "302 302 302 404 403 403 403",
    "POST /cohorts/<int:cohort_id>/schedule":                                    "302 302 302 404 403 403 403",
    "POST /cohorts/<int:cohort_id>/sessions":                                    "302 302 302 404 403 403 403",
    "POST /cohorts/<int:cohort_id>/sessions/<int:session_id>":                   "302 302 302 404 403 403 403",
    "POST /cohorts/<int:cohort_id>/sessions/<int:session_id>/cancel":            "302 302 302 404 403 403 403",
    "POST /cohorts/<int:cohort_id>/signin/upload":                               "302 200 200 404 200 403 403",
    "POST /cohorts/<int:cohort_id>/waitlist/<int:enrollment_id>/admit":          "302 302 302 404 403 403 403",
    "POST /cohorts/<int:cohort_id>/waitlist/<int:enrollment_id>/withdraw":       "302 302 302 404 403 403 403",
    "POST /cohorts/new":                                                         "302 200 200 200 403 403 403",
    "POST /follow-ups/<int:follow_up_id>/delete":                                "302 200 200 404 403 403 403",
    "POST /follow-ups/<int:follow_up_id>/edit":                                  "302 200 200 404 403 403 403",
    "POST /follow-ups/new/<code>":                                               "302 200 200 404 403 403 403",
    "POST /follow-ups/new/<code>/sync":                                          "302 400 400 404 403 403 403",
    "POST /follow-ups/rates":                                                    "302 200 403 403 403 403 403",
    "POST /indicators/<int:indicator_id>":                                       "302 200 403 403 403 403 403",
    "POST /indicators/<int:indicator_id>/targets":                               "302 200 403 403 403 403 403",
    "POST /indicators/<int:indicator_id>/targets/<int:target_id>/remove":        "302 404 403 403 403 403 403",
    "POST /indicators/fiscal-year":                                              "302 200 403 403 403 403 403",
    "POST /indicators/new":                                                      "302 200 403 403 403 403 403",
    "POST /language":                                                            "302 302 302 302 302 302 302",
    "POST /login":                                                               "200 302 302 302 302 302 302",
    "POST /programs/<int:program_id>":                                           "302 200 403 403 403 403 403",
    "POST /programs/new":                                                        "302 200 403 403 403 403 403",
    "POST /reports/lock":                                                        "302 302 403 403 403 403 302",
    "POST /sessions/<int:session_id>":                                           "302 200 200 404 302 403 403",
    "POST /sessions/<int:session_id>/sync":                                      "302 400 400 404 400 403 403",
    "POST /users/<int:user_id>":                                                 "302 302 403 403 403 403 403",
    "POST /users/<int:user_id>/active":                                          "302 302 403 403 403 403 403",
    "POST /users/<int:user_id>/password":                                        "302 302 403 403 403 403 403",
    "POST /users/new":                                                           "302 200 403 403 403 403 403",
    "POST /account/sign-out-everywhere":                                         "302 302 302 302 302 302 302",
    "POST /logout":                                                              "302 302 302 302 302 302 302",
}


@pytest.mark.parametrize("caller", CALLERS)
def test_every_page_answers_each_caller_as_the_table_says(app, client, create_user, access_world, caller):
    sign_in(client, create_user, access_world, caller)
    column = CALLERS.index(caller)
    wrong = []
    for method, rule, url, _endpoint in page_requests(app, access_world):
        expected = int(EXPECTED[f"{method} {rule}"].split()[column])
        status = client.open(url, method=method).status_code
        if status != expected:
            wrong.append(f"{method} {url}: {status}, the table says {expected}")
    assert not wrong, "\n".join(wrong)


def test_every_page_route_has_a_row_and_every_row_a_route(app):
    routes = {f"{method} {rule}" for method, rule, _url, _endpoint in page_requests(app, {"code": "x"})}
    assert set(EXPECTED) - routes == set(), "rows for routes that are gone"
    assert routes - set(EXPECTED) == set(), "routes with no row in the table: add them"


# A person of province 02 (BR-000001) in a cohort of province 17 (tests/access_world.py: cross_world). Every
# page route of that cohort, its sessions and that person's enrollment, for an officer of 17 and for the
# cohort's trainer. The officer opens every page (the person by code only: tests/test_scope.py) but may not
# change that enrollment or mark that person: 403, naming the code. Writes are sent with a body that would
# change the person's enrollment or mark where the route takes one.
CROSS_CALLERS = ("officer17", "trainer")
CROSS_EXPECTED = {
    "GET /cohorts/<int:cohort_id>":                                              "200 200",
    "GET /cohorts/<int:cohort_id>/edit":                                         "200 403",
    "GET /cohorts/<int:cohort_id>/enroll":                                       "200 403",
    "GET /cohorts/<int:cohort_id>/enrollments/<int:enrollment_id>":              "200 403",
    "GET /cohorts/<int:cohort_id>/grid":                                         "200 200",
    "GET /cohorts/<int:cohort_id>/sessions":                                     "200 200",
    "GET /cohorts/<int:cohort_id>/sessions/<int:session_id>/signin.xlsx":        "200 200",
    "GET /cohorts/<int:cohort_id>/signin":                                       "200 200",
    "GET /cohorts/<int:cohort_id>/signin.xlsx":                                  "200 200",
    "GET /cohorts/<int:cohort_id>/signin/upload":                                "200 200",
    "GET /sessions/<int:session_id>":                                            "200 200",
    "POST /cohorts/<int:cohort_id>/complete":                                    "302 403",
    "POST /cohorts/<int:cohort_id>/edit":                                        "200 403",
    "POST /cohorts/<int:cohort_id>/enroll":                                      "422 403",
    "POST /cohorts/<int:cohort_id>/enrollments/<int:enrollment_id>":             "403 403",
    "POST /cohorts/<int:cohort_id>/enrollments/<int:enrollment_id>/assessment":  "403 403",
    "POST /cohorts/<int:cohort_id>/schedule":                                    "302 403",
    "POST /cohorts/<int:cohort_id>/sessions":                                    "302 403",
    "POST /cohorts/<int:cohort_id>/sessions/<int:session_id>":                   "302 403",
    "POST /cohorts/<int:cohort_id>/sessions/<int:session_id>/cancel":            "302 403",
    "POST /cohorts/<int:cohort_id>/signin/upload":                               "200 200",
    "POST /cohorts/<int:cohort_id>/waitlist/<int:enrollment_id>/admit":          "403 403",
    "POST /cohorts/<int:cohort_id>/waitlist/<int:enrollment_id>/withdraw":       "403 403",
    "POST /sessions/<int:session_id>":                                           "403 302",
    "POST /sessions/<int:session_id>/sync":                                      "400 400",
}


def _cross_requests(app, world):
    """(method, rule, url, body) of every page route of the cross cohort; the session's cancel comes last."""
    ids = {"cohort_id": world["cohort"].id, "session_id": world["session"].id,
           "enrollment_id": world["away_enrollment"].id}
    away, today = world["away_enrollment"].id, world["session"].held_on.isoformat()
    bodies = {
        "POST /sessions/<int:session_id>": {f"mark-{away}": "absent"},
        "POST /cohorts/<int:cohort_id>/enroll": {"codes": world["away"].code, "enrolled_on": today},
        "POST /cohorts/<int:cohort_id>/enrollments/<int:enrollment_id>": {
            "status-status": "dropped_out", "status-on": today, "status-reason": "Moved", "status-submit": "y"},
        "POST /cohorts/<int:cohort_id>/enrollments/<int:enrollment_id>/assessment": {"assessment-pre_score": "50"},
        "POST /cohorts/<int:cohort_id>/complete": {"on": today},
    }
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") or not set(rule.arguments) & set(ids) or not set(rule.arguments) <= set(ids):
            continue  # the API has its own tests of this (tests/api/test_access.py)
        url = rule.build({arg: ids[arg] for arg in rule.arguments}, append_unknown=False)[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            key = f"{method} {rule.rule}"
            found.append((key, url, bodies.get(key)))
    return sorted(found, key=lambda r: (r[0].endswith("/cancel"), r[0]))


@pytest.mark.parametrize("caller", CROSS_CALLERS)
def test_a_cohorts_person_of_another_province_is_read_only_for_its_provinces_officer(app, client, auth, cross_world,
                                                                                     caller):
    auth.login(cross_world["officer17" if caller == "officer17" else "trainer"].username)
    column = CROSS_CALLERS.index(caller)
    away = Enrollment.get_by_id(cross_world["away_enrollment"].id)
    wrong, requests = [], _cross_requests(app, cross_world)
    assert {key for key, _url, _body in requests} == set(CROSS_EXPECTED), "a cohort route with no row: add it"
    for key, url, body in requests:
        response = client.open(url, method=key.split()[0], data=body)
        expected = int(CROSS_EXPECTED[key].split()[column])
        if response.status_code != expected:
            wrong.append(f"{key}: {response.status_code}, the table says {expected}")
        elif expected == 403 and caller == "officer17":
            assert cross_world["away"].code in response.get_data(as_text=True), key  # the refusal names the code
    assert not wrong, "\n".join(wrong)
    if caller == "officer17":  # nothing of the person's enrollment or attendance changed
        now = Enrollment.get_by_id(away.id)
        assert (now.status, now.pre_score, now.ended_on) == (away.status, away.pre_score, away.ended_on)
        assert Attendance.get(Attendance.enrollment == away.id).status == "present"
