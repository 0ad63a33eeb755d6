"""Server-side page sessions: signing out ends the session itself, not only the cookie; idle time is kept in the database."""
import json
import shutil
from datetime import timedelta

import pytest

from registry import create_app, timeutil
from registry.audit.models import AuditEvent
from registry.auth.models import User
from registry.auth.page_sessions import UserSession
from registry.db import database
from registry.maintenance.backup import backup_database, restore_database
from tests.conftest import PASSWORD, TEST_DATABASE_URL, make_test_config


class Clock:
    """The time the session rules read, moved by hand."""

    def __init__(self):
        self.now = timeutil.utcnow()

    def advance(self, **delta):
        """Move the clock forward, e.g. advance(seconds=75)."""
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock for registry.timeutil.utcnow (the one the session records and rules use)."""
    frozen = Clock()
    monkeypatch.setattr(timeutil, "utcnow", lambda: frozen.now)
    return frozen


def sign_in(client, username):
    """Post the sign-in form; return the session cookie's value the answer set."""
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return client.get_cookie("session").value


def replay(app, cookie, url="/"):
    """GET a page in a new browser that sends a copied session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get(url)


def logout_events():
    """The details of the sign-out audit events, oldest first."""
    return [json.loads(e.detail) for e in AuditEvent.select().where(AuditEvent.action == "auth.logout")
            .order_by(AuditEvent.id)]


def test_a_cookie_replayed_after_sign_out_opens_nothing(app, client, create_beneficiary):
    person = create_beneficiary()
    cookie = sign_in(client, "registrar")
    profile = f"/beneficiaries/{person.code}"
    assert replay(app, cookie, profile).status_code == 200  # the copy works while the session is open
    assert client.post("/logout").location == "/login"
    response = replay(app, cookie, profile)
    assert response.status_code == 302 and response.location.startswith("/login")
    [record] = UserSession.select()
    assert record.ended_at is not None and record.end_reason == "logout"
    assert logout_events() == [{}]


def test_a_cookie_replayed_after_sign_out_everywhere_opens_nothing(app, create_user):
    create_user("officer", username="dara")
    phone, laptop = app.test_client(), app.test_client()
    phone_cookie, laptop_cookie = sign_in(phone, "dara"), sign_in(laptop, "dara")
    assert laptop.post("/account/sign-out-everywhere").location == "/login"
    for cookie in (phone_cookie, laptop_cookie):
        assert replay(app, cookie).status_code == 302
    assert phone.get("/").status_code == 302
    assert {r.end_reason for r in UserSession.select()} == {"everywhere"}
    assert logout_events() == [{"everywhere": True}]


def test_each_sign_in_is_its_own_session(app, create_user):
    create_user("officer", username="dara")
    phone, laptop = app.test_client(), app.test_client()
    sign_in(phone, "dara")
    sign_in(laptop, "dara")
    phone.post("/logout")
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 200  # signing out on the phone leaves the laptop signed in


def test_the_cookie_holds_a_key_whose_hash_only_is_stored(app, client, create_user):
    user = create_user("officer", username="dara")
    sign_in(client, "dara")
    with client.session_transaction() as session:
        key = session["_user_id"]
    [record] = UserSession.select()
    assert key not in (str(user.id), User.get_by_id(user.id).session_token, record.key_hash)
    assert record.user_id == user.id and record.ip == "127.0.0.1" and record.last_seen_at == record.created_at


def test_a_password_change_ends_every_session_and_renews_this_one(app, client, create_user):
    create_user("officer", username="dara")
    other = app.test_client()
    old_cookie, _other_cookie = sign_in(client, "dara"), sign_in(other, "dara")
    client.post("/account", data={"current_password": PASSWORD, "new_password": "a much newer secret",
                                  "confirm": "a much newer secret"})
    assert client.get("/").status_code == 200  # this browser goes on, in a new session
    assert other.get("/").status_code == 302
    assert replay(app, old_cookie).status_code == 302  # a copy taken before the change is worth nothing
    reasons = sorted(r.end_reason for r in UserSession.select().order_by(UserSession.id))
    assert reasons == ["", "password_changed", "password_changed"]


def test_deactivation_ends_the_sessions_and_reactivation_does_not_revive_them(app, client, auth, create_user):
    target = create_user("officer", username="dara")
    other = app.test_client()
    cookie = sign_in(other, "dara")
    auth.login_as("admin")
    client.post(f"/users/{target.id}/active")
    assert replay(app, cookie).status_code == 302
    client.post(f"/users/{target.id}/active")
    assert User.get_by_id(target.id).active
    assert replay(app, cookie).status_code == 302
    assert UserSession.get(UserSession.user == target.id).end_reason == "deactivated"


def test_two_workers_see_the_same_session_end(database_url, app, create_user):
    """Two app objects stand in for two workers: the session's end is in the database, not in a worker."""
    create_user("officer", username="dara")
    config = make_test_config(database_url)
    first, second = create_app(config).test_client(), create_app(config).test_client()
    cookie = sign_in(first, "dara")
    second.set_cookie("session", cookie)
    assert second.get("/").status_code == 200
    first.post("/logout")
    assert second.get("/").status_code == 302


