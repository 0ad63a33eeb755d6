"""English and Khmer: the switch, the account's language and the Khmer font.

The catalog's completeness, the strings marked for translation, dates, numbers and workbooks in the
user's language are tested in tests/i18n/.
"""
from registry.auth.models import User


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


def test_khmer_font_is_served_by_the_app(client):
    response = client.get("/fonts/noto-sans-khmer.woff2")
    assert response.status_code == 200 and response.mimetype == "font/woff2"
    assert response.data[:4] == b"wOF2" and len(response.data) > 20_000
