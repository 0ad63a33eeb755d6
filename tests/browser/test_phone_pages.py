"""No page scrolls sideways on a 360 px phone (issue 19, item 5): each role's main pages, in English and Khmer.

Each role signs in on a phone, chooses the language, and opens the pages of its navigation and the
records it works on (a profile, a cohort, its sessions, a session, the enroll and merge pages, the
duplicate warning of the registration form). On every page `document.documentElement.scrollWidth` must
stay within the 360 px window; the failures of a walk are reported together. With JOURNEY_SCREENSHOTS
set, the cohort page is saved at 1280 and 360 px and the trainer's home at 360 px.
"""
import os
import re
from datetime import date, timedelta

import pytest
from flask import url_for
from playwright.sync_api import expect

from registry.auth.models import User
from registry.main.context import NAV
from registry.programs.attendance import record_attendance
from registry.programs.models import TrainingSession
from tests.browser.journey import DESKTOP, FONTS_LOADED, LANGUAGES, PHONE, SCREENSHOTS

TODAY = date.today()
WIDTH = PHONE["viewport"]["width"]
# Khmer names are longer on the page than Latin ones: every person of the world has both.
PEOPLE = [("Chea", "Bopha", "ជា", "បុប្ផាវិចិត្រសុវណ្ណារី"), ("Heng", "Dara", "ហេង", "ដារ៉ាសុភមង្គល"),
          ("Keo", "Mealea", "កែវ", "មាលាសុខសម្បត្តិ"), ("Lim", "Sophal", "លឹម", "សុផលរតនាវង្ស"),
          ("Sok", "Chanthy", "សុខ", "ចាន់ធីសុវត្ថិភាព")]
in_each_language = pytest.mark.parametrize("lang", LANGUAGES)


@pytest.fixture
def world(app, registrar, create_user, create_cohort, create_beneficiary, enroll, completer):
    """The four roles (Battambang for the officer and the trainer); a cohort under way with 21 sessions, five people
    (Chea Bopha missing one session in two) and one waiting; a likely duplicate of Chea; a completer due a follow-up."""
    users = {"admin": create_user("admin", username="sophea", full_name="Sophea Lim"),
             "officer": create_user("officer", username="dara", full_name="Dara Sok", provinces={"02"}),
             "trainer": create_user("trainer", username="kim", full_name="Kim Srey Neang", provinces={"02"}),
             "manager": create_user("manager", username="malis", full_name="Malis Chan")}
    days = [TODAY + timedelta(days=2 * n) for n in range(-10, 11)]
    cohort = create_cohort(name="Tailoring and garment finishing, Battambang town", start_on=days[0],
                           end_on=days[-1], days=days, trainers=[users["trainer"]], capacity=len(PEOPLE))
    people = [create_beneficiary(family_name=f, given_name=g, family_name_km=fk, given_name_km=gk,
                                 phone="+85512345678", date_of_birth=date(1996 + n, n + 1, 9))
              for n, (f, g, fk, gk) in enumerate(PEOPLE)]
    enrollments = [enroll(cohort, person, on=days[0]) for person in people]
    with app.app_context():
        user = User.get_by_id(registrar.id)
        for n, session in enumerate(TrainingSession.select().where((TrainingSession.cohort == cohort.id)
                                                                   & (TrainingSession.held_on < TODAY))):
            marks = {e.id: "present" for e in enrollments}
            marks[enrollments[0].id] = "absent" if n % 2 else "present"
            record_attendance(session, marks, user, today=TODAY)
    waiting = create_beneficiary(family_name="Touch", given_name="Sreypov", family_name_km="ទូច",
                                 given_name_km="ស្រីពៅ", date_of_birth=date(2000, 1, 1))
    enroll(cohort, waiting, on=days[0])
    twin = create_beneficiary(family_name="Chea", given_name="Bopha", family_name_km="ជា",
                              given_name_km="បុប្ផាវិចិត្រសុវណ្ណារី", date_of_birth=date(1996, 1, 9))
    completer(TODAY - timedelta(days=100), family_name="Nov", given_name="Sreymom", phone="+85512999888")
    with app.app_context():
        session = TrainingSession.get((TrainingSession.cohort == cohort.id) & (TrainingSession.held_on == TODAY))
    return {"users": users, "cohort": cohort, "session": session, "person": people[0], "twin": twin}


def pages_of(app, role, world):
    """The paths a role opens: its navigation's pages, then the records it works on."""
    cohort, person, twin = world["cohort"].id, world["person"].code, world["twin"].code
    with app.test_request_context():
        paths = [url_for(endpoint) for endpoint, _label, roles in NAV if role in roles]
        paths.append(url_for("auth.account"))
        if role in ("admin", "officer", "trainer"):
            paths += [url_for("cohorts.detail", cohort_id=cohort), url_for("cohorts.sessions", cohort_id=cohort),
                      url_for("attendance.take", session_id=world["session"].id)]
        if role in ("admin", "officer"):
            paths += [url_for("beneficiaries.profile", code=person), url_for("enrollments.choose_cohort", code=person),
                      url_for("enrollments.enroll", cohort_id=cohort, q=person, picked=person),
                      url_for("enrollments.status", cohort_id=cohort, enrollment_id=1),
                      url_for("beneficiary_merges.choose", code=person),
                      url_for("beneficiary_merges.choose", code=person, other=twin),
                      url_for("beneficiaries.create"), url_for("cohorts.edit", cohort_id=cohort)]
        if role == "admin":
            paths += [url_for("users.create"), url_for("programs.edit")]
    return paths


