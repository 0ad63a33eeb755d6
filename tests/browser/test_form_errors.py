"""A failed registration in a real browser, in English and in Khmer, on a desktop and on a phone (issue 19).

The officer leaves out the date of consent: the page comes back with the error summary at its top, focused,
and its link takes the focus to the date field, which says what is wrong. Screenshots, when asked for with
JOURNEY_SCREENSHOTS: registration-errors-<lang>-<width>.png.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.journey import LANGUAGES, PHONE, SCREENSHOTS

WIDTHS = {1280: {}, 360: PHONE}


@pytest.fixture
def officer(create_user):
    """Dara, an officer of Battambang (province 02)."""
    return create_user("officer", provinces={"02"}, username="dara", full_name="Dara Sok")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_refused_registration_leads_to_the_missing_consent_date(open_journey, officer, lang, width):
    with open_journey(lang, **WIDTHS[width]) as j:
        p, tr = j.page, j.tr
        j.sign_in("dara")
        j.switch_language()
        p.goto(j.url("/beneficiaries/new"))
        field = lambda label: p.get_by_role("main").get_by_label(tr(label), exact=True)  # noqa: E731
        # The defaults: the officer's only province, and consent recorded today.
        expect(field("Province")).to_have_value("02")
        expect(field("Date of consent")).not_to_have_value("")
        field("Family name (Latin letters)").fill("Keo")
        field("Given name (Latin letters)").fill("Sreymom")
        field("Sex").select_option("female")
        field("Category").select_option("at_risk")
        field("Consents to the use of their data").check()
        field("Date of consent").fill("")
        j.press(p.get_by_role("button", name=tr("Save"), exact=True))

        summary = p.get_by_role("alert").filter(has_text=tr("There is a problem"))
        expect(summary).to_be_focused()
        expect(summary).to_be_in_viewport()
        assert summary.bounding_box()["y"] < p.locator("main form input:not([type=hidden])").first.bounding_box()["y"]
        message = tr("Give the date the consent was recorded.")
        expect(summary).to_contain_text(message)
        j.no_sideways_scroll()
        shot = j.shot(f"registration-errors-{width}")  # saved as <name>-<lang>.png: the width goes last
        shot.replace(SCREENSHOTS / f"registration-errors-{lang}-{width}.png")

        j.press(summary.get_by_role("link", name=tr("Date of consent") + ": " + message))
        consent_on = field("Date of consent")
        expect(consent_on).to_be_focused()
        expect(consent_on).to_be_in_viewport()
        expect(consent_on).to_have_attribute("aria-invalid", "true")
        expect(consent_on).to_have_class(re.compile(r"\bis-invalid\b"))
        expect(p.locator("#consent_on-error")).to_have_text(message)
