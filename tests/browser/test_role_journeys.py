"""One journey per role in a real browser, in English and in Khmer (issue 10, item 4).

Each journey builds its own data, walks its role's main path through the pages as a person would
(the words it looks for come from the app's own catalog, in the journey's language), and saves
screenshots of the key pages to docs/screenshots/. The guard of journey.py fails a journey on a
console error, a page error, an answer of 500 or more, or a request to any host but the app's.
"""
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from registry.auth.models import User
from registry.programs.models import Attendance, TrainingSession
from registry.reports.models import Indicator
from registry.reports.periods import fiscal_quarter, fiscal_year_of
from tests.browser.journey import LANGUAGES, PHONE

TODAY = date.today()
in_each_language = pytest.mark.parametrize("lang", LANGUAGES)


def code_in_url(page):
    """The participant code at the end of a profile's URL."""
    return re.search(r"/beneficiaries/(BR-\d+)$", page.url)[1]


# --- The officer: register with consent, find by name, enroll, see the roster -------------------------------------

@pytest.fixture
def officer_world(create_user, create_cohort, create_beneficiary):
    """Dara, an officer of Battambang (02); a cohort there under way; two people already registered."""
    create_user("officer", username="dara", full_name="Dara Sok", provinces={"02"})
    create_beneficiary(family_name="Heng", given_name="Dara", date_of_birth=date(1999, 5, 2))
    create_beneficiary(family_name="Keo", given_name="Mealea", date_of_birth=date(2000, 8, 19))
    return create_cohort(name="Sewing Battambang", start_on=TODAY - timedelta(days=7),
                         end_on=TODAY + timedelta(days=60))


@in_each_language
def test_officer_registers_a_participant_and_enrolls_them(open_journey, officer_world, lang):
    """Dara registers Sok Chanthy with her consent, finds her by name, enrolls her and sees her on the roster."""
    cohort = officer_world
    with open_journey(lang) as j:
        p, tr = j.page, j.tr
        j.sign_in("dara")
        j.switch_language()
        expect(j.heading()).to_have_text(tr("Welcome, %(name)s", name="Dara Sok"))

        j.nav().get_by_role("link", name=tr("Participants"), exact=True).click()
        expect(j.heading()).to_have_text(tr("Participants"))
        p.get_by_role("link", name=tr("Register a participant")).click()
        expect(j.heading()).to_have_text(tr("Register a participant"))
        field = lambda label: p.get_by_role("main").get_by_label(tr(label), exact=True)  # noqa: E731
        field("Family name (Latin letters)").fill("Sok")
        field("Given name (Latin letters)").fill("Chanthy")
        field("Family name (Khmer)").fill("សុខ")
        field("Given name (Khmer)").fill("ចាន់ធី")
        field("Sex").select_option("female")
        field("Date of birth").fill("2001-03-15")
        field("Phone").fill("012 345 678")
        field("Province").select_option("02")
        field("Category").select_option("at_risk")
        field("Consents to the use of their data").check()
        field("Consents to follow-up contact").check()
        field("Date of consent").fill(TODAY.isoformat())
        j.shot("officer-register")
        p.get_by_role("button", name=tr("Save"), exact=True).click()

        expect(p).to_have_url(re.compile(r"/beneficiaries/BR-\d{6}$"))
        code, name = code_in_url(p), "Sok Chanthy (សុខ ចាន់ធី)"
        expect(j.heading()).to_have_text(name)
        expect(j.alert(tr("%(name)s is registered as %(code)s.", name=name, code=code))).to_be_visible()

        # Found by name in the list: typed in the search box, sent with Enter.
        j.nav().get_by_role("link", name=tr("Participants"), exact=True).click()
        search = p.get_by_role("searchbox", name=tr("Search"), exact=True)
        search.fill("chanthy")
        search.press("Enter")
        expect(p).to_have_url(re.compile(r"[?&]q=chanthy"))
        expect(p.get_by_text(j.ntr("%(num)d participant", "%(num)d participants", 1), exact=True)).to_be_visible()
        found = p.get_by_role("row").filter(has=p.get_by_role("link", name=code, exact=True))
        expect(found).to_contain_text(name)
        j.shot("officer-list")

        # Enrolled through the cohort's enroll page: found by name, ticked.
        j.nav().get_by_role("link", name=tr("Training"), exact=True).click()
        p.get_by_role("link", name=re.compile(re.escape(cohort.name))).click()
        expect(j.heading()).to_have_text(cohort.name)
        p.get_by_role("link", name=tr("Enroll"), exact=True).click()
        expect(j.heading()).to_have_text(tr("Enroll in %(name)s", name=cohort.name))
        search = p.get_by_role("searchbox", name=tr("Search"), exact=True)
        search.fill("Sok Chanthy")
        search.press("Enter")
        candidates = p.get_by_role("main").get_by_role("checkbox")
        expect(candidates).to_have_count(1)
        p.get_by_role("checkbox", name=re.compile(re.escape(code))).check()
        expect(p.get_by_label(tr("Enrollment date"), exact=True)).to_have_value(TODAY.isoformat())
        j.shot("officer-enroll")
        p.get_by_role("button", name=tr("Enroll"), exact=True).click()

        expect(p).to_have_url(j.url(f"/cohorts/{cohort.id}"))
        expect(j.alert(tr("%(num)d enrolled.", num=1))).to_be_visible()
        roster = p.locator("main section").filter(has=p.get_by_role("heading", name=tr("Participants"), exact=True))
        row = roster.get_by_role("row").filter(has=p.get_by_role("link", name=code, exact=True))
        expect(row).to_contain_text(name)
        expect(row).to_contain_text(tr("Enrolled"))
        j.shot("officer-cohort")


