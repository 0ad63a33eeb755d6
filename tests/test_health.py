"""GET /healthz answers load balancers without a login, and says when the database does not answer."""
from peewee import OperationalError

from registry.db import database


def test_health_check_is_public_and_plain(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "ok\n"
    assert "Set-Cookie" not in response.headers


def test_health_check_says_when_the_database_fails(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    client.get("/healthz")  # the connection is opened before the view; only the query fails
    monkeypatch.setattr(database.obj, "execute_sql", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "unavailable" in response.get_data(as_text=True)
