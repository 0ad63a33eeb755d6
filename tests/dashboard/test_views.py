"""The home page's dashboard over HTTP: what each role sees, safe under the CSP, light, and drawn in valid SVG."""
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from babel.dates import format_date

from registry.auth.models import User
from registry.programs import enrollment as enrolling
from registry.programs.attendance import record_attendance
from registry.programs.models import TrainingSession

TODAY = date.today()
SVG = "{http://www.w3.org/2000/svg}"
CHARTS = ("Enrollments and completions by month", "Attendance rate by cohort",
          "Work at the 6-month follow-up, by program", "Participants by province")


@pytest.fixture
def town(app, registrar, create_user, create_cohort, create_beneficiary):
    """A cohort in Battambang running today, with a session today and one held last week, its trainer, 3 people."""
    trainer = create_user("trainer", username="teacher")
    cohort = create_cohort(name="Sewing Battambang", province="02", start_on=TODAY - timedelta(days=30),
                           end_on=TODAY + timedelta(days=30), trainers=[trainer],
                           days=[TODAY - timedelta(days=7), TODAY])
    people = [create_beneficiary(given_name=f"Person{n}", date_of_birth=date(1990, 1, n + 1)) for n in range(3)]
    with app.app_context():
        user = User.get_by_id(registrar.id)
        enrollments = [enrolling.enroll(cohort, p, TODAY - timedelta(days=30), user) for p in people]
        held = TrainingSession.get((TrainingSession.cohort == cohort) & (TrainingSession.held_on < TODAY))
        record_attendance(held, {e.id: "present" for e in enrollments[:2]}, user)
    return {"trainer": trainer, "cohort": cohort}


def page_of(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def svgs_of(page):
    """Each chart of the page, parsed as XML (which fails on anything malformed)."""
    return [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", page, flags=re.S)]


@pytest.mark.parametrize("role", ["admin", "officer", "manager"])
def test_admins_officers_and_managers_see_counts_and_the_four_charts(client, auth, town, role):
    auth.login_as(role)
    page = page_of(client)
    for text in ("Registered", "In training now", "Enrolled", "Completed", "Followed up", "Employed after training",
                 *CHARTS):
        assert text in page, text
    assert len(svgs_of(page)) == 3  # no 6-month follow-up yet: that panel says so instead of drawing
    assert "No 6-month follow-up recorded yet." in page
    assert ("Recent activity" in page) == (role == "admin")
    assert ("See who is due" in page) == (role in ("admin", "officer"))
    assert ("Open the indicator report" in page) == (role == "manager")


def test_the_counts_are_those_of_the_users_provinces(client, auth, town, create_user):
    auth.login_as("officer", provinces={"02"})
    tile = re.compile(r'dashboard-tile-label mb-0">Registered</p>\s*<p class="dashboard-tile-number mb-0">(\S+)</p>')
    assert tile.search(page_of(client))[1] == "3"
    auth.logout()
    auth.login_as("officer", provinces={"17"})
    page = page_of(client)
    assert tile.search(page)[1] == "0"
    assert "Sewing Battambang" not in page and "No participant registered yet." in page


def test_a_trainer_sees_todays_sessions_and_their_cohorts_attendance(client, auth, town):
    auth.login(town["trainer"].username)
    page = page_of(client)
    assert "Today's sessions" in page and "Take attendance" in page
    assert "Attendance rate by cohort" in page and "Sewing Battambang" in page
    assert "in your cohorts" in page
    assert "Registered" not in page and "Participants by province" not in page
    assert len(svgs_of(page)) == 1


def test_another_trainer_sees_no_cohort(client, auth, town):
    auth.login_as("trainer")
    page = page_of(client)
    assert "Sewing Battambang" not in page and "No cohort under way" in page


@pytest.mark.parametrize("role", ["admin", "trainer"])
def test_the_page_holds_no_inline_style_or_script_and_stays_light(client, auth, town, role):
    if role == "trainer":
        auth.login(town["trainer"].username)
    else:
        auth.login_as(role)
    page = page_of(client)
    assert not re.search(r"\sstyle\s*=|<style|<script(?![^>]*\bsrc=)|\son[a-z]+\s*=", page)
    assert len(page.encode()) < 300_000


def test_each_chart_is_valid_svg_with_a_title_and_description_and_a_table(client, auth, town):
    auth.login_as("admin")
    page = page_of(client)
    for svg in svgs_of(page):
        assert svg.tag == SVG + "svg" and svg.get("role") == "img" and svg.get("viewBox").startswith("0 0 ")
        ids = {e.get("id"): e for e in svg.iter() if e.get("id")}
        labelled = svg.get("aria-labelledby").split()
        assert [ids[i].tag for i in labelled] == [SVG + "title", SVG + "desc"]
        assert all(e.get("style") is None for e in svg.iter())
    assert page.count("<details class=\"chart-table\">") == 3
    assert "<caption class=\"visually-hidden\">Participants by province</caption>" in page


def test_khmer_users_read_the_dashboard_in_khmer(client, auth, town):
    auth.login_as("manager", language="km")
    page = page_of(client)
    assert '<html lang="km">' in page
    assert format_date(TODAY.replace(day=1), "MMM y", locale="km") in page  # this month, in Khmer
    assert "Participants by province" not in page and "Registered" not in page
    for svg in svgs_of(page):
        assert svg.find(SVG + "title").text.strip()
