"""A real browser's journey: register a participant, then a likely duplicate, open the match, register anyway."""
import re
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.conftest import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CONSENT_DAY = "2026-03-01"


def watch(page, base_url, problems):
    """Append to problems a page's console errors, page errors and requests to other hosts, as they happen.

    The `page` fixture only watches the first tab; this gives a tab opened later the same checks.
    """
    host = urlsplit(base_url).netloc
    page.on("console", lambda msg: problems.append(f"console: {msg.text} ({msg.location['url']})")
            if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    page.on("request", lambda req: problems.append(f"request to another host: {req.url}")
            if not req.url.startswith("data:") and urlsplit(req.url).netloc != host else None)


def fill_participant(p, family, given, *, family_km="", given_km="", phone=""):
    """Fill the registration form; the other answers are the same for every participant of this journey."""
    p.get_by_label("Family name (Latin letters)", exact=True).fill(family)
    p.get_by_label("Given name (Latin letters)", exact=True).fill(given)
    p.get_by_label("Family name (Khmer)", exact=True).fill(family_km)
    p.get_by_label("Given name (Khmer)", exact=True).fill(given_km)
    p.get_by_label("Sex", exact=True).select_option("female")
    p.get_by_label("Date of birth", exact=True).fill("2001-03-15")
    p.get_by_label("Phone", exact=True).fill(phone)
    p.get_by_label("Province", exact=True).select_option("02")
    p.get_by_label("Category", exact=True).select_option("returned_migrant")
    p.get_by_label("Consents to the use of their data", exact=True).check()
    p.get_by_label("Date of consent", exact=True).fill(CONSENT_DAY)


def test_register_a_likely_duplicate_after_checking_the_match(page, create_user):
    """An officer registers Sok Chanthy, is warned that Sokh Chanthi may be her, checks, and registers anyway."""
    create_user("officer", provinces={"02"}, username="dara", full_name="Dara Sok")
    p, base = page.page, page.base_url

    p.goto(f"{base}/login")
    p.get_by_label("Username").fill("dara")
    p.get_by_label("Password").fill(PASSWORD)
    p.locator("main form [type=submit]").click()
    expect(p.locator("h1")).to_contain_text("Welcome, Dara Sok")

    p.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Participants", exact=True).click()
    expect(p).to_have_url(f"{base}/beneficiaries/")
    expect(p.get_by_role("heading", level=1)).to_have_text("Participants")
    p.get_by_role("link", name="Register a participant").click()
    expect(p.get_by_role("heading", level=1)).to_have_text("Register a participant")

    # The first participant: saved straight away, no one like her yet.
    fill_participant(p, "Sok", "Chanthy", family_km="សុខ", given_km="ចាន់ធី", phone="012 345 678")
    p.get_by_role("button", name="Save").click()
    expect(p).to_have_url(f"{base}/beneficiaries/BR-000001")
    expect(p.get_by_role("heading", level=1)).to_have_text("Sok Chanthy (សុខ ចាន់ធី)")
    expect(p.locator("main .badge").first).to_have_text("BR-000001")
    expect(p.get_by_role("alert")).to_contain_text("is registered as BR-000001")

    # A similar person: the form warns before saving.
    p.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Participants", exact=True).click()
    p.get_by_role("link", name="Register a participant").click()
    fill_participant(p, "Sokh", "Chanthi")
    p.get_by_role("button", name="Save").click()
    warning = p.get_by_role("region", name="This person may already be registered")
    expect(warning).to_be_visible()
    match_row = warning.get_by_role("row").filter(has=p.get_by_role("link", name="BR-000001"))
    expect(match_row).to_have_count(1)
    expect(match_row).to_contain_text("Sok Chanthy (សុខ ចាន់ធី)")
    expect(match_row).to_contain_text("similar name in Latin letters")
    expect(match_row).to_contain_text("same date of birth")
    # Nothing was saved: the form is still filled in, on the registration page.
    expect(p).to_have_url(f"{base}/beneficiaries/new")
    expect(p.get_by_label("Family name (Latin letters)", exact=True)).to_have_value("Sokh")
    expect(p.get_by_label("Date of birth", exact=True)).to_have_value("2001-03-15")
    ARTIFACTS.mkdir(exist_ok=True)
    p.screenshot(path=str(ARTIFACTS / "duplicate-warning.png"), full_page=True)

    # The match opens in a new tab (target=_blank), watched like the first one from its creation.
    problems = []
    p.context.on("page", lambda new_page: watch(new_page, base, problems))
    with p.context.expect_page() as new_page_info:
        match_row.get_by_role("link", name="BR-000001").click()
    match_page = new_page_info.value
    match_page.wait_for_load_state()
    expect(match_page).to_have_url(f"{base}/beneficiaries/BR-000001")
    expect(match_page).to_have_title(re.compile(r"^BR-000001 "))
    expect(match_page.get_by_role("heading", level=1)).to_have_text("Sok Chanthy (សុខ ចាន់ធី)")
    expect(match_page.locator("main .badge").first).to_have_text("BR-000001")
    match_page.close()
    assert not problems, f"the match's tab: {problems}"

    # Back on the first tab: a different person after all.
    p.bring_to_front()
    warning.get_by_role("button", name="Register anyway").click()
    expect(p).to_have_url(f"{base}/beneficiaries/BR-000002")
    expect(p.get_by_role("heading", level=1)).to_have_text("Sokh Chanthi")
    expect(p.locator("main .badge").first).to_have_text("BR-000002")
    expect(p.get_by_role("alert")).to_contain_text("is registered as BR-000002")
