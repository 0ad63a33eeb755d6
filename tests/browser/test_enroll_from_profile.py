"""No dead end (issue 19, item 4): from a profile with no training, an officer enrolls the person in a cohort."""
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.journey import LANGUAGES

TODAY = date.today()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_officer_enrolls_a_person_from_their_profile(open_journey, create_user, create_cohort, create_beneficiary,
                                                         lang):
    """Dara opens Chanthy's profile, "Enroll in a cohort", chooses the open cohort, finds her ticked, enrolls her."""
    create_user("officer", username="dara", full_name="Dara Sok", provinces={"02"})
    person = create_beneficiary(family_name="Sok", given_name="Chanthy", family_name_km="សុខ", given_name_km="ចាន់ធី")
    cohort = create_cohort(name="Sewing Battambang", start_on=TODAY, end_on=TODAY + timedelta(days=60))
    with open_journey(lang) as j:
        p, tr = j.page, j.tr
        j.sign_in("dara")
        j.switch_language()
        p.goto(j.url(f"/beneficiaries/{person.code}"))
        expect(p.get_by_text(tr("Not enrolled in any training yet."))).to_be_visible()
        p.get_by_role("link", name=tr("Enroll in a cohort"), exact=True).click()

        expect(j.heading()).to_have_text(tr("Enroll %(code)s in a cohort", code=person.code))
        p.get_by_role("link", name=tr("Enroll in %(name)s", name=cohort.name), exact=True).click()

        expect(j.heading()).to_have_text(tr("Enroll in %(name)s", name=cohort.name))
        ticked = p.get_by_role("main").get_by_role("checkbox")
        expect(ticked).to_have_count(1)
        expect(ticked).to_be_checked()
        p.get_by_role("button", name=tr("Enroll"), exact=True).click()

        expect(p).to_have_url(j.url(f"/cohorts/{cohort.id}"))
        expect(j.alert(tr("%(num)d enrolled.", num=1))).to_be_visible()
        p.goto(j.url(f"/beneficiaries/{person.code}"))
        training = p.locator("main section").filter(has=p.get_by_role("heading", name=tr("Training"), exact=True))
        expect(training.get_by_role("link", name=cohort.name)).to_be_visible()
        expect(p.get_by_text(tr("Not enrolled in any training yet."))).to_have_count(0)
        j.no_sideways_scroll()
        assert re.search(rf"/beneficiaries/{person.code}$", p.url)
