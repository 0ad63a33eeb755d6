"""The waitlist on the pages: the enroll page asks before anyone waits, the cohort page lists and admits them."""
import re
from datetime import date, timedelta

import pytest

from registry.auth.models import User
from registry.programs import enrollment as enrolling
from registry.programs.attendance import record_attendance
from registry.programs.models import Cohort, Enrollment, TrainingSession

TODAY = date.today()
START = TODAY - timedelta(days=20)
DAYS = [START + timedelta(days=7 * n) for n in range(3)]


@pytest.fixture
def people(create_beneficiary):
    """Four participants, BR-000001 to BR-000004: Ana, Bo, Chea, Dara."""
    return [create_beneficiary(given_name=name, family_name="Sok", date_of_birth=date(1990 + n, 1, 1))
            for n, name in enumerate(["Ana", "Bo", "Chea", "Dara"])]


@pytest.fixture
def cohort(create_cohort, create_user):
    """A cohort of two seats with three past sessions and its trainer ("kim")."""
    trainer = create_user("trainer", username="kim", provinces={"02"})
    return create_cohort(capacity=2, start_on=START, end_on=TODAY + timedelta(days=30), days=DAYS,
                         trainers=[trainer])


@pytest.fixture
def waiting(app, cohort, people, registrar):
    """Ana and Bo seated since START; Chea waits since START + 1 day, Dara since START + 2 days."""
    with app.app_context():
        user = User.get_by_id(registrar.id)
        for n, person in enumerate(people):
            enrolling.enroll(cohort, person, START + timedelta(days=max(0, n - 1)), user)
        seated = list(Enrollment.select().where(Enrollment.status == "enrolled").order_by(Enrollment.id))
        for session in TrainingSession.select().where(TrainingSession.cohort == cohort):
            record_attendance(session, {seated[0].id: "present", seated[1].id: "absent"}, user)
    return {p.given_name: Enrollment.get(Enrollment.beneficiary == p.id) for p in people}


def enroll_page(client, cohort, **data):
    """Post the enroll form; the page's text."""
    return client.post(f"/cohorts/{cohort.id}/enroll", data={"enrolled_on": START.isoformat(), **data})


def section(page, title):
    """The text of the enroll page's preview list under a heading that starts with the title."""
    found = re.search(rf"<h3 class=\"h6\">{title}[^<]*</h3>\s*<ul>(.*?)</ul>", page, re.S)
    return found.group(1) if found else ""


# The enroll page

def test_the_enroll_page_shows_the_seats(client, auth, cohort, waiting):
    auth.login_as("officer")
    page = client.get(f"/cohorts/{cohort.id}/enroll").get_data(as_text=True)
    figures = re.findall(r'<dt class="small text-body-secondary">([^<]+)</dt><dd class="fs-5 mb-0">(\d+)</dd>', page)
    assert figures == [("Capacity", "2"), ("Seats taken", "2"), ("Seats left", "0"), ("Waiting", "2")]
    assert "The cohort is full: anyone enrolled now goes to the waitlist." in page


def test_when_all_fit_they_are_enrolled_at_once(client, auth, cohort, people):
    auth.login_as("officer")
    response = enroll_page(client, cohort, codes="BR-000001 BR-000002")
    assert response.status_code == 302
    assert [e.status for e in Enrollment.select()] == ["enrolled", "enrolled"]


