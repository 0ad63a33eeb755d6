"""CSRF: every form post without a valid token is refused."""
import pytest

from registry import create_app
from tests.conftest import PASSWORD, make_test_config
from tests.routes import routes


@pytest.fixture
def csrf_client(database_url, app, create_user):
    """A client of an app with CSRF protection on, signed in as an admin."""
    create_user("admin", username="csrf-admin")
    csrf_app = create_app(make_test_config(database_url, WTF_CSRF_ENABLED=True))
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/login", data={"username": "csrf-admin", "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302
    return client


def test_every_post_without_a_token_is_refused(app, csrf_client):
    posts = routes(app, "POST")
    assert len(posts) >= 6
    for endpoint, url, _public in posts:
        response = csrf_client.post(url, data={"language": "km", "username": "x", "password": "y"})
        if url.startswith("/api/"):  # the browser's session cookie does not sign the API in: nothing to forge
            assert response.status_code == 401, endpoint
            continue
        assert response.status_code == 400, endpoint
        assert b"The form has expired" in response.data, endpoint


def test_the_api_takes_a_bearer_token_instead_of_a_csrf_token(database_url, app, create_user, bearer):
    headers = bearer(create_user("admin"))
    client = create_app(make_test_config(database_url, WTF_CSRF_ENABLED=True)).test_client()
    response = client.post("/api/v1/programs", json={"name": "Tailoring"}, headers=headers)
    assert response.status_code == 201, response.get_json()


def test_login_without_a_token_is_refused(database_url, app):
    client = create_app(make_test_config(database_url, WTF_CSRF_ENABLED=True)).test_client()
    response = client.post("/login", data={"username": "x", "password": "y"})
    assert response.status_code == 400
