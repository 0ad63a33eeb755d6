"""The installable app shell: the manifest, the service worker's script and the offline page (server side).

What the service worker does in a browser is tested in tests/browser/test_app_shell.py.
"""
import json
import re
import struct

from registry.main.app_shell import ICONS
from tests.test_page_weight import FILES

PERSONAL_PAGES = re.compile(r"^/(beneficiaries|cohorts|sessions|follow-ups|reports|users|audit|account|api)\b|^/$")


def _worker_constants(client):
    """(cache name, shell URLs, offline URL) as the served service worker states them."""
    source = client.get("/sw.js").get_data(as_text=True)
    cache = re.search(r'const CACHE = PREFIX \+ (".*?");', source).group(1)
    shell = re.search(r"const SHELL = (\[.*?\]);", source).group(1)
    offline = re.search(r'const OFFLINE = (".*?");', source).group(1)
    return json.loads(cache), json.loads(shell), json.loads(offline)


def test_the_manifest_names_the_app_in_the_language_asked_with_icons_that_are_there(client):
    for lang in ("en", "km", "xx"):
        response = client.get(f"/manifest.webmanifest?lang={lang}")
        assert response.status_code == 200 and response.mimetype == "application/manifest+json"
        manifest = response.get_json(force=True)
        assert manifest["lang"] == ("km" if lang == "km" else "en")
        assert manifest["start_url"] == "/" and manifest["scope"] == "/" and manifest["display"] == "standalone"
        assert manifest["theme_color"] == "#0d6efd" and manifest["name"] and manifest["short_name"]
        assert {(i["sizes"], i["purpose"]) for i in manifest["icons"]} == {
            ("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
        for icon in manifest["icons"]:
            png = client.get(icon["src"])
            assert png.status_code == 200 and png.mimetype == "image/png", icon
            width, height = struct.unpack(">II", png.get_data()[16:24])
            assert f"{width}x{height}" == icon["sizes"], icon


def test_every_page_links_the_manifest_in_its_language_and_the_shell_scripts(client, auth):
    page = client.get("/login").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest?lang=en">' in page
    assert 'data-service-worker="/sw.js"' in page and "data-user-id" not in page
    assert '<script src="/static/js/app-shell.js"></script>' in page
    user = auth.login_as("trainer")
    client.post("/language", data={"language": "km"})
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest?lang=km">' in page
    assert f'data-user-id="{user.id}"' in page and 'id="offline-badge"' in page


def test_the_worker_is_served_from_the_root_and_never_stored(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-store"  # a browser always sees a new version


def test_the_worker_keeps_only_the_shell_and_no_page_with_peoples_data(client):
    cache, shell, offline = _worker_constants(client)
    assert re.fullmatch(r"[0-9a-f]{18}", cache) and offline == "/offline"
    pages = [url for url in shell if client.get(url).mimetype == "text/html"]
    assert pages == ["/offline"], "the only page the worker keeps is the offline page"
    assert not [url for url in shell if PERSONAL_PAGES.search(url)]
    for url in shell:
        assert client.get(url).status_code == 200, url


def test_the_cache_version_changes_with_a_file_of_the_shell(app, client, monkeypatch):
    from registry.main import app_shell

    before, _shell, _offline = _worker_constants(client)
    assert _worker_constants(client)[0] == before  # stable between requests
    app_shell._files_digest.cache_clear()
    monkeypatch.setattr(app_shell, "STATIC_SHELL", app_shell.STATIC_SHELL[1:])
    assert _worker_constants(client)[0] != before
    app_shell._files_digest.cache_clear()


def test_the_offline_page_says_there_is_no_connection_names_no_one_and_needs_no_login(client, auth):
    user = auth.login_as("officer", full_name="Sok Chanthy")
    page = client.get("/offline").get_data(as_text=True)
    assert "No connection" in page and 'lang="en"' in page and 'lang="km"' in page
    assert "Sok Chanthy" not in page and "csrf_token" not in page and str(user.username) not in page
    auth.logout()
    assert client.get("/offline").status_code == 200


def test_the_login_page_erases_the_offline_store_only_after_a_sign_out(client, auth):
    auth.login_as("trainer")
    client.post("/logout")
    assert "data-erase-offline" in client.get("/login").get_data(as_text=True)
    assert "data-erase-offline" not in client.get("/login").get_data(as_text=True)  # once


def test_the_icons_in_static_are_the_ones_the_manifest_lists():
    assert {src for src, _size, _purpose in ICONS} == {
        f"icons/{p.name}" for p in (FILES / "icons").glob("*.png")}


def test_the_worker_loads_the_store_and_the_sender_from_the_shell_it_keeps(client):
    source = client.get("/sw.js").get_data(as_text=True)
    scripts = json.loads(re.search(r"importScripts\.apply\(self, (\[.*?\])\);", source).group(1))
    _cache, shell, _offline = _worker_constants(client)
    assert scripts == ["/static/js/offline-store.js", "/static/js/offline-send.js"]
    assert set(scripts) <= set(shell)
    assert 'addEventListener("sync"' in source


def test_the_offline_page_holds_the_attendance_words_in_every_language(app, client):
    from flask_babel import force_locale, gettext

    page = client.get("/offline").get_data(as_text=True)
    for lang in app.config["LANGUAGES"]:
        with app.test_request_context(), force_locale(lang):
            save, waiting = gettext("Save"), gettext("waiting")
        words = re.search(rf'<div data-offline-words lang="{lang}"[^>]*>', page, re.S).group(0)
        assert f'data-save="{save}"' in words and f'data-waiting="{waiting}"' in words, lang
    assert page.count("data-signed-out") == len(app.config["LANGUAGES"])


def test_the_offline_page_holds_the_follow_up_form_in_every_language(app, client):
    from flask_babel import force_locale, gettext

    page = client.get("/offline").get_data(as_text=True)
    sections = re.findall(r'<section data-offline-followups lang="(\w+)".*?</section>', page, re.S)
    assert sections == [app.config["BABEL_DEFAULT_LOCALE"]] + [
        lang for lang in app.config["LANGUAGES"] if lang != app.config["BABEL_DEFAULT_LOCALE"]]
    for lang in app.config["LANGUAGES"]:
        with app.test_request_context(), force_locale(lang):
            heading, back = gettext("Follow-up calls kept on this phone"), gettext("Back to the list")
        section = re.search(rf'<section data-offline-followups lang="{lang}".*?</section>', page, re.S).group(0)
        assert heading in section and back in section, lang
