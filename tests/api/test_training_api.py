"""/api/v1 programs, cohorts, sessions, enrollments and attendance: the training rules over JSON."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from registry.audit.models import AuditEvent
from registry.programs.models import Attendance, Cohort, Enrollment, Program, TrainingSession

START, END = date(2026, 3, 2), date(2026, 5, 29)
COHORT = {"name": "Sewing Battambang", "venue": "Centre", "province": "02", "start_on": "2026-03-02",
          "end_on": "2026-05-29", "capacity": 2}


def test_admins_create_programs_with_the_rule_as_a_share(api):
    admin = api("admin")
    response = admin.post("/api/v1/programs", json={"name": "Tailoring", "min_attendance": 0.75,
                                                    "assessment_required": True})
    assert response.status_code == 201, response.get_json()
    program = response.get_json()
    assert program["min_attendance"] == 0.75 and program["assessment_required"] and program["active"]
    assert Program.get_by_id(program["id"]).min_attendance == Decimal("0.75")
    assert admin.post("/api/v1/programs", json={"name": "Tailoring"}).status_code == 409
    assert admin.get("/api/v1/programs").get_json()["total"] == 1
    assert api("manager").get("/api/v1/programs").status_code == 200


@pytest.mark.parametrize("body, field", [({"min_attendance": 1.5}, "min_attendance"),
                                         ({"min_attendance": 0.755}, "min_attendance"),
                                         ({"name": ""}, "name"), ({"name": None}, "name"),
                                         ({"assessment_required": 1}, "assessment_required")])
def test_program_fields_are_checked(api, body, field):
    response = api("admin").post("/api/v1/programs", json={"name": "Tailoring", **body})
    assert response.status_code == 422 and field in response.get_json()["fields"]
    assert Program.select().count() == 0


@pytest.mark.parametrize("role", ["officer", "trainer", "manager"])
def test_only_admins_create_programs(api, role):
    assert api(role).post("/api/v1/programs", json={"name": "Tailoring"}).status_code == 403


def test_officers_create_cohorts_in_their_provinces_with_trainers(api, create_program, create_user):
    program = create_program()
    trainer = create_user("trainer", username="sophea")
    officer = api("officer", provinces={"02"})
    response = officer.post("/api/v1/cohorts", json={**COHORT, "program": program.id, "trainers": ["sophea"]})
    assert response.status_code == 201, response.get_json()
    cohort = response.get_json()
    assert cohort["trainers"] == ["sophea"] and cohort["province"] == "02" and cohort["capacity"] == 2
    assert officer.post("/api/v1/cohorts", json={**COHORT, "program": program.id, "province": "17"}).status_code == 403
    unknown = officer.post("/api/v1/cohorts", json={**COHORT, "program": program.id, "trainers": ["nobody"]})
    assert unknown.status_code == 422 and "trainers" in unknown.get_json()["fields"]
    backwards = officer.post("/api/v1/cohorts", json={**COHORT, "program": program.id, "end_on": "2026-01-01"})
    assert backwards.status_code == 422 and "end_on" in backwards.get_json()["fields"]
    assert officer.post("/api/v1/cohorts", json={**COHORT, "program": 999}).get_json()["fields"].keys() == {"program"}
    assert Cohort.select().count() == 1
    assert trainer.id


def test_cohort_lists_follow_scope_and_trainer_assignment(api, client, bearer, create_cohort, create_user):
    mine = create_user("trainer")
    create_cohort(province="02", trainers=[mine])
    create_cohort(province="17", name="Kampot")
    assert api("officer", provinces={"17"}).get("/api/v1/cohorts").get_json()["total"] == 1
    assert api("admin").get("/api/v1/cohorts").get_json()["total"] == 2
    own = client.get("/api/v1/cohorts", headers=bearer(mine)).get_json()
    assert own["total"] == 1 and own["items"][0]["trainers"] == [mine.username]
    assert api("trainer").get("/api/v1/cohorts").get_json()["total"] == 0
    assert api("manager").get("/api/v1/cohorts").status_code == 403


def test_sessions_fall_within_the_cohort(api, create_cohort):
    cohort = create_cohort()
    officer = api("officer")
    response = officer.post(f"/api/v1/cohorts/{cohort.id}/sessions", json={"date": "2026-03-04", "hours": 3})
    assert response.status_code == 201 and response.get_json()["date"] == "2026-03-04"
    outside = officer.post(f"/api/v1/cohorts/{cohort.id}/sessions", json={"date": "2026-07-01", "hours": 3})
    assert outside.status_code == 422 and "date" in outside.get_json()["fields"]
    too_long = officer.post(f"/api/v1/cohorts/{cohort.id}/sessions", json={"date": "2026-03-05", "hours": 30})
    assert too_long.status_code == 422 and "hours" in too_long.get_json()["fields"]
    detail = officer.get(f"/api/v1/cohorts/{cohort.id}").get_json()
    assert [s["date"] for s in detail["sessions"]] == ["2026-03-04"]
    assert api("officer", provinces={"17"}).post(f"/api/v1/cohorts/{cohort.id}/sessions",
                                                 json={"date": "2026-03-06", "hours": 3}).status_code == 404


def test_enrollment_fills_seats_then_the_waitlist_and_refuses_twice(api, create_cohort, create_beneficiary):
    cohort = create_cohort(capacity=1)
    first, second = create_beneficiary(), create_beneficiary(given_name="Dara")
    officer = api("officer")
    url = f"/api/v1/cohorts/{cohort.id}/enrollments"
    one = officer.post(url, json={"beneficiary": first.code, "enrolled_on": "2026-03-02"})
    assert one.status_code == 201 and one.get_json()["status"] == "enrolled"
    two = officer.post(url, json={"beneficiary": second.code.lower(), "enrolled_on": "2026-03-02"})
    assert two.status_code == 201 and two.get_json()["status"] == "waitlisted"
    assert officer.post(url, json={"beneficiary": first.code, "enrolled_on": "2026-03-02"}).status_code == 409
    unknown = officer.post(url, json={"beneficiary": "BR-999999", "enrolled_on": "2026-03-02"})
    assert unknown.status_code == 422 and "beneficiary" in unknown.get_json()["fields"]
    late = officer.post(url, json={"beneficiary": create_beneficiary(given_name="Vanna").code,
                                   "enrolled_on": "2027-01-01"})
    assert late.status_code == 422 and "enrolled_on" in late.get_json()["fields"]
    assert [e["beneficiary"] for e in officer.get(url).get_json()["items"]] == [first.code, second.code]


def test_an_officer_cannot_enroll_someone_outside_their_provinces(api, create_cohort, create_beneficiary):
    cohort = create_cohort(province="02")
    stranger = create_beneficiary(province="17")
    response = api("officer", provinces={"02"}).post(f"/api/v1/cohorts/{cohort.id}/enrollments",
                                                     json={"beneficiary": stranger.code, "enrolled_on": "2026-03-02"})
    assert response.status_code == 422
    assert Enrollment.select().count() == 0


@pytest.fixture
def class_of_two(create_cohort, create_beneficiary, enroll, create_user):
    """A past cohort with four held sessions, a trainer and two enrolled participants."""
    today = date.today()
    trainer = create_user("trainer", username="trainer-of-two")
    cohort = create_cohort(start_on=today - timedelta(days=30), end_on=today + timedelta(days=30),
                           days=[today - timedelta(days=d) for d in (20, 15, 10, 5)], trainers=[trainer])
    people = [create_beneficiary(), create_beneficiary(given_name="Dara")]
    for person in people:
        enroll(cohort, person, on=today - timedelta(days=30))
    sessions = list(TrainingSession.select().where(TrainingSession.cohort == cohort).order_by(TrainingSession.held_on))
    return cohort, people, sessions, trainer


def test_attendance_is_all_or_nothing(api, class_of_two):
    _cohort, (a, b), sessions, _trainer = class_of_two
    officer = api("officer")
    url = f"/api/v1/sessions/{sessions[0].id}/attendance"
    bad = officer.put(url, json={"marks": [{"beneficiary": a.code, "status": "present"},
                                           {"beneficiary": "BR-999999", "status": "present"}]})
    assert bad.status_code == 422 and "marks[1].beneficiary" in bad.get_json()["fields"]
    wrong_mark = officer.put(url, json={"marks": [{"beneficiary": a.code, "status": "here"}]})
    assert wrong_mark.status_code == 422 and "marks[0].status" in wrong_mark.get_json()["fields"]
    twice = officer.put(url, json={"marks": [{"beneficiary": a.code, "status": "late"}] * 2})
    assert twice.status_code == 422
    assert Attendance.select().count() == 0
    good = officer.put(url, json={"marks": [{"beneficiary": a.code, "status": "present"},
                                            {"beneficiary": b.code, "status": "absent"}]})
    assert good.get_json() == {"session": sessions[0].id, "marks": 2, "corrections": 0}
    again = officer.put(url, json={"marks": [{"beneficiary": b.code, "status": "late"}]})
    assert again.get_json()["corrections"] == 1 and Attendance.select().count() == 2


@pytest.mark.parametrize("body", [{}, {"marks": "all present"}, {"marks": [], "extra": 1}, {"marks": ["BR-1"]}])
def test_a_malformed_attendance_body_answers_422(api, class_of_two, body):
    _cohort, _people, sessions, _trainer = class_of_two
    response = api("officer").put(f"/api/v1/sessions/{sessions[0].id}/attendance", json=body)
    assert response.status_code == 422 and response.get_json()["fields"]


def test_trainers_take_attendance_for_their_own_cohorts_only(app, api, class_of_two, client):
    from registry.api.tokens import create_token
    from tests.makers import ApiClient

    _cohort, (a, _b), sessions, trainer = class_of_two
    with app.app_context():
        token, _ = create_token(trainer, "phone")
    own = ApiClient(client, token, trainer)
    marks = {"marks": [{"beneficiary": a.code, "status": "present"}]}
    assert own.put(f"/api/v1/sessions/{sessions[1].id}/attendance", json=marks).status_code == 200
    assert own.get(f"/api/v1/cohorts/{sessions[1].cohort_id}/enrollments").status_code == 200
    stranger = api("trainer")
    assert stranger.put(f"/api/v1/sessions/{sessions[1].id}/attendance", json=marks).status_code == 403
    assert stranger.get(f"/api/v1/cohorts/{sessions[1].cohort_id}").status_code == 403
    assert own.post(f"/api/v1/cohorts/{sessions[1].cohort_id}/sessions",
                    json={"date": date.today().isoformat(), "hours": 2}).status_code == 403
    assert api("manager").put(f"/api/v1/sessions/{sessions[1].id}/attendance", json=marks).status_code == 403
    assert api("officer", provinces={"17"}).put(f"/api/v1/sessions/{sessions[1].id}/attendance",
                                                json=marks).status_code == 404


def test_completion_follows_the_rule_unless_overridden(api, class_of_two):
    _cohort, (a, b), sessions, _trainer = class_of_two
    officer = api("officer")
    for session in sessions:
        officer.put(f"/api/v1/sessions/{session.id}/attendance", json={"marks": [
            {"beneficiary": a.code, "status": "present"}, {"beneficiary": b.code, "status": "absent"}]})
    ids = {e.beneficiary.code: e.id for e in Enrollment.select()}
    today = date.today().isoformat()
    done = officer.patch(f"/api/v1/enrollments/{ids[a.code]}", json={"status": "completed", "on": today})
    assert done.status_code == 200 and done.get_json()["status"] == "completed"
    refused = officer.patch(f"/api/v1/enrollments/{ids[b.code]}", json={"status": "completed", "on": today,
                                                                        "pre_score": 40})
    assert refused.status_code == 422 and "status" in refused.get_json()["fields"]
    assert Enrollment.get_by_id(ids[b.code]).pre_score is None  # all or nothing
    forced = officer.patch(f"/api/v1/enrollments/{ids[b.code]}", json={
        "status": "completed", "on": today, "override": "Sick, caught up at home", "pre_score": 40, "post_score": 70})
    assert forced.status_code == 200
    body = forced.get_json()
    assert body["override"] == "Sick, caught up at home" and (body["pre_score"], body["post_score"]) == (40, 70)
    assert AuditEvent.select().where(AuditEvent.action == "enrollment.status").count() == 2


def test_leaving_needs_a_reason_and_a_sensible_date(api, class_of_two):
    _cohort, (a, _b), _sessions, _trainer = class_of_two
    enrollment = Enrollment.get(Enrollment.beneficiary == a.id)
    officer = api("officer")
    url = f"/api/v1/enrollments/{enrollment.id}"
    assert officer.patch(url, json={"status": "dropped_out"}).status_code == 422
    assert officer.patch(url, json={"status": "dropped_out", "reason": "moved", "on": "2999-01-01"}).status_code == 422
    assert officer.patch(url, json={"status": "paused"}).get_json()["fields"].keys() == {"status"}
    left = officer.patch(url, json={"status": "dropped_out", "reason": "Moved to Thailand"})
    assert left.status_code == 200 and left.get_json()["reason"] == "Moved to Thailand"
    assert officer.patch(url, json={"status": "active"}).status_code == 422
    assert api("officer", provinces={"17"}).patch(url, json={"pre_score": 1}).status_code == 404
    assert api("trainer").patch(url, json={"pre_score": 1}).status_code == 403


def test_scores_alone_and_a_cleared_assessment_are_accepted(api, class_of_two):
    _cohort, (a, _b), _sessions, _trainer = class_of_two
    url = f"/api/v1/enrollments/{Enrollment.get(Enrollment.beneficiary == a.id).id}"
    officer = api("officer")
    scores = officer.patch(url, json={"pre_score": 40, "post_score": 70})
    assert scores.status_code == 200 and scores.get_json()["assessment_passed"] is None
    assert officer.patch(url, json={"assessment_passed": True}).get_json()["pre_score"] == 40
    cleared = officer.patch(url, json={"assessment_passed": None})
    assert cleared.status_code == 200 and cleared.get_json()["assessment_passed"] is None


# The waitlist over the API

@pytest.fixture
def full_class(api, create_cohort, create_beneficiary):
    """A cohort of one seat taken by Ana on its first day, with Bo on its waitlist; the officer's client."""
    today = date.today()
    cohort = create_cohort(capacity=1, start_on=today - timedelta(days=30), end_on=today + timedelta(days=30),
                           days=[today - timedelta(days=20), today - timedelta(days=5)])
    officer = api("officer")
    url = f"/api/v1/cohorts/{cohort.id}/enrollments"
    start = (today - timedelta(days=30)).isoformat()
    seated = officer.post(url, json={"beneficiary": create_beneficiary(given_name="Ana").code, "enrolled_on": start})
    waiting = officer.post(url, json={"beneficiary": create_beneficiary(given_name="Bo").code, "enrolled_on": start})
    return cohort, officer, seated.get_json(), waiting.get_json()


