"""A real browser: an officer types a name with a typo, or part of a phone, and the list answers without a submit.

Typing "Sopheap" shows Chan Sophep (one letter away) as the letters are typed, in English and in Khmer, at
1280 and 360 px; the page is never reloaded (a mark set on the window stays), its address follows the search
(reload or back keep it), and "Export this list" exports the list on the screen. With JOURNEY_SCREENSHOTS set,
saves search-as-you-type-<lang>-<width>.png there.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.journey import DESKTOP, FONTS_LOADED, LANGUAGES, PHONE, SCREENSHOTS


def screenshot(j, width):
    """Check the guard, wait for the Khmer font, and save search-as-you-type-<lang>-<width>.png."""
    j.guard.check()
    j.page.evaluate(FONTS_LOADED)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    j.page.screenshot(path=str(SCREENSHOTS / f"search-as-you-type-{j.lang}-{width}.png"), full_page=True,
                      animations="disabled", caret="hide")


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "360"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_typing_a_name_with_a_typo_shows_the_person_without_submitting(open_journey, create_user,
                                                                       create_beneficiary, lang, size):
    create_user("officer", provinces={"02"}, username="dara", full_name="Dara Sok")
    create_beneficiary(family_name="Chan", given_name="Sophep", family_name_km="ចាន់", given_name_km="សុភាព",
                       phone="+85512345678")
    create_beneficiary(family_name="Keo", given_name="Sreymom", family_name_km="កែវ", given_name_km="ស្រីមុំ")
    create_beneficiary(family_name="Meas", given_name="Dara", phone="+85597000111")
    with open_journey(lang, **size) as j:
        p = j.page
        j.sign_in("dara")
        j.switch_language()
        p.goto(j.url("/beneficiaries/"))
        p.wait_for_load_state("load")
        results = p.locator("#participant-results")
        expect(results).to_contain_text("Keo Sreymom")
        p.evaluate("window.notReloaded = true")

        box = p.get_by_role("searchbox", name=j.tr("Search"))
        box.press_sequentially("Sopheap", delay=40)
        expect(results).to_contain_text("Chan Sophep (ចាន់ សុភាព)")
        expect(results).not_to_contain_text("Keo Sreymom")
        expect(results.get_by_role("status")).to_have_text(j.ntr("%(num)d participant", "%(num)d participants",
                                                                 1))
        assert p.evaluate("window.notReloaded") is True, "the page was reloaded: the search was submitted"
        expect(p).to_have_url(j.url("/beneficiaries/?q=Sopheap"))
        export = p.get_by_role("link", name=j.tr("Export this list"))
        expect(export).to_have_attribute("href", "/beneficiaries/export.xlsx?q=Sopheap")
        screenshot(j, size["viewport"]["width"])

        # Part of a phone number, then a Khmer name with a sign missing.
        box.fill("345 678")
        expect(results).to_contain_text("BR-000001")
        expect(results).not_to_contain_text("Meas Dara")
        box.fill("សុភព")
        expect(results).to_contain_text("Chan Sophep (ចាន់ សុភាព)")
        expect(results).not_to_contain_text("Meas Dara")
        assert p.evaluate("window.notReloaded") is True

        # Clearing the box lists everyone again; two letters wait for a third (or for the button).
        box.fill("")
        expect(results).to_contain_text("Keo Sreymom")
        box.fill("Ke")
        p.wait_for_timeout(600)  # longer than the script waits after a key: nothing may have been fetched
        expect(results).to_contain_text("Meas Dara")
        j.press(p.get_by_role("button", name=j.tr("Search"), exact=True))
        expect(p).to_have_url(re.compile(r"/beneficiaries/\?q=Ke&"))  # submitted: every field, blank ones too
        expect(results).to_contain_text("Keo Sreymom")
        expect(results).not_to_contain_text("Meas Dara")