def test_who_would_wait_is_shown_by_code_and_name_before_anything_is_saved(client, auth, cohort, people):
    auth.login_as("officer")
    page = enroll_page(client, cohort, codes="BR-000003\nbr-000001 BR-000002 BR-999999").get_data(as_text=True)
    assert Enrollment.select().count() == 0
    assert "Check before saving: nothing is saved yet" in page
    assert re.findall(r"<strong>(BR-\d+)</strong> ([^<·]+?)\s*<", section(page, "2 would be enrolled")) == [
        ("BR-000003", "Sok Chea"), ("BR-000001", "Sok Ana")]  # in the order typed
    assert "<strong>BR-000002</strong> Sok Bo · position 1" in section(page, "1 would go to the waitlist")
    assert "<strong>BR-999999</strong>: no participant in your provinces with this code" in page
    assert 'name="waitlist" type="hidden" value="BR-000002"' in page
    assert "\nBR-000003\nbr-000001 BR-000002 BR-999999</textarea>" in page  # the form keeps what was typed
    response = enroll_page(client, cohort, codes="BR-000003\nbr-000001 BR-000002 BR-999999", waitlist="BR-000002",
                           confirm="y")
    assert response.status_code == 302
    stored = {e.beneficiary.code: (e.status, e.requested_on, e.enrolled_on) for e in Enrollment.select()}
    assert stored == {"BR-000003": ("enrolled", START, START), "BR-000001": ("enrolled", START, START),
                      "BR-000002": ("waitlisted", START, None)}
    flashes = client.get(response.location).get_data(as_text=True)
    assert "2 enrolled." in flashes and "1 on the waitlist" in flashes and "BR-999999" in flashes


def test_ticked_people_stay_ticked_on_the_preview(client, auth, cohort, people):
    auth.login_as("officer")
    url = f"/cohorts/{cohort.id}/enroll?q=Sok"
    page = client.post(url, data={"picked": ["BR-000001", "BR-000002", "BR-000003"],
                                  "enrolled_on": START.isoformat()}).get_data(as_text=True)
    ticked = re.findall(r'name="picked" value="(BR-\d+)" checked', page)
    assert sorted(ticked) == ["BR-000001", "BR-000002", "BR-000003"] and Enrollment.select().count() == 0
    assert 'name="picked" value="BR-000004">' in page  # offered, not ticked


def test_a_confirmation_made_stale_by_a_seat_taken_meanwhile_shows_the_new_plan(client, auth, app, cohort, people,
                                                                                registrar):
    auth.login_as("officer")
    page = enroll_page(client, cohort, codes="BR-000001 BR-000002 BR-000003").get_data(as_text=True)
    assert 'value="BR-000003"' in page
    with app.app_context():  # another officer takes a seat before this one confirms
        enrolling.enroll(cohort, people[3], START, User.get_by_id(registrar.id))
    page = enroll_page(client, cohort, codes="BR-000001 BR-000002 BR-000003", waitlist="BR-000003",
                       confirm="y").get_data(as_text=True)
    assert "The seats changed since you checked: look again, then confirm." in page
    assert 'name="waitlist" type="hidden" value="BR-000002 BR-000003"' in page
    assert Enrollment.select().count() == 1


def test_an_enrollment_date_after_the_cohorts_end_is_refused_on_its_field(client, auth, cohort, people):
    auth.login_as("officer")
    page = enroll_page(client, cohort, codes="BR-000001",
                       enrolled_on=(TODAY + timedelta(days=31)).isoformat()).get_data(as_text=True)
    assert "The enrollment date is after the cohort&#39;s end." in page and Enrollment.select().count() == 0
    assert re.search(r'id="enrolled_on"[^>]*aria-invalid="true"|is-invalid[^>]*id="enrolled_on"', page)


# The cohort page

def test_the_cohort_page_lists_the_waitlist_apart_with_no_rate_nor_flag(client, auth, cohort, waiting):
    auth.login_as("officer")
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    roster, rest = page.split('id="waitlist"', 1)
    assert "Sok Ana" in roster and "Sok Bo" in roster
    assert "Sok Chea" not in roster and "Sok Dara" not in roster
    assert "2 of 2 seats taken" in roster and "2 people waiting" in roster
    cell = r"<td[^>]*>"
    rows = re.findall(rf"<tr>\s*{cell}(\d)</td>\s*{cell}<a [^>]+>(BR-\d+)</a></td>\s*"
                      rf"{cell}([^<]+)</td>\s*{cell}([^<]+)</td>", rest)
    assert [(n, code, name) for n, code, name, _day in rows] == [("1", "BR-000003", "Sok Chea"),
                                                                ("2", "BR-000004", "Sok Dara")]
    waitlist = rest.split("Training sessions")[0]
    assert "below the rule" not in waitlist and "%" not in waitlist and "not recorded" not in waitlist


