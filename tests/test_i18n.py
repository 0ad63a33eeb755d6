"""English and Khmer: the switch, the account's language, and a complete Khmer catalog."""
from pathlib import Path

from babel.messages.pofile import read_po

from registry.auth.models import User

CATALOG = Path(__file__).parent.parent / "registry" / "translations" / "km" / "LC_MESSAGES" / "messages.po"


def test_language_switch_is_kept_on_the_account(client, auth):
    user = auth.login_as("officer", full_name="Dara Sok")
    response = client.post("/language", data={"language": "km", "next": "/"})
    assert response.location == "/"
    assert User.get_by_id(user.id).language == "km"
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="km">' in page
    assert "សូមស្វាគមន៍" in page and "Dara Sok" in page


def test_account_language_applies_at_sign_in(client, auth):
    auth.login_as("trainer", language="km")
    assert '<html lang="km">' in client.get("/").get_data(as_text=True)


def test_anonymous_language_choice_is_kept_in_the_session(client):
    client.post("/language", data={"language": "km"})
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="km">' in page and "ចូលប្រព័ន្ធ" in page


def test_browser_language_is_the_default(client):
    page = client.get("/login", headers={"Accept-Language": "km-KH,km;q=0.9"}).get_data(as_text=True)
    assert '<html lang="km">' in page


def test_unknown_language_is_ignored(client, auth):
    user = auth.login_as("officer")
    client.post("/language", data={"language": "fr"})
    assert User.get_by_id(user.id).language == "en"


def test_khmer_catalog_translates_every_message():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    missing = [m.id for m in catalog if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not missing, f"untranslated: {missing}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_khmer_font_is_served_by_the_app(client):
    response = client.get("/fonts/noto-sans-khmer.ttf")
    assert response.status_code == 200 and response.mimetype == "font/ttf"
    assert len(response.data) > 100_000
