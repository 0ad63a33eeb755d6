"""Error pages: clear words, the right status, no stack trace."""
from registry import create_app
from tests.conftest import make_test_config


def test_404_page(client, auth):
    auth.login_as("officer")
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"There is no such page" in response.data


def test_500_page_hides_the_error(database_url, app):
    broken = create_app(make_test_config(database_url, TESTING=False))

    @broken.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    boom.is_public = True
    response = broken.test_client().get("/boom")
    assert response.status_code == 500
    assert b"Something went wrong" in response.data
    assert b"secret internals" not in response.data and b"Traceback" not in response.data


def test_error_pages_are_translated(client):
    client.post("/language", data={"language": "km"})
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert '<html lang="km">' in response.get_data(as_text=True)


def test_api_errors_are_json(bearer, client, create_user):
    headers = bearer(create_user("manager", provinces={"17"}))
    response = client.get("/api/v1/reports/indicators?start=2025-10-01&end=2025-12-31&province=02", headers=headers)
    assert response.status_code == 403 and response.is_json and "error" in response.get_json()
    missing = client.get("/api/v1/nothing-here", headers=headers)
    assert missing.status_code == 404 and missing.is_json
