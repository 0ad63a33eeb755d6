"""The app factory and its configuration."""
import pytest

from registry import create_app
from registry.config import from_environment
from tests.conftest import make_test_config


def test_test_config_is_used(app):
    assert app.testing
    assert app.config["SECRET_KEY"] == "test-secret"


def test_session_cookie_is_httponly_and_samesite_lax(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_environment_configuration(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://someone@db.example:5432/registry")
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "true")
    monkeypatch.setenv("PROXY_COUNT", "1")
    monkeypatch.setenv("MAX_CONTENT_MB", "5")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    config = from_environment(tmp_path)
    assert config["DATABASE_URL"] == "postgresql://someone@db.example:5432/registry"
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["PROXY_COUNT"] == 1
    assert config["MAX_CONTENT_LENGTH"] == 5 * 1024 * 1024


def test_default_database_is_sqlite_in_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = from_environment(tmp_path)
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path}/registry.sqlite3"
    assert config["SESSION_COOKIE_SECURE"] is False


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = from_environment(tmp_path)["SECRET_KEY"]
    second = from_environment(tmp_path)["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # readable by the owner only


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert from_environment(tmp_path)["SECRET_KEY"] == "from-env"
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("proxies, header, expected", [
    (0, "203.0.113.9", "127.0.0.1"),  # no proxy configured: the header is ignored
    (1, "203.0.113.9", "203.0.113.9"),
])
def test_forwarded_for_trusted_only_behind_a_configured_proxy(database_url, proxies, header, expected):
    app = create_app(make_test_config(database_url, PROXY_COUNT=proxies))

    @app.get("/_ip")
    def _ip():
        from flask import request

        return request.remote_addr

    _ip.is_public = True
    response = app.test_client().get("/_ip", headers={"X-Forwarded-For": header})
    assert response.get_data(as_text=True) == expected


def test_request_size_is_limited(database_url):
    app = create_app(make_test_config(database_url, MAX_CONTENT_LENGTH=1024))
    response = app.test_client().post("/login", data={"username": "x" * 4096, "password": "y"})
    assert response.status_code == 413
    assert b"larger than the registry accepts" in response.data