# --- The trainer, on a phone: today's session from the home page, every mark tapped, saved, kept -------------------

TRAINEES = [("Chea", "Bopha", "ជា", "បុប្ផា"), ("Heng", "Dara", "ហេង", "ដារ៉ា"),
            ("Keo", "Mealea", "កែវ", "មាលា"), ("Lim", "Sophal", "លឹម", "សុផល")]
MARKED = ["present", "late", "present", "absent"]
MARK_WORDS = {"present": "Present", "late": "Late", "excused": "Excused", "absent": "Absent"}  # their msgids


@pytest.fixture
def trainer_world(app, create_user, create_cohort, create_beneficiary, enroll):
    """Kim teaches a cohort with a session last week and one today; four people are enrolled."""
    kim = create_user("trainer", username="kim", full_name="Kim Srey Neang", provinces={"02"})
    cohort = create_cohort(name="Tailoring Battambang", days=[TODAY - timedelta(days=7), TODAY], trainers=[kim],
                           start_on=TODAY - timedelta(days=30), end_on=TODAY + timedelta(days=30))
    people = [create_beneficiary(family_name=family, given_name=given, family_name_km=family_km,
                                 given_name_km=given_km, date_of_birth=date(1996 + n, n + 1, 9))
              for n, (family, given, family_km, given_km) in enumerate(TRAINEES)]
    enrollments = [enroll(cohort, person, on=TODAY - timedelta(days=20)) for person in people]
    with app.app_context():
        today = TrainingSession.get((TrainingSession.cohort == cohort.id) & (TrainingSession.held_on == TODAY))
    return cohort, today, list(zip(people, enrollments))


@in_each_language
def test_trainer_records_todays_session_on_a_phone(open_journey, app, trainer_world, lang):
    """Kim, on a 360 px phone, opens today's session from the home page, taps everyone's mark, saves, reloads."""
    cohort, session, trainees = trainer_world
    with open_journey(lang, **PHONE) as j:
        p, tr = j.page, j.tr
        j.sign_in("kim")
        j.switch_language()
        expect(j.heading()).to_have_text(tr("Welcome, %(name)s", name="Kim Srey Neang"))
        todays = p.get_by_role("main").locator(f'a[href="/sessions/{session.id}"]')
        expect(todays).to_contain_text(cohort.name)
        j.no_sideways_scroll()
        j.shot("trainer-home-phone")
        todays.tap()

        expect(p).to_have_url(j.url(f"/sessions/{session.id}"))
        expect(j.heading()).to_have_text(cohort.name)
        for (person, _enrollment), mark in zip(trainees, MARKED):
            person_marks = p.get_by_role("group", name=re.compile(re.escape(person.display_name)))
            expect(person_marks).to_contain_text(tr("not recorded"))
            person_marks.get_by_text(tr(MARK_WORDS[mark]), exact=True).tap()
            expect(person_marks.get_by_role("radio", name=tr(MARK_WORDS[mark]), exact=True)).to_be_checked()
        j.no_sideways_scroll()
        p.get_by_role("button", name=tr("Save"), exact=True).last.tap()

        expect(p).to_have_url(j.url(f"/sessions/{session.id}"))
        saved = j.alert(tr("Attendance saved: %(num)d marks.", num=len(trainees)))
        expect(saved).to_be_visible()
        j.shot("trainer-attendance-phone")

        p.reload()
        expect(saved).to_have_count(0)
        for (person, _enrollment), mark in zip(trainees, MARKED):
            person_marks = p.get_by_role("group", name=re.compile(re.escape(person.display_name)))
            expect(person_marks.get_by_role("radio", name=tr(MARK_WORDS[mark]), exact=True)).to_be_checked()
        expect(p.get_by_text(tr("not recorded"), exact=True)).to_have_count(0)

    with app.app_context():
        kept = dict(Attendance.select(Attendance.enrollment, Attendance.status)
                    .where(Attendance.session == session.id).tuples())
    assert kept == {enrollment.id: mark for (_person, enrollment), mark in zip(trainees, MARKED)}


