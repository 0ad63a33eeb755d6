"""The audit log as an admin reads it, in English and Khmer, at 1280 and 360 px: sentences, names, links,
a before/after table, times in Phnom Penh, nothing scrolling sideways on a phone.

With JOURNEY_SCREENSHOTS set (a folder, e.g. docs/screenshots) the pictures are audit-log-<lang>-<width>.png.
"""
import json
from datetime import datetime

import pytest
from playwright.sync_api import expect

from registry.audit.models import AuditEvent
from tests.browser.journey import DESKTOP, FONTS_LOADED, LANGUAGES, PHONE, SCREENSHOTS

WIDTHS = {1280: DESKTOP, 360: PHONE}


@pytest.fixture
def logged_world(app, create_user, create_beneficiary):
    """Sophea the admin; Dara Sok, an officer who registered, viewed and corrected Chanthy's record at 20:00 UTC."""
    create_user("admin", username="sophea", full_name="Sophea Lim")
    dara = create_user("officer", username="dara", full_name="Dara Sok")
    person = create_beneficiary(given_name="Chanthy")
    evening = datetime(2026, 3, 1, 20, 0)  # 03:00 on 2 March in Phnom Penh
    with app.app_context():
        for action, detail in (("beneficiary.view", {}), ("beneficiary.update", {
                "category": ["returned_migrant", "at_risk"], "phone": ["+85512345678", "+85598765432"]})):
            AuditEvent.create(at=evening, user=dara.id, username="dara", action=action, object_type="beneficiary",
                              object_id=str(person.id), ip="10.0.0.7", detail=json.dumps(detail))
    return person


def shoot(j, lang, width):
    """Save the page as audit-log-<lang>-<width>.png once fonts are in, after the guard's check."""
    j.guard.check()
    j.page.evaluate(FONTS_LOADED)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    j.page.screenshot(path=str(SCREENSHOTS / f"audit-log-{lang}-{width}.png"), full_page=True,
                      animations="disabled", caret="hide")


@pytest.mark.parametrize("width", sorted(WIDTHS, reverse=True))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_admin_reads_the_audit_log_as_sentences(open_journey, logged_world, lang, width):
    person = logged_world
    with open_journey(lang, **WIDTHS[width]) as j:
        p, tr = j.page, j.tr
        j.sign_in("sophea")
        j.switch_language()
        p.goto(j.url("/audit/?user=dara"))
        expect(j.heading()).to_have_text(tr("Audit log"))

        view = p.locator('tr[data-action="beneficiary.view"]').first
        expect(view).to_contain_text(tr("%(actor)s viewed the record of %(subject)s.", actor="Dara Sok",
                                        subject=person.code))
        expect(view.get_by_role("link", name=person.code, exact=True)).to_have_attribute(
            "href", f"/beneficiaries/{person.code}")
        change = p.locator('tr[data-action="beneficiary.update"]').first
        category = change.get_by_role("row").filter(
            has=p.get_by_role("rowheader", name=tr("Category"), exact=True))
        expect(category).to_contain_text(tr("Returned migrant"))
        expect(category).to_contain_text(tr("At risk of unsafe migration"))
        expect(change).not_to_contain_text("returned_migrant")
        expect(p.get_by_role("main")).to_contain_text("Asia/Phnom_Penh (UTC+07:00)")

        # The day filter is a Phnom Penh day: 20:00 UTC on 1 March is found on 2 March, not on 1 March.
        p.goto(j.url("/audit/?user=dara&date_from=2026-03-02&date_to=2026-03-02"))
        expect(p.locator("tr[data-action]")).to_have_count(2)
        p.goto(j.url("/audit/?user=dara&date_from=2026-03-01&date_to=2026-03-01"))
        expect(p.locator("tr[data-action]")).to_have_count(0)

        p.goto(j.url("/audit/?user=dara"))
        expect(p.locator("tr[data-action]").first).to_be_visible()
        j.no_sideways_scroll()
        shoot(j, lang, width)