def test_a_trainer_sees_how_many_wait_but_not_who(client, cohort, waiting):
    client.post("/login", data={"username": "kim", "password": "correct horse battery"})
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "2 people waiting" in page and "Sok Chea" not in page and 'id="waitlist"' not in page


def test_the_grid_and_the_session_page_leave_the_waitlist_out(client, auth, cohort, waiting):
    auth.login_as("officer")
    session = TrainingSession.get((TrainingSession.cohort == cohort) & (TrainingSession.held_on == DAYS[2]))
    for url in (f"/cohorts/{cohort.id}/grid", f"/sessions/{session.id}", f"/cohorts/{cohort.id}/signin"):
        page = client.get(url).get_data(as_text=True)
        assert "BR-000001" in page, url
        assert "BR-000003" not in page and "BR-000004" not in page, url


def test_admitting_is_refused_while_the_cohort_is_full_and_works_once_a_seat_is_free(client, auth, cohort, waiting):
    auth.login_as("officer")
    chea = waiting["Chea"]
    url = f"/cohorts/{cohort.id}/waitlist/{chea.id}/admit"
    page = client.post(url, data={f"admit-{chea.id}-on": TODAY.isoformat()},
                       follow_redirects=True).get_data(as_text=True)
    assert "BR-000003: The cohort is full: all 2 seats are taken." in page
    assert Enrollment.get_by_id(chea.id).status == "waitlisted"
    bo = waiting["Bo"]
    client.post(f"/cohorts/{cohort.id}/enrollments/{bo.id}", data={
        "status-status": "dropped_out", "status-on": TODAY.isoformat(), "status-reason": "Moved", "status-submit": "y"})
    page = client.post(url, data={f"admit-{chea.id}-on": DAYS[2].isoformat()},
                       follow_redirects=True).get_data(as_text=True)
    assert "BR-000003 is admitted" in page
    stored = Enrollment.get_by_id(chea.id)
    assert (stored.status, stored.requested_on, stored.enrolled_on) == ("enrolled", START + timedelta(days=1), DAYS[2])
    roster = page.split('id="waitlist"', 1)[0]
    assert "Sok Chea" in roster and "0 / 1 (0%)" in roster  # one session held since her admission, not marked


@pytest.mark.parametrize("day, message", [
    ("", "This field is required."),
    ("2020-01-01", "The date must fall between the request"),
    ((TODAY + timedelta(days=1)).isoformat(), "The date must fall between the request"),
])
def test_a_bad_admission_date_is_named(client, auth, cohort, waiting, day, message):
    auth.login_as("officer")
    chea = waiting["Chea"]
    Cohort.update(capacity=3).where(Cohort.id == cohort.id).execute()
    page = client.post(f"/cohorts/{cohort.id}/waitlist/{chea.id}/admit", data={f"admit-{chea.id}-on": day},
                       follow_redirects=True).get_data(as_text=True)
    assert message in page and Enrollment.get_by_id(chea.id).status == "waitlisted"


def test_withdrawing_from_the_waitlist_needs_a_reason_and_leaves_a_trace(client, auth, cohort, waiting):
    auth.login_as("officer")
    dara = waiting["Dara"]
    url = f"/cohorts/{cohort.id}/waitlist/{dara.id}/withdraw"
    page = client.post(url, data={f"leave-{dara.id}-on": TODAY.isoformat(), f"leave-{dara.id}-reason": "  "},
                       follow_redirects=True).get_data(as_text=True)
    assert "Give the reason the person left." in page and Enrollment.get_by_id(dara.id).status == "waitlisted"
    page = client.post(url, data={f"leave-{dara.id}-on": TODAY.isoformat(), f"leave-{dara.id}-reason": "Found work"},
                       follow_redirects=True).get_data(as_text=True)
    assert "BR-000004 is withdrawn from the waitlist." in page
    stored = Enrollment.get_by_id(dara.id)
    assert (stored.status, stored.enrolled_on, stored.leave_reason) == ("withdrawn", None, "Found work")
    assert "Left the waitlist without a seat" in page and "(Found work)" in page
    assert client.post(url, data={f"leave-{dara.id}-on": TODAY.isoformat(), f"leave-{dara.id}-reason": "x"},
                       follow_redirects=True).get_data(as_text=True).count("BR-000004 is not on the waitlist.") == 1


