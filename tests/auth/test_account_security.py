"""Throttled sign-ins (idle sessions: test_page_sessions.py), the password policy, and a temporary password changed first."""
from datetime import timedelta

import pytest

from registry import create_app
from registry.audit.models import AuditEvent
from registry.auth.models import User
from registry.auth.passwords import is_common, password_problem
from registry.auth.throttle import LoginFailure, record_attempt
from registry.db import database
from registry.timeutil import utcnow
from tests.conftest import PASSWORD, make_test_config


def _fail(auth, username, times):
    for _ in range(times):
        auth.login(username, "not the password")


def test_five_failures_lock_the_username_even_with_the_right_password(client, auth, create_user):
    create_user("officer", username="dara")
    _fail(auth, "dara", 5)
    response = auth.login("dara")
    assert response.status_code == 429 and b"Too many failed sign-ins" in response.data
    assert client.get("/").status_code == 302  # not signed in
    assert AuditEvent.select().where(AuditEvent.action == "auth.login_throttled").count() == 1


def test_the_lock_ends_with_the_window_and_a_success_forgives(client, auth, create_user):
    create_user("officer", username="dara")
    _fail(auth, "dara", 5)
    LoginFailure.update(at=utcnow() - timedelta(minutes=16)).execute()  # the window has passed
    assert auth.login("dara").status_code == 302
    assert LoginFailure.select().where(LoginFailure.username == "dara").count() == 0


def test_four_failures_then_success_is_fine(auth, create_user):
    create_user("officer", username="dara")
    _fail(auth, "dara", 4)
    assert auth.login("dara").status_code == 302


def test_many_usernames_from_one_address_lock_the_address(auth, create_user):
    create_user("officer", username="dara")
    for n in range(20):
        auth.login(f"guess{n}", "not the password")
    assert auth.login("dara").status_code == 429


def test_the_failures_are_kept_in_the_database_across_app_instances(database_url, app, create_user):
    """Two workers (two app objects) see the same failures: nothing is kept in a worker's memory."""
    create_user("officer", username="dara")
    first = create_app(make_test_config(database_url)).test_client()
    second = create_app(make_test_config(database_url)).test_client()
    for client in (first, second, first, second, first):
        client.post("/login", data={"username": "dara", "password": "wrong one"})
    assert second.post("/login", data={"username": "dara", "password": PASSWORD}).status_code == 429


@pytest.mark.parametrize("password", ["password123", "Password2026!", "qwertyuiop", "1234567890", "cambodia2025",
                                      "Phnom Penh 123", "aaaaaaaaaaaa", "19/04/1987!!", "ILOVEYOU!!!!"])
def test_common_passwords_are_refused(app_ctx, password):
    assert is_common(password)
    assert "attackers try" in password_problem(password, "dara")


@pytest.mark.parametrize("password", ["correct horse battery", "rice field at dawn", "Sok's 3 mango trees"])
def test_uncommon_passwords_pass(app_ctx, password):
    assert password_problem(password, "dara") is None


def test_the_policy_still_refuses_short_ones_and_the_username(app_ctx):
    assert "at least 10" in password_problem("short", "dara")
    assert "username" in password_problem("dara-is-my-name", "dara")


def test_an_account_made_by_an_admin_must_choose_its_own_password(client, auth, app):
    auth.login_as("admin")
    client.post("/users/new", data={"username": "vanna", "full_name": "Vanna", "role": "officer", "language": "en",
                                    "new_password": "temporary pass phrase", "all_provinces": "y"})
    auth.logout()
    assert User.get(User.username == "vanna").must_change_password
    assert auth.login("vanna", "temporary pass phrase").status_code == 302
    response = client.get("/beneficiaries/")
    assert response.status_code == 302 and response.location == "/account"
    assert b"Choose your own password" in client.get("/account").data
    client.post("/account", data={"current_password": "temporary pass phrase", "new_password": "my own long phrase",
                                  "confirm": "my own long phrase"})
    assert not User.get(User.username == "vanna").must_change_password
    assert client.get("/beneficiaries/").status_code == 200


def test_a_reset_password_is_temporary_too_and_blocks_the_api(client, auth, create_user, bearer):
    target = create_user("officer", username="kim")
    headers = bearer(target)
    auth.login_as("admin")
    client.post(f"/users/{target.id}/password", data={"new_password": "an admin's choice"})
    assert User.get_by_id(target.id).must_change_password
    response = client.get("/api/v1/cohorts", headers=headers)
    assert response.status_code == 403 and "password" in response.get_json()["error"]


def test_attempts_refused_by_the_lock_do_not_prolong_it(auth, create_user):
    create_user("officer", username="dara")
    _fail(auth, "dara", 5)
    for _ in range(3):
        assert auth.login("dara").status_code == 429
    assert LoginFailure.select().where(LoginFailure.username == "dara").count() == 5


def test_an_attempt_is_never_recorded_inside_a_transaction(app_ctx):
    """Inside one it would stay invisible to the other workers until the end: they could all slip under the limit."""
    with database.connection_context(), database.atomic(), pytest.raises(RuntimeError, match="on its own"):
        record_attempt("dara", "127.0.0.1")
