"""Security headers on every answer; only the static assets may be cached."""
from registry.web.security_headers import CONTENT_SECURITY_POLICY
from tests.routes import routes


def test_pages_carry_the_headers_and_are_not_stored(client, auth, create_beneficiary):
    person = create_beneficiary()
    auth.login_as("officer")
    for url in ("/", f"/beneficiaries/{person.code}", "/beneficiaries/export.xlsx", "/nowhere", "/login"):
        response = client.get(url)
        headers = response.headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "script-src 'self'" in headers["Content-Security-Policy"] and "unsafe-inline" not in \
            headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cache-Control"] == "no-store", url


def test_every_get_route_answers_with_no_store_for_an_admin(app, client, auth):
    auth.login_as("admin")
    for endpoint, url, _public in routes(app, "GET"):
        response = client.get(url)
        if endpoint in ("files.khmer_font", "shell.manifest"):
            continue
        assert response.headers["Cache-Control"] == "no-store", endpoint
        assert "Content-Security-Policy" in response.headers, endpoint


def test_the_api_carries_them_too(client, create_user, bearer):
    response = client.get("/api/v1/programs", headers=bearer(create_user("admin")))
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_static_assets_are_cached(client):
    for url in ("/static/css/registry.css", "/bootstrap/static/css/bootstrap.min.css", "/fonts/noto-sans-khmer.woff2"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "max-age=604800" in response.headers["Cache-Control"] and "public" in response.headers["Cache-Control"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_template_holds_an_inline_script_or_style():
    import re
    from pathlib import Path

    for path in Path("templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path
        assert not re.search(r"\sstyle=\"|<style|\son[a-z]+=\"", text), path
