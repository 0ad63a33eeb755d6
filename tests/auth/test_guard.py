"""The guard: a login everywhere, the role per blueprint, the province scope."""
import pytest

from registry.auth.guard import guard_blueprint, has_role
from registry.auth.models import ROLES, User
from registry.web.scope import check_scope, scoped
from tests.routes import routes


def test_every_private_page_sends_anonymous_users_to_login(app, client):
    private = [(endpoint, url) for endpoint, url, public in routes(app, "GET")
               if not public and not url.startswith("/api/")]
    assert private, "the URL map has no private pages"
    for endpoint, url in private:
        response = client.get(url)
        assert response.status_code == 302, endpoint
        assert response.location.startswith("/login?next="), endpoint


def test_every_private_post_sends_anonymous_users_to_login(app, client):
    for endpoint, url, public in routes(app, "POST"):
        if not public and not url.startswith("/api/"):
            assert client.post(url).status_code == 302, endpoint


@pytest.mark.parametrize("method", ["GET", "POST", "PATCH", "PUT"])
def test_every_api_endpoint_answers_401_without_a_token(app, client, method):
    endpoints = [(endpoint, url) for endpoint, url, public in routes(app, method)
                 if url.startswith("/api/") and not public]
    assert endpoints, f"no API endpoint answers {method}"
    for endpoint, url in endpoints:
        response = client.open(url, method=method, json={})
        assert response.status_code == 401 and response.is_json, endpoint
        assert response.headers["WWW-Authenticate"] == "Bearer", endpoint


def test_public_pages_are_only_the_expected_ones(app):
    public = {endpoint for method in ("GET", "POST") for endpoint, _url, is_public in routes(app, method) if is_public}
    # The app shell (manifest, service worker, offline page) is public: the browser fetches it without a session,
    # and it holds no one's data.
    assert public == {"auth.login", "auth.set_language", "files.khmer_font", "api_docs.openapi_json", "api_docs.page",
                      "health.healthz", "shell.manifest", "shell.service_worker", "shell.offline"}


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
@pytest.mark.parametrize("url", ["/users/", "/users/new"])
def test_account_pages_refuse_other_roles(client, auth, role, url):
    auth.login_as(role)
    response = client.get(url)
    assert response.status_code == 403
    assert b"Not allowed" in response.data


def test_account_page_posts_refuse_other_roles(client, auth, create_user):
    target = create_user("trainer")
    auth.login_as("officer")
    for url in (f"/users/{target.id}", f"/users/{target.id}/active", f"/users/{target.id}/password"):
        assert client.post(url).status_code == 403, url
    assert User.get_by_id(target.id).active


def test_guard_blueprint_allows_listed_roles(app, auth, client):
    from flask import Blueprint

    bp = guard_blueprint(Blueprint("probe", __name__), "manager", "officer")
    bp.add_url_rule("/probe", "probe", lambda: "ok")
    app.register_blueprint(bp)
    auth.login_as("manager")
    assert client.get("/probe").status_code == 200
    auth.logout()
    auth.login_as("trainer")
    assert client.get("/probe").status_code == 403


def test_scope_helpers(app, create_user):
    from flask_login import login_user
    from werkzeug.exceptions import NotFound

    from registry.reference.models import Province

    officer = create_user("officer", provinces={"02"})
    with app.test_request_context():
        login_user(officer)
        assert has_role("officer") and not has_role("admin")
        check_scope("02")
        with pytest.raises(NotFound):
            check_scope("17")
        assert [p.code for p in scoped(Province.select(), Province.code)] == ["02"]


def test_user_with_all_provinces_sees_every_province(app, create_user):
    from flask_login import login_user

    from registry.reference.models import Province

    manager = create_user("manager", provinces=None)
    with app.test_request_context():
        login_user(manager)
        check_scope("17")
        assert scoped(Province.select(), Province.code).count() == 25