def test_the_waitlist_actions_are_for_admins_and_officers_in_scope(client, auth, cohort, waiting):
    chea = waiting["Chea"]
    data = {f"admit-{chea.id}-on": TODAY.isoformat()}
    client.post("/login", data={"username": "kim", "password": "correct horse battery"})
    assert client.post(f"/cohorts/{cohort.id}/waitlist/{chea.id}/admit", data=data).status_code == 403
    auth.logout()
    auth.login_as("officer", provinces={"17"})
    assert client.post(f"/cohorts/{cohort.id}/waitlist/{chea.id}/admit", data=data).status_code == 404
    assert Enrollment.get_by_id(chea.id).status == "waitlisted"


def test_the_enrollment_page_of_someone_waiting_says_so_and_admits(client, auth, cohort, waiting):
    auth.login_as("officer")
    chea = waiting["Chea"]
    page = client.get(f"/cohorts/{cohort.id}/enrollments/{chea.id}").get_data(as_text=True)
    assert "waitlisted since" in page and "On the waitlist: not enrolled yet." in page
    assert "completion rule" not in page
    page = client.post(f"/cohorts/{cohort.id}/enrollments/{chea.id}", data={
        "status-status": "enrolled", "status-on": TODAY.isoformat(), "status-submit": "y"}).get_data(as_text=True)
    assert "The cohort is full" in page


def test_complete_all_leaves_the_waitlist_alone(client, auth, cohort, waiting):
    auth.login_as("officer")
    Cohort.update(capacity=10).where(Cohort.id == cohort.id).execute()
    client.post(f"/cohorts/{cohort.id}/complete", data={"on": TODAY.isoformat()})
    statuses = {name: Enrollment.get_by_id(e.id).status for name, e in waiting.items()}
    assert statuses == {"Ana": "completed", "Bo": "enrolled", "Chea": "waitlisted", "Dara": "waitlisted"}


def test_the_profile_says_waitlisted_since_instead_of_an_enrollment_date(client, auth, cohort, waiting, app,
                                                                        registrar):
    with app.app_context():
        enrolling.change_status(Enrollment.get_by_id(waiting["Dara"].id), "withdrawn", TODAY,
                                User.get_by_id(registrar.id), reason="Found work")
    auth.login_as("officer")
    chea = client.get("/beneficiaries/BR-000003").get_data(as_text=True)
    assert re.search(r"<td[^>]*>waitlisted since [^<]+</td>\s*<td[^>]*>Waitlisted</td>\s*<td[^>]*>—</td>", chea)
    dara = client.get("/beneficiaries/BR-000004").get_data(as_text=True)
    assert re.search(r"<td[^>]*>never admitted \(waitlisted [^<]+\)</td>\s*<td[^>]*>Withdrawn", dara)


def test_the_waitlist_and_the_preview_are_readable_with_a_screen_reader(client, auth, cohort, waiting, app,
                                                                       registrar, create_beneficiary):
    from tests.test_accessibility import problems

    newcomer = create_beneficiary(given_name="Eng", date_of_birth=date(1999, 1, 1))
    with app.app_context():
        enrolling.change_status(Enrollment.get_by_id(waiting["Dara"].id), "withdrawn", TODAY,
                                User.get_by_id(registrar.id), reason="Found work")
    auth.login_as("officer")
    pages = {"cohort": client.get(f"/cohorts/{cohort.id}").get_data(as_text=True),
             "preview": enroll_page(client, cohort, codes=f"BR-000001 {newcomer.code}").get_data(as_text=True)}
    assert 'id="waitlist"' in pages["cohort"] and 'id="preview"' in pages["preview"]
    assert {name: problems(page) for name, page in pages.items()} == {"cohort": [], "preview": []}