# --- The manager: the quarterly report, one figure read, the workbook downloaded and opened -----------------------

@pytest.fixture
def quarter_with_data(app, create_user, create_cohort, create_beneficiary, enroll):
    """Three people enrolled in the first quarter of last fiscal year (two women), one more the quarter after."""
    with app.app_context():
        year = fiscal_year_of(TODAY) - 1
        quarter = fiscal_quarter(year, 1)
        codes = [indicator.code for indicator in Indicator.reported()]
    create_user("manager", username="malis", full_name="Malis Chan")
    cohort = create_cohort(name="Cooking Battambang", start_on=quarter.start, end_on=quarter.end + timedelta(days=120))
    people = [("Bopha", "female", 0), ("Chenda", "female", 20), ("Vuthy", "male", 40), ("Rith", "male", 100)]
    for n, (given, sex, days) in enumerate(people):
        person = create_beneficiary(given_name=given, sex=sex, date_of_birth=date(1998, n + 1, 5),
                                    registered_on=quarter.start, consent_on=quarter.start)
        enroll(cohort, person, on=quarter.start + timedelta(days=days))
    return year, codes


@in_each_language
def test_manager_reads_the_quarterly_report_and_downloads_the_workbook(open_journey, quarter_with_data, lang,
                                                                       tmp_path):
    """Malis opens last fiscal year's first quarter, reads 3 enrolled and 66.7% women, downloads the workbook."""
    year, codes = quarter_with_data
    with open_journey(lang) as j:
        p, tr = j.page, j.tr
        j.sign_in("malis")
        j.switch_language()
        j.nav().get_by_role("link", name=tr("Reports"), exact=True).click()
        expect(j.heading()).to_have_text(tr("Indicator report"))
        p.get_by_label(tr("Period"), exact=True).select_option(f"FY{year}-Q1")
        p.get_by_role("button", name=tr("Show"), exact=True).click()
        expect(p).to_have_url(re.compile(rf"[?&]period=FY{year}-Q1"))

        def summary_cell(code, column):
            row = p.get_by_role("row").filter(has=p.get_by_role("link", name=code, exact=True))
            return row.get_by_role("cell").nth(column)

        expect(summary_cell("CUSTOM-1", 1)).to_have_text("3")  # newly enrolled: a count
        expect(summary_cell("GNDR-2", 3)).to_have_text("66.7%")  # female share: 2 of 3
        j.shot("manager-report")

        with p.expect_download() as download_info:
            p.get_by_role("button", name=tr("Download the workbook (xlsx)"), exact=True).click()
        download = download_info.value
        assert download.suggested_filename == f"indicator-report-FY{year}-Q1.xlsx"
        workbook_path = tmp_path / download.suggested_filename
        download.save_as(workbook_path)

    workbook = load_workbook(workbook_path)
    assert workbook.sheetnames == [j.tr("Summary"), *codes, j.tr("Tracking"), j.tr("Definitions"), "data"]
    summary = {row[0]: row for row in workbook[j.tr("Summary")].iter_rows(min_row=9, values_only=True)}
    assert summary["CUSTOM-1"][2] == 3 and summary["GNDR-2"][2:5] == (2, 3, pytest.approx(0.6667))
    assert ("CUSTOM-1", f"FY{year} Q1", "total", "total", 3, None, 3) in set(
        workbook["data"].iter_rows(min_row=2, values_only=True))


# --- The admin: a new account with a temporary password (keyboard only), then the audit log -----------------------

@pytest.fixture
def admin(create_user):
    """Sophea, an admin."""
    return create_user("admin", username="sophea", full_name="Sophea Lim")


NEW_USER, NEW_NAME, TEMPORARY = "vanna.chea", "Chea Vanna", "river lantern mango"