def test_the_cookie_from_the_sign_in_redirect_times_out_too(app, client, create_user, clock):
    """No request after sign-in: the idle time runs from the sign-in itself."""
    app.config["IDLE_TIMEOUT_MINUTES"] = 1
    create_user("officer", username="dara")
    sign_in(client, "dara")
    clock.advance(seconds=75)
    response = client.get("/beneficiaries/")
    assert response.status_code == 302 and response.location.startswith("/login?next=")
    assert client.get("/").status_code == 302
    [record] = UserSession.select()
    assert record.end_reason == "idle"
    assert logout_events() == [{"reason": "idle"}]


def test_an_idle_session_ends_in_every_worker(database_url, app, create_user, clock):
    create_user("officer", username="dara")
    config = make_test_config(database_url)
    first, second = create_app(config).test_client(), create_app(config).test_client()
    cookie = sign_in(first, "dara")
    second.set_cookie("session", cookie)
    clock.advance(minutes=31)
    assert first.get("/").status_code == 302
    clock.advance(seconds=1)
    assert second.get("/").status_code == 302


def test_an_active_session_stays_and_last_seen_is_written_once_a_minute(client, create_user, clock):
    create_user("officer", username="dara")
    sign_in(client, "dara")
    signed_in_at = clock.now
    clock.advance(seconds=30)
    assert client.get("/").status_code == 200
    assert UserSession.get().last_seen_at == signed_in_at  # not a write for every page
    for _ in range(4):  # a request every 15 minutes keeps it alive
        clock.advance(minutes=15)
        assert client.get("/").status_code == 200
    assert UserSession.get().last_seen_at == clock.now
    assert logout_events() == []


def test_the_api_has_no_page_session(client, create_user, bearer):
    user = create_user("officer", username="dara")
    assert client.get("/api/v1/cohorts", headers=bearer(user)).status_code == 200
    assert UserSession.select().count() == 0


@pytest.mark.skipif(not (shutil.which("pg_dump") and shutil.which("pg_restore")) and bool(TEST_DATABASE_URL),
                    reason="pg_dump and pg_restore are not installed")
def test_a_restore_does_not_bring_back_a_signed_out_session(app, client, create_user, tmp_path):
    create_user("admin", username="boss")
    cookie = sign_in(client, "boss")
    path = tmp_path / "registry.backup"
    with app.app_context():
        backup_database(database.obj, path)  # the session is open in the backup
    client.post("/logout")
    with app.app_context():
        restore_database(database.obj, path)
    assert replay(app, cookie).status_code == 302
    assert UserSession.get().end_reason == "restore"