def test_the_enrollment_answer_says_whether_the_person_waits(full_class):
    _cohort, _officer, seated, waiting = full_class
    start = (date.today() - timedelta(days=30)).isoformat()
    assert (seated["status"], seated["requested_on"], seated["enrolled_on"]) == ("enrolled", start, start)
    assert (waiting["status"], waiting["requested_on"], waiting["enrolled_on"]) == ("waitlisted", start, None)


def test_admitting_over_the_api_is_refused_while_full_then_dates_the_enrollment(full_class):
    cohort, officer, seated, waiting = full_class
    url = f"/api/v1/enrollments/{waiting['id']}"
    today = date.today()
    full = officer.patch(url, json={"status": "enrolled", "on": today.isoformat()})
    assert full.status_code == 409 and full.get_json()["fields"].keys() == {"status"}
    assert "The cohort is full" in full.get_json()["error"]
    left = officer.patch(f"/api/v1/enrollments/{seated['id']}", json={"status": "withdrawn", "reason": "Moved"})
    assert left.status_code == 200
    for day in ("2026-13-01", "yesterday"):
        assert officer.patch(url, json={"status": "enrolled", "on": day}).get_json()["fields"].keys() == {"on"}
    for day in (today - timedelta(days=31), today + timedelta(days=1)):
        refused = officer.patch(url, json={"status": "enrolled", "on": day.isoformat()})
        assert refused.status_code == 422 and refused.get_json()["fields"].keys() == {"on"}
    admitted = officer.patch(url, json={"status": "enrolled", "on": (today - timedelta(days=10)).isoformat()})
    assert admitted.status_code == 200
    body = admitted.get_json()
    assert (body["status"], body["requested_on"], body["enrolled_on"]) == (
        "enrolled", waiting["requested_on"], (today - timedelta(days=10)).isoformat())
    listed = officer.get(f"/api/v1/cohorts/{cohort.id}/enrollments").get_json()["items"]
    assert [(e["status"], e["enrolled_on"] is None) for e in listed] == [("withdrawn", False), ("enrolled", False)]


def test_someone_waiting_cannot_be_marked_over_the_api(full_class):
    cohort, officer, seated, waiting = full_class
    session = TrainingSession.select().where(TrainingSession.cohort == cohort).order_by(TrainingSession.held_on).get()
    response = officer.put(f"/api/v1/sessions/{session.id}/attendance", json={"marks": [
        {"beneficiary": seated["beneficiary"], "status": "present"},
        {"beneficiary": waiting["beneficiary"], "status": "present"}]})
    assert response.status_code == 422
    assert response.get_json()["fields"] == {"marks[1].beneficiary": "On the waitlist, not admitted."}
    assert Attendance.select().count() == 0


def test_withdrawing_from_the_waitlist_over_the_api_keeps_enrolled_on_null(full_class):
    _cohort, officer, _seated, waiting = full_class
    url = f"/api/v1/enrollments/{waiting['id']}"
    assert officer.patch(url, json={"status": "withdrawn"}).get_json()["fields"].keys() == {"reason"}
    body = officer.patch(url, json={"status": "withdrawn", "reason": "Found work"}).get_json()
    assert (body["status"], body["enrolled_on"], body["ended_on"]) == ("withdrawn", None, date.today().isoformat())