@in_each_language
def test_admin_creates_an_account_and_finds_it_in_the_audit_log(open_journey, app, admin, lang):
    """Sophea creates a trainer's account with the keyboard, finds the event in the audit log; the trainer's
    first sign-in then asks for their own password."""
    with open_journey(lang) as j:
        p, tr = j.page, j.tr
        j.sign_in("sophea")
        j.switch_language()
        j.open_menu("Administration")
        j.nav().get_by_role("link", name=tr("Users"), exact=True).click()
        expect(j.heading()).to_have_text(tr("Users"))
        p.get_by_role("link", name=tr("New account"), exact=True).click()
        expect(j.heading()).to_have_text(tr("New account"))

        # The keyboard only: Tab from field to field, arrows in the lists, Space to tick, Enter to send.
        field = lambda label: p.get_by_role("main").get_by_label(tr(label), exact=True)  # noqa: E731
        field("Username").focus()
        p.keyboard.type(NEW_USER)
        p.keyboard.press("Tab")
        expect(field("Full name")).to_be_focused()
        p.keyboard.type(NEW_NAME)
        p.keyboard.press("Tab")
        expect(field("Role")).to_be_focused()
        expect(field("Role")).to_have_value("")  # no role until one is chosen: least privilege by default
        for _role in ("admin", "officer", "trainer"):
            p.keyboard.press("ArrowDown")
        expect(field("Role")).to_have_value("trainer")
        p.keyboard.press("Tab")
        expect(field("Language")).to_be_focused()
        if lang == "km":
            p.keyboard.press("ArrowDown")
        expect(field("Language")).to_have_value(lang)
        p.keyboard.press("Tab")
        expect(field("Temporary password")).to_be_focused()
        expect(p.get_by_text(tr("The person chooses their own at their first sign-in."))).to_be_visible()
        p.keyboard.type(TEMPORARY)
        p.keyboard.press("Tab")
        expect(field("All provinces")).to_be_focused()
        p.keyboard.press("Space")
        expect(field("All provinces")).to_be_checked()
        j.shot("admin-new-user")
        p.keyboard.press("Enter")

        expect(p).to_have_url(j.url("/users/"))
        expect(j.alert(tr("The account %(username)s is created.", username=NEW_USER))).to_be_visible()
        row = p.get_by_role("row").filter(has=p.get_by_role("link", name=NEW_USER, exact=True))
        for text in (NEW_NAME, tr("Trainer"), tr("All provinces"), tr("Active")):
            expect(row).to_contain_text(text)
        j.shot("admin-users")
        with app.app_context():
            created = User.get(User.username == NEW_USER)
        assert created.must_change_password and created.language == lang

        # The audit log, filtered to this admin's account creations.
        j.open_menu("Administration")
        j.nav().get_by_role("link", name=tr("Audit log"), exact=True).click()
        expect(j.heading()).to_have_text(tr("Audit log"))
        field("User").fill("sophea")
        field("Action").select_option("user.create")
        p.get_by_role("button", name=tr("Filter"), exact=True).click()
        expect(p).to_have_url(re.compile(r"[?&]user=sophea&action=user\.create"))
        expect(p.get_by_role("main")).to_contain_text(j.ntr("%(num)d event", "%(num)d events", 1))
        event = p.locator('tr[data-action="user.create"]')
        expect(event).to_have_count(1)
        # A sentence with both people by name, and the new account's values in a table, in the page's language.
        expect(event).to_contain_text(tr("%(actor)s created the account of %(subject)s.", actor="Sophea Lim",
                                         subject=NEW_NAME))
        expect(event.get_by_role("link", name=NEW_NAME, exact=True)).to_have_attribute("href", f"/users/{created.id}")
        for label, value in (("Full name", NEW_NAME), ("Role", tr("Trainer")), ("Provinces", tr("All provinces")),
                             ("Language", app.config["LANGUAGES"][lang])):
            expect(event.get_by_role("row").filter(has=p.get_by_role("rowheader", name=tr(label), exact=True))
                   ).to_contain_text(value)
        j.shot("admin-audit")

        # The new trainer's first sign-in: their own password first, whatever page they ask for.
        j.nav().get_by_role("button", name=tr("Sign out"), exact=True).click()
        # Sign-out first erases what this phone kept offline, then leaves: the login page says it is done.
        expect(p).to_have_url(re.compile(r"/login"))
        j.sign_in(NEW_USER, TEMPORARY, lang=lang)
        expect(p).to_have_url(j.url("/account"))
        warning = tr("Your password was set by an administrator. Choose your own password before going on.")
        expect(j.alert(warning)).to_be_visible()
        p.goto(j.url("/cohorts/"))
        expect(p).to_have_url(j.url("/account"))
        j.shot("admin-new-user-first-sign-in")
