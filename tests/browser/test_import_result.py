"""A real browser's import, in English and in Khmer: no button that cannot act, and new codes that lead somewhere.

An officer uploads a sheet with no good row (the import button is disabled and says why), then a good sheet
(the result lists the new participants' codes as links to their profiles).
"""
import pytest
from playwright.sync_api import expect

from tests.beneficiaries.sheets import person, sheet
from tests.browser.journey import LANGUAGES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(j, name, data):
    """Choose a file on the import page (its button waits for one) and send it; wait for the checked report."""
    p = j.page
    p.goto(j.url("/beneficiaries/import/"))
    button = p.get_by_role("button", name=j.tr("Upload and check"))
    expect(button).to_be_disabled()
    expect(p.locator("#upload-reason")).to_be_visible()
    p.get_by_label(j.tr("Excel file (.xlsx, up to 10 MB)")).set_input_files(
        {"name": name, "mimeType": XLSX, "buffer": data})
    expect(button).to_be_enabled()
    expect(p.locator("#upload-reason")).to_be_hidden()
    j.press(button)
    # The check runs in a thread; the page polls and reloads itself when it ends.
    expect(p.get_by_role("heading", name=j.tr("Check report"))).to_be_visible()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_import_without_dead_ends(open_journey, create_user, lang):
    create_user("officer", username="dara", full_name="Dara Sok", provinces={"02"})
    with open_journey(lang) as j:
        p = j.page
        j.sign_in("dara")
        j.switch_language()

        upload(j, "bad.xlsx", sheet(person(Sex="?"), person(Province="17")))
        confirm = p.locator("#confirm-button")
        expect(confirm).to_be_disabled()
        expect(confirm).to_have_accessible_description(j.tr(
            "No row is ready to import: every row has a problem listed below. Correct the file and upload it again."))
        j.shot("import-nothing-ready")

        upload(j, "good.xlsx", sheet(person(), person(**{"Given name": "Dara", "Date of birth": "1990-05-01"})))
        expect(confirm).to_be_enabled()
        j.press(confirm)
        expect(p.get_by_role("heading", name=j.ntr("%(num)d new participant", "%(num)d new participants", 2)))\
            .to_be_visible()
        j.shot("import-done")
        j.press(p.get_by_role("link", name="BR-000002", exact=True))
        expect(p).to_have_url(j.url("/beneficiaries/BR-000002"))
        expect(j.heading()).to_have_text("Sok Dara")
