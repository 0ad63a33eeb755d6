"""A trainer's home page: each of their cohorts' counts and, by name, who is below the attendance rule."""
import re
from datetime import date, timedelta

import pytest

from registry.auth.models import User
from registry.dashboard.trainer import week_of
from registry.programs import services
from registry.programs.attendance import record_attendance
from registry.programs.models import Cohort, TrainingSession
from registry.programs.queries import roster

TODAY = date.today()
MONDAY, SUNDAY = week_of(TODAY)


@pytest.fixture
def classes(app, registrar, create_user, create_cohort, create_beneficiary, enroll):
    """Kim teaches Sewing: 4 sessions before this week, today's and a cancelled one this week; of its 4 people
    Chea attended 1 of 5 and Heng 3 of 5, the others 4 of 5 (the rule is 80%); a waitlisted person; another
    trainer's cohort."""
    kim = create_user("trainer", username="kim", full_name="Kim Srey Neang")
    other = create_user("trainer", username="other")
    held = [MONDAY - timedelta(days=7 * n) for n in range(4, 0, -1)]
    week = [TODAY, MONDAY if TODAY != MONDAY else SUNDAY]  # the second is cancelled
    sewing = create_cohort(name="Sewing Battambang", start_on=held[0] - timedelta(days=1),
                           end_on=SUNDAY + timedelta(days=30), days=held + week, trainers=[kim], capacity=4)
    create_cohort(name="Welding Kampot", province="07", start_on=held[0], end_on=SUNDAY, days=held, trainers=[other])
    names = [("Chea", "Bopha"), ("Heng", "Dara"), ("Keo", "Mealea"), ("Lim", "Sophal")]
    people = [create_beneficiary(family_name=f, given_name=g) for f, g in names]
    enrollments = [enroll(sewing, p, on=held[0]) for p in people]
    enroll(sewing, create_beneficiary(family_name="Waiting", given_name="One"), on=held[0])  # the 5th: waitlisted
    attended = {0: 1, 1: 3, 2: 4, 3: 4}  # sessions attended of the 4 held, per person
    with app.app_context():
        user = User.get_by_id(registrar.id)
        sessions = list(TrainingSession.select().where(TrainingSession.cohort == sewing.id)
                        .order_by(TrainingSession.held_on))
        for n, session in enumerate(sessions[:4]):
            record_attendance(session, {e.id: "present" if n < attended[i] else "absent"
                                        for i, e in enumerate(enrollments)}, user, today=TODAY)
        today = next(s for s in sessions if s.held_on == TODAY)
        record_attendance(today, {e.id: "absent" for e in enrollments}, user, today=TODAY)
        services.cancel_session(next(s for s in sessions if s.held_on == week[1]), True, user)
    return sewing, enrollments


def test_the_trainer_sees_each_cohorts_counts(client, auth, classes):
    auth.login("kim")
    page = client.get("/").get_data(as_text=True)
    card = page.split('id="cohorts-heading"')[1].split("</section>")[0]
    figures = dict(re.findall(r'<dt class="small text-body-secondary">([^<]+)</dt><dd class="fs-5 mb-0">([^<]+)</dd>',
                              card))
    assert figures == {"People": "4", "Sessions this week": "1", "Attendance rate": "60%",
                       "Below the rule (80%)": "2"}
    assert "Welding Kampot" not in page


def test_the_names_below_the_rule_are_the_cohort_pages_flags_and_link_to_them(client, auth, classes, app):
    sewing, enrollments = classes
    auth.login("kim")
    page = client.get("/").get_data(as_text=True)
    links = re.findall(rf'<a href="/cohorts/{sewing.id}#enrollment-(\d+)">([^<]+)</a>', page)
    assert links == [(str(enrollments[0].id), "Chea Bopha"), (str(enrollments[1].id), "Heng Dara")]
    assert "1 of 5 sessions" in page and "3 of 5 sessions" in page
    flagged = {str(row.enrollment.id) for row in roster(Cohort.get_by_id(sewing.id)) if row.below_rule}
    assert flagged == {eid for eid, _name in links}
    cohort_page = client.get(f"/cohorts/{sewing.id}").get_data(as_text=True)
    assert all(f'id="enrollment-{eid}"' in cohort_page for eid, _name in links)


def test_a_trainer_without_cohorts_is_told_so(client, auth, classes):
    auth.login_as("trainer")
    page = client.get("/").get_data(as_text=True)
    assert "No cohort of yours is under way or ended in the last 30 days." in page
    assert "Sewing Battambang" not in page


@pytest.mark.parametrize("role", ["admin", "officer", "manager"])
def test_other_roles_get_the_registry_dashboard_not_the_trainers_cohorts(client, auth, classes, role):
    auth.login_as(role)
    page = client.get("/").get_data(as_text=True)
    assert 'id="cohorts-heading"' not in page and "Below the attendance rule" not in page
