"""A real browser's journey: sign in, switch to Khmer, sign out."""
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.conftest import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_sign_in_switch_to_khmer_and_sign_out(page, create_user):
    """An officer signs in, reads the home page in Khmer, then signs out."""
    create_user("officer", username="dara", full_name="Dara Sok")
    p, base = page.page, page.base_url

    p.goto(base)
    expect(p).to_have_url(re.compile(rf"^{re.escape(base)}/login"))
    p.fill("input[name=username]", "dara")
    p.fill("input[name=password]", PASSWORD)
    p.click("main form [type=submit]")
    expect(p.locator("h1")).to_contain_text("Welcome, Dara Sok")
    expect(p.locator("main")).to_contain_text("Program officer")

    p.click("button[name=language][value=km]")
    expect(p.locator("html")).to_have_attribute("lang", "km")
    expect(p.locator("h1")).to_contain_text("សូមស្វាគមន៍ Dara Sok")
    expect(p.locator("main")).to_contain_text("មន្ត្រីកម្មវិធី")
    font = p.request.get(f"{base}/fonts/noto-sans-khmer.woff2")
    assert font.status == 200 and font.headers["content-type"] == "font/woff2"
    ARTIFACTS.mkdir(exist_ok=True)
    p.screenshot(path=str(ARTIFACTS / "home-km.png"), full_page=True)

    p.click('form[action="/logout"] button')
    expect(p).to_have_url(re.compile(rf"^{re.escape(base)}/login"))
