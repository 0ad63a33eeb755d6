"""Training pages over HTTP: roles, trainer assignment, province scope, the attendance page."""
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from registry.programs.models import Attendance, Cohort, Enrollment, Program, TrainingSession

PAST = [date(2026, 3, 2) + timedelta(days=7 * n) for n in range(4)]


@pytest.fixture
def cohort_with_people(create_cohort, create_beneficiary, enroll, create_user):
    """A Battambang cohort with 3 past sessions, 2 people enrolled, and its trainer."""
    trainer = create_user("trainer", username="kim", provinces={"02"})
    cohort = create_cohort(days=PAST[:3], trainers=[trainer])
    people = [enroll(cohort, create_beneficiary(given_name=name, date_of_birth=date(1990 + n, 1, 1)))
              for n, name in enumerate(["Chanthy", "Dara"])]
    return cohort, people, trainer


def first_session(cohort):
    """The cohort's first session."""
    return TrainingSession.select().where(TrainingSession.cohort == cohort).order_by(TrainingSession.held_on).get()


@pytest.mark.parametrize("role, status", [("admin", 200), ("officer", 200), ("trainer", 403), ("manager", 403)])
def test_program_pages_are_for_admins(client, auth, role, status):
    auth.login_as(role)
    assert client.get("/programs/").status_code == (200 if role == "admin" else 403)


def test_admin_creates_a_program_and_names_are_unique(client, auth):
    auth.login_as("admin")
    data = {"name": "Motorbike repair", "sector": "mechanics", "min_attendance_percent": "75", "active": "y"}
    assert client.post("/programs/new", data=data).status_code == 302
    assert Program.get().min_attendance == Decimal("0.75")
    assert b"A program with this name exists." in client.post("/programs/new", data=data).data


def test_officer_creates_a_cohort_and_a_schedule(client, auth, create_program, create_user):
    trainer = create_user("trainer")
    create_program(name="Sewing")
    auth.login_as("officer", provinces={"02"})
    response = client.post("/cohorts/new", data={"program": "1", "name": "Sewing 1", "venue": "Centre",
                                                 "province": "02", "start_on": "2026-03-02", "end_on": "2026-03-15",
                                                 "capacity": "20", "trainers": [str(trainer.id)]})
    cohort = Cohort.get()
    assert response.location == f"/cohorts/{cohort.id}"
    client.post(f"/cohorts/{cohort.id}/schedule", data={"weekdays": ["0", "2", "4"], "hours": "3",
                                                        "holidays": "2026-03-04"})
    days = [s.held_on.isoformat() for s in TrainingSession.select().order_by(TrainingSession.held_on)]
    assert days == ["2026-03-02", "2026-03-06", "2026-03-09", "2026-03-11", "2026-03-13"]
    page = client.post(f"/cohorts/{cohort.id}/schedule", data={"weekdays": ["0"], "hours": "3",
                                                               "holidays": "next tuesday"}, follow_redirects=True)
    assert b"Not a date: next" in page.data


def test_cohort_dates_and_sessions_must_make_sense(client, auth, create_program):
    create_program()
    auth.login_as("officer")
    page = client.post("/cohorts/new", data={"program": "1", "name": "X", "province": "02", "start_on": "2026-03-10",
                                             "end_on": "2026-03-01", "capacity": "20"})
    assert b"cannot end before it starts" in page.data and Cohort.select().count() == 0


