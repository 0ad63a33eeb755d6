"""Changing one's own password: a temporary password cannot be kept, and the current password cannot be guessed."""
import pytest

from registry.audit.models import AuditEvent
from registry.auth import services
from registry.auth.models import User
from registry.auth.passwords import password_problem
from tests.conftest import PASSWORD

TEMPORARY = "temporary pass phrase"


def _change(client, current, new, confirm=None):
    return client.post("/account", data={"current_password": current, "new_password": new,
                                         "confirm": new if confirm is None else confirm})


@pytest.fixture
def temporary_user(client, auth, create_user):
    """A user signed in with a temporary password an admin gave them."""
    user = create_user("officer", username="vanna", password=TEMPORARY, temporary=True)
    assert auth.login("vanna", TEMPORARY).status_code == 302
    return user


@pytest.mark.parametrize("new", [TEMPORARY, "Temporary Pass Phrase", "temporarypassphrase "])
def test_a_temporary_password_cannot_be_kept(client, temporary_user, new):
    before = User.get_by_id(temporary_user.id).password_hash
    response = _change(client, TEMPORARY, new)
    assert response.status_code == 200
    assert b"must differ from the current one" in response.data
    user = User.get_by_id(temporary_user.id)
    assert user.must_change_password and user.password_hash == before
    assert client.get("/beneficiaries/").location == "/account"  # still sent to choose one


def test_a_new_password_different_from_the_temporary_one_is_taken(client, temporary_user):
    assert _change(client, TEMPORARY, "my own long phrase").status_code == 302
    assert not User.get_by_id(temporary_user.id).must_change_password


def test_the_policy_refuses_the_current_password(app_ctx):
    assert "must differ" in password_problem("correct horse battery", "dara", current="Correct Horse Battery")
    assert password_problem("correct horse battery", "dara", current="another long phrase") is None
    assert password_problem("correct horse battery", "dara") is None  # no current one: an admin's choice


def test_the_service_refuses_the_current_password_whatever_the_form(app, create_user):
    user = create_user("officer", username="dara")
    with app.test_request_context("/account", method="POST"):
        with pytest.raises(services.PasswordRefused, match="must differ"):
            services.change_own_password(User.get_by_id(user.id), PASSWORD, PASSWORD)
    assert User.get_by_id(user.id).password_hash == user.password_hash


def test_wrong_current_passwords_are_throttled_and_audited(client, auth, create_user):
    user = auth.login_as("officer", username="dara")
    for _ in range(5):
        response = _change(client, "not the password", "my own long phrase")
        assert b"The current password is wrong" in response.data
    assert AuditEvent.select().where(AuditEvent.action == "auth.password_change_failed").count() == 5
    response = _change(client, PASSWORD, "my own long phrase")  # the right one, but too late
    assert response.status_code == 429 and b"Too many failed sign-ins" in response.data
    assert User.get_by_id(user.id).password_hash == user.password_hash
    auth.logout()
    assert auth.login("dara").status_code == 429  # the same count as the sign-in page


def test_a_right_current_password_forgives_earlier_wrong_ones(client, auth, create_user):
    auth.login_as("officer", username="dara")
    for _ in range(4):
        _change(client, "not the password", "my own long phrase")
    assert _change(client, PASSWORD, "my own long phrase").status_code == 302
    for _ in range(4):
        _change(client, "not the password", "another long phrase")
    assert _change(client, "my own long phrase", "another long phrase").status_code == 302
