"""The dashboard runs the same statements however many people, cohorts, marks and follow-ups there are."""
from datetime import date, timedelta

import pytest

from registry.auth.models import User
from registry.outcomes.services import record_follow_up
from registry.programs import enrollment as enrolling
from registry.programs.attendance import record_attendance
from registry.programs.models import Enrollment, TrainingSession
from tests.test_query_counts import queries_for

TODAY = date.today()


@pytest.fixture
def grow(app, registrar, create_user, create_cohort, create_beneficiary):
    """grow(n): n more cohorts (running, in two provinces, each with a trainer and two held sessions), each with
    n people enrolled and marked, of whom one completed an older cohort and was followed up at 3 and 6 months."""
    made = {"n": 0, "trainer": create_user("trainer", username="teacher")}

    def more(n):
        with app.app_context():
            user = User.get_by_id(registrar.id)
            for _ in range(n):
                made["n"] += 1
                k, province = made["n"], ("02", "17")[made["n"] % 2]
                cohort = create_cohort(name=f"Cohort {k}", province=province, start_on=TODAY - timedelta(days=20),
                                       end_on=TODAY + timedelta(days=20), trainers=[made["trainer"]],
                                       days=[TODAY - timedelta(days=14), TODAY - timedelta(days=7)])
                people = [create_beneficiary(given_name=f"P{k}x{i}", province=province,
                                             date_of_birth=date(1990, 1 + i % 12, 1 + k % 28)) for i in range(n)]
                enrolled = [enrolling.enroll(cohort, p, TODAY - timedelta(days=20), user) for p in people]
                for session in TrainingSession.select().where(TrainingSession.cohort == cohort):
                    record_attendance(session, {e.id: "present" for e in enrolled}, user)
                _graduate(create_cohort, people[0], province, k, user)

    return more


def _graduate(create_cohort, person, province, k, user):
    start = TODAY - timedelta(days=300)
    old = create_cohort(name=f"Old {k}", province=province, start_on=start, end_on=start + timedelta(days=60))
    enrollment = enrolling.enroll(old, person, start, user)
    enrolling.change_status(Enrollment.get_by_id(enrollment.id), "completed", start + timedelta(days=60), user,
                            override_reason="records kept on paper")
    for months, status in ((3, "unemployed"), (6, "wage_employed")):
        record_follow_up(person, {"followed_on": start + timedelta(days=60 + 30 * months), "reached": True,
                                  "method": "phone", "status": status, "job_started_on": start + timedelta(days=70)},
                         user, Enrollment.get_by_id(enrollment.id), window=months)


@pytest.mark.parametrize("role", ["admin", "officer", "manager", "trainer"])
def test_the_dashboard_runs_a_fixed_number_of_statements(client, auth, grow, role):
    if role == "trainer":
        auth.login("teacher")
    else:
        auth.login_as(role, provinces=None if role == "admin" else {"02", "17"})
    grow(2)
    few = queries_for(client, "/")
    grow(5)
    assert queries_for(client, "/") == few
    assert few <= 12, few