def test_a_trainer_sees_only_their_cohorts(client, auth, cohort_with_people, create_cohort, create_user):
    cohort, _people, trainer = cohort_with_people
    other = create_cohort(name="Hospitality", trainers=[create_user("trainer")])
    client.post("/login", data={"username": "kim", "password": "correct horse battery"})
    page = client.get("/cohorts/").get_data(as_text=True)
    assert "Sewing Battambang" in page and "Hospitality" not in page
    assert client.get(f"/cohorts/{cohort.id}").status_code == 200
    other_session = TrainingSession.create(cohort=other, held_on=PAST[0])
    for url in (f"/cohorts/{other.id}", f"/cohorts/{other.id}/grid", f"/sessions/{other_session.id}"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/sessions/{other_session.id}", data={}).status_code == 403
    for url in (f"/cohorts/{cohort.id}/enroll", f"/cohorts/{cohort.id}/edit"):
        assert client.get(url).status_code == 403, url


def test_an_officer_of_another_province_gets_404(client, auth, cohort_with_people):
    cohort, _people, _trainer = cohort_with_people
    auth.login_as("officer", provinces={"17"})
    for url in (f"/cohorts/{cohort.id}", f"/cohorts/{cohort.id}/grid", f"/sessions/{first_session(cohort).id}"):
        assert client.get(url).status_code == 404, url
    assert "Sewing Battambang" not in client.get("/cohorts/").get_data(as_text=True)


def test_the_trainer_takes_attendance_and_corrects_it(client, cohort_with_people):
    cohort, people, _trainer = cohort_with_people
    client.post("/login", data={"username": "kim", "password": "correct horse battery"})
    session = first_session(cohort)
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "Chanthy" in page and "Mark all present" in page and page.count('value="present"') == 2
    response = client.post(f"/sessions/{session.id}", data={f"mark-{people[0].id}": "present",
                                                            f"mark-{people[1].id}": "absent"})
    assert response.location == f"/sessions/{session.id}"
    client.post(f"/sessions/{session.id}", data={f"mark-{people[1].id}": "late"})
    marks = {a.enrollment_id: a.status for a in Attendance.select()}
    assert marks == {people[0].id: "present", people[1].id: "late"}
    assert Enrollment.get_by_id(people[1].id).status == "active"


def test_a_failed_save_keeps_what_was_entered_and_says_why(client, cohort_with_people):
    cohort, people, _trainer = cohort_with_people
    client.post("/login", data={"username": "kim", "password": "correct horse battery"})
    session = first_session(cohort)
    page = client.post(f"/sessions/{session.id}", data={f"mark-{people[0].id}": "present",
                                                        f"mark-{people[1].id}": "asleep"}).get_data(as_text=True)
    assert "Nothing was saved" in page
    assert f'id="mark-{people[0].id}-present" value="present" autocomplete="off" checked' in page
    assert Attendance.select().count() == 0


def test_the_cohort_page_flags_low_attendance(client, auth, cohort_with_people):
    cohort, people, _trainer = cohort_with_people
    from registry.programs.attendance import record_attendance

    with client.application.app_context():
        from registry.auth.models import User

        user = User.get(User.username == "kim")
        for session in TrainingSession.select().where(TrainingSession.cohort == cohort):
            record_attendance(session, {people[0].id: "present", people[1].id: "absent"}, user)
    auth.login_as("officer")
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "3 / 3 (100%)" in page and "0 / 3 (0%)" in page
    assert "below the rule" in page and "absent from the last 3 sessions" in page
    grid = client.get(f"/cohorts/{cohort.id}/grid").get_data(as_text=True)
    assert grid.count('class="mark-present"') == 3 and grid.count('class="mark-absent"') == 3


def test_enroll_by_codes_and_change_status(client, auth, create_cohort, create_beneficiary):
    cohort = create_cohort(capacity=1)
    for n in range(2):
        create_beneficiary(given_name=f"P{n}", date_of_birth=date(1990 + n, 1, 1))
    auth.login_as("officer")
    data = {"codes": "br-000001\nBR-000002", "enrolled_on": "2026-03-02"}
    page = client.post(f"/cohorts/{cohort.id}/enroll", data=data).get_data(as_text=True)
    assert "nothing is saved yet" in page and Enrollment.select().count() == 0  # BR-000002 would wait: asked first
    client.post(f"/cohorts/{cohort.id}/enroll", data={**data, "waitlist": "BR-000002", "confirm": "y"})
    assert [e.status for e in Enrollment.select().order_by(Enrollment.id)] == ["enrolled", "waitlisted"]
    first = Enrollment.select().order_by(Enrollment.id).first()
    page = client.post(f"/cohorts/{cohort.id}/enrollments/{first.id}", data={
        "status-status": "withdrawn", "status-on": "2026-03-05", "status-submit": "y"}).get_data(as_text=True)
    assert "Give the reason the person left." in page
    client.post(f"/cohorts/{cohort.id}/enrollments/{first.id}", data={
        "status-status": "withdrawn", "status-on": "2026-03-05", "status-reason": "Moved", "status-submit": "y"})
    assert Enrollment.get_by_id(first.id).status == "withdrawn"


def test_the_participant_profile_shows_training_with_the_rate(client, auth, cohort_with_people):
    cohort, people, _trainer = cohort_with_people
    from registry.programs.attendance import record_attendance

    with client.application.app_context():
        from registry.auth.models import User

        record_attendance(first_session(cohort), {people[0].id: "present"}, User.get(User.username == "kim"))
    auth.login_as("officer")
    page = client.get(f"/beneficiaries/{people[0].beneficiary.code}").get_data(as_text=True)
    assert "Sewing Battambang" in page and "1 / 3 (33%)" in page


def test_enroll_many_from_a_filtered_list(client, auth, create_cohort, create_beneficiary):
    cohort = create_cohort()
    for n, sex in enumerate(["female", "female", "male"]):
        create_beneficiary(given_name=f"P{n}", sex=sex, date_of_birth=date(1990 + n, 1, 1))
    auth.login_as("officer")
    page = client.get(f"/cohorts/{cohort.id}/enroll?sex=female").get_data(as_text=True)
    offered = sorted(set(re.findall(r'name="picked" value="(BR-\d+)"', page)))
    assert offered == ["BR-000001", "BR-000002"]
    client.post(f"/cohorts/{cohort.id}/enroll", data={"picked": offered, "enrolled_on": "2026-03-02"})
    assert Enrollment.select().count() == 2
    page = client.get(f"/cohorts/{cohort.id}/enroll?sex=female").get_data(as_text=True)
    assert "Nobody matches who is not already in this cohort." in page
    assert b"Tick participants" in client.post(f"/cohorts/{cohort.id}/enroll", data={"enrolled_on": "2026-03-02"}).data


def test_an_officer_moves_a_session(client, auth, cohort_with_people):
    cohort, _people, _trainer = cohort_with_people
    session = first_session(cohort)
    auth.login_as("officer")
    client.post(f"/cohorts/{cohort.id}/sessions/{session.id}", data={"held_on": "2026-03-03", "hours": "2.5"})
    moved = TrainingSession.get_by_id(session.id)
    assert (moved.held_on, moved.hours) == (date(2026, 3, 3), Decimal("2.5"))
    page = client.post(f"/cohorts/{cohort.id}/sessions/{session.id}", data={"held_on": "2027-01-01", "hours": "2"},
                       follow_redirects=True).get_data(as_text=True)
    assert "between the cohort&#39;s start and end dates" in page


def test_user_input_in_an_error_message_is_escaped(client, auth, create_cohort):
    cohort = create_cohort()
    auth.login_as("officer")
    page = client.post(f"/cohorts/{cohort.id}/schedule", data={"weekdays": ["0"], "hours": "3",
                                                              "holidays": "<script>alert(1)</script>"},
                       follow_redirects=True).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_trainers_home_lists_todays_sessions(client, create_cohort, create_user):
    trainer = create_user("trainer", username="srey")
    today = date.today()
    create_cohort(name="Sewing today", start_on=today - timedelta(days=3), end_on=today + timedelta(days=3),
                  days=[today], trainers=[trainer])
    client.post("/login", data={"username": "srey", "password": "correct horse battery"})
    page = client.get("/").get_data(as_text=True)
    session = TrainingSession.get(TrainingSession.held_on == today)
    assert "Sewing today" in page and f"/sessions/{session.id}" in page