# The innermost elements reaching past the window's right edge, named as tag#id.class: what to fix.
OFFENDERS = """width => Array.from(document.body.querySelectorAll('*'))
  .filter(e => e.getBoundingClientRect().right > width + 0.5
               && !Array.from(e.children).some(c => c.getBoundingClientRect().right > width + 0.5))
  .slice(0, 3)
  .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined
       ? '.' + e.className.trim().split(/\\s+/).join('.') : '') + ' ' + Math.round(e.getBoundingClientRect().right))"""


# Boxes that scroll sideways inside the page (a .table-responsive too wide for the phone): their text is off-screen.
INNER_SCROLLERS = """() => Array.from(document.querySelectorAll('main *'))
  .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.checkVisibility()
               && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
  .map(e => {
    const section = e.closest('section, article, main').querySelector('h1, h2, h3');
    return (section ? section.textContent.trim() : '?') + ': ' + e.scrollWidth + ' px';
  })"""


def sideways(page):
    """(the page's width, the elements past the edge) when it is wider than the window, else None."""
    width = page.evaluate("document.documentElement.scrollWidth")
    return (width, page.evaluate(OFFENDERS, WIDTH)) if width > WIDTH else None


def scrolling_inside(page):
    """The boxes of the page that scroll sideways within it."""
    return page.evaluate(INNER_SCROLLERS)


def save(j, name):
    """With JOURNEY_SCREENSHOTS set: the whole page as <name>.png there, once the Khmer font is in."""
    if not os.environ.get("JOURNEY_SCREENSHOTS"):
        return
    j.guard.check()
    j.page.evaluate(FONTS_LOADED)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    j.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True, animations="disabled", caret="hide")


def register_the_twin(j):
    """Fill the registration form with Chea Bopha again and save: the duplicate warning and its table."""
    p = j.page
    p.goto(j.url("/beneficiaries/new"))
    values = {"family_name": "Chea", "given_name": "Bopha", "family_name_km": "ជា",
              "given_name_km": "បុប្ផាវិចិត្រសុវណ្ណារី", "date_of_birth": "1996-01-09", "consent_on": TODAY.isoformat()}
    for name, value in values.items():
        p.locator(f'main [name="{name}"]').fill(value)
    p.locator('main [name="sex"]').select_option("female")
    p.locator('main [name="province"]').select_option("02")
    p.locator('main [name="category"]').select_option("at_risk")
    p.locator('main [name="consent_data_use"]').check()
    p.locator('main [name="submit"]').click()
    expect(p.get_by_role("heading", name=j.tr("This person may already be registered"))).to_be_visible()
    why = p.locator(f'main td[data-label="{j.tr("Why it matched")}"]').first
    expect(why).to_be_visible()
    box = why.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, f"'Why it matched' is off-screen: {box}"


@pytest.mark.parametrize("role", ["admin", "officer", "trainer", "manager"])
@in_each_language
def test_no_main_page_scrolls_sideways_on_a_phone(open_journey, app, world, role, lang):
    """Every page of the role, at 360 px in this language, is no wider than the window."""
    with open_journey(lang, **PHONE) as j:
        j.sign_in(world["users"][role].username)
        j.switch_language()
        wide = {}
        for path in pages_of(app, role, world):
            response = j.page.goto(j.url(path))
            assert response.status < 400, f"{path} answered {response.status}"
            j.page.evaluate(FONTS_LOADED)  # Khmer text is measured in its own font, as people see it
            if width := sideways(j.page):
                wide[path] = width
            if inner := scrolling_inside(j.page):
                wide[path + " (inside)"] = inner
        if role in ("admin", "officer"):
            register_the_twin(j)
            if width := sideways(j.page):
                wide["/beneficiaries/new (the duplicate warning)"] = width
        if role == "trainer":
            j.page.goto(j.url("/"))
            expect(j.page.locator("#cohorts-heading")).to_have_text(j.tr("Your cohorts"))
            save(j, f"trainer-home-{lang}-{WIDTH}")
            below = j.page.locator("main .trainer-cohort").get_by_role("link", name=re.compile("Chea Bopha"))
            j.press(below)  # below the attendance rule: the name leads to their row on the cohort page
            expect(j.page).to_have_url(re.compile(rf"/cohorts/{world['cohort'].id}#enrollment-\d+$"))
            expect(j.page.locator("tr:target")).to_contain_text(world["person"].code)
    assert not wide, f"pages wider than {WIDTH} px for the {role} in {lang}: {wide}"


@in_each_language
def test_the_cohort_page_at_1280_and_360_px(open_journey, world, lang):
    """The officer's cohort page: the next and recent sessions, "All sessions (21)", the roster as cards on a phone."""
    cohort = world["cohort"]
    for options in (DESKTOP, PHONE):
        with open_journey(lang, **options) as j:
            j.sign_in("dara")
            if j.page.locator("html").get_attribute("lang") != lang:  # the account keeps the language chosen
                j.switch_language()
            j.page.goto(j.url(f"/cohorts/{cohort.id}"))
            expect(j.heading()).to_have_text(cohort.name)
            expect(j.page.locator("#next-sessions > li")).to_have_count(5)
            expect(j.page.locator("#recent-sessions > li")).to_have_count(5)
            expect(j.page.get_by_role("link", name=j.tr("All sessions (%(num)d)", num=21))).to_be_visible()
            width = options["viewport"]["width"]
            assert not sideways(j.page) or width > WIDTH
            save(j, f"cohort-page-{lang}-{width}")
