"""A real browser's journey on a phone (390x844): a trainer opens today's session, marks it and saves."""
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from babel.dates import format_date
from playwright.sync_api import expect

from registry.programs.models import Attendance, TrainingSession
from tests.conftest import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
PEOPLE = ["Bopha", "Chenda", "Dara", "Mealea", "Sophal"]


@pytest.fixture
def todays_class(create_user, create_cohort, create_beneficiary, enroll):
    """Kim's cohort: sessions 14 and 7 days ago and today, five people enrolled 20 days ago."""
    today = date.today()
    kim = create_user("trainer", username="kim", full_name="Kim Srey Neang", provinces={"02"})
    cohort = create_cohort(days=[today - timedelta(days=14), today - timedelta(days=7), today], trainers=[kim],
                           start_on=today - timedelta(days=30), end_on=today + timedelta(days=30))
    enrollments = [enroll(cohort, create_beneficiary(given_name=name, date_of_birth=date(1995 + n, n + 1, 10)),
                          on=today - timedelta(days=20))
                   for n, name in enumerate(PEOPLE)]
    return cohort, enrollments


def test_trainer_marks_todays_session_on_a_phone(phone_page, app, todays_class):
    """Kim signs in on a phone, opens today's session from the menu, marks everyone and saves."""
    cohort, enrollments = todays_class
    absent, late = enrollments[1], enrollments[3]
    p, base = phone_page.page, phone_page.base_url

    p.goto(base)
    expect(p).to_have_url(re.compile(rf"^{re.escape(base)}/login"))
    p.fill("input[name=username]", "kim")
    p.fill("input[name=password]", PASSWORD)
    p.tap("main form [type=submit]")
    expect(p.locator("h1")).to_contain_text("Welcome, Kim Srey Neang")

    # At 390 px the navigation hides behind the "Menu" toggler.
    training = p.get_by_role("link", name="Training", exact=True)
    expect(training).to_be_hidden()
    p.get_by_role("button", name="Menu").tap()
    expect(training).to_be_visible()
    training.tap()
    expect(p.locator("h1")).to_have_text("Your cohorts")

    p.get_by_role("link", name=re.compile(re.escape(cohort.name))).tap()
    expect(p.locator("h1")).to_have_text(cohort.name)

    today_row = p.locator("li.list-group-item").filter(has_text=format_date(date.today(), "full", locale="en"))
    expect(today_row).to_have_count(1)
    today_row.get_by_role("link", name="Attendance").tap()
    with app.app_context():
        todays = TrainingSession.get((TrainingSession.cohort == cohort.id) & (TrainingSession.held_on == date.today()))
    expect(p).to_have_url(f"{base}/sessions/{todays.id}")
    expect(p.locator("#attendance-form fieldset")).to_have_count(5)

    p.get_by_role("button", name="Mark all present").tap()
    for e in enrollments:
        expect(p.locator(f"#mark-{e.id}-present")).to_be_checked()
    p.locator(f'label[for="mark-{absent.id}-absent"]').tap()
    p.locator(f'label[for="mark-{late.id}-late"]').tap()
    expect(p.locator(f"#mark-{absent.id}-absent")).to_be_checked()
    expect(p.locator(f"#mark-{late.id}-late")).to_be_checked()

    p.get_by_role("button", name="Save").first.tap()
    expect(p.get_by_role("alert").filter(has_text="Attendance saved: 5 marks.")).to_be_visible()
    expect(p).to_have_url(f"{base}/sessions/{todays.id}")
    chosen = {e.id: "present" for e in enrollments} | {absent.id: "absent", late.id: "late"}
    for eid, status in chosen.items():
        expect(p.locator(f"#mark-{eid}-{status}")).to_be_checked()
    expect(p.get_by_text("not recorded")).to_have_count(0)

    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    ARTIFACTS.mkdir(exist_ok=True)
    p.screenshot(path=str(ARTIFACTS / "attendance-phone.png"), full_page=True)

    with app.app_context():
        saved = dict(Attendance.select(Attendance.enrollment, Attendance.status)
                     .where(Attendance.session == todays.id).tuples())
        total = Attendance.select().count()
    assert saved == chosen and total == 5
