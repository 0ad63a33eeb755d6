"""Signing in and out, passwords and session tokens."""
from registry.audit.models import AuditEvent
from registry.auth.models import User
from tests.conftest import PASSWORD


def events(action):
    """The audit events of one action, oldest first."""
    return list(AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id))


def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b'name="username"' in response.data and b'name="password"' in response.data


def test_login_and_logout(client, auth, create_user):
    user = create_user("officer", username="dara")
    response = auth.login("dara")
    assert response.status_code == 302 and response.location == "/"
    assert client.get("/").status_code == 200
    assert User.get_by_id(user.id).last_login_at is not None
    assert [e.user_id for e in events("auth.login")] == [user.id]

    assert auth.logout().location == "/login"
    assert client.get("/").status_code == 302
    assert len(events("auth.logout")) == 1


def test_wrong_password_is_refused_and_audited(client, auth, create_user):
    create_user("officer", username="dara")
    response = auth.login("dara", "not the password")
    assert response.status_code == 200
    assert b"Wrong username or password" in response.data
    assert client.get("/").status_code == 302
    [event] = events("auth.login_failed")
    assert event.username == "dara" and event.ip == "127.0.0.1"
    assert '"bad credentials"' in event.detail


def test_unknown_user_is_refused_and_audited(auth):
    response = auth.login("nobody")
    assert b"Wrong username or password" in response.data
    [event] = events("auth.login_failed")
    assert event.username == "nobody" and event.user_id is None


def test_inactive_user_cannot_sign_in(client, auth, create_user):
    user = create_user("trainer", username="kim")
    User.update(active=False).where(User.id == user.id).execute()
    response = auth.login("kim")
    assert response.status_code == 200
    assert client.get("/").status_code == 302
    assert '"inactive"' in events("auth.login_failed")[0].detail


def test_passwords_are_stored_hashed_with_argon2id(create_user):
    user = create_user("officer")
    stored = User.get_by_id(user.id).password_hash
    assert PASSWORD not in stored
    assert stored.startswith("$argon2id$")


def test_next_parameter_returns_to_the_page_asked_for(client, create_user):
    create_user("admin", username="boss")
    response = client.post("/login?next=/users/", data={"username": "boss", "password": PASSWORD})
    assert response.location == "/users/"


def test_next_parameter_never_leads_off_site(client, create_user):
    create_user("admin", username="boss")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(f"/login?next={target}", data={"username": "boss", "password": PASSWORD})
        assert response.location == "/"
        client.post("/logout")


def test_password_change_ends_other_sessions(app, create_user):
    create_user("officer", username="dara")
    phone, laptop = app.test_client(), app.test_client()
    for c in (phone, laptop):
        c.post("/login", data={"username": "dara", "password": PASSWORD})
    response = laptop.post("/account", data={"current_password": PASSWORD, "new_password": "a much newer secret",
                                             "confirm": "a much newer secret"})
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200  # this session goes on
    assert phone.get("/").status_code == 302   # the other one is over
    assert phone.post("/login", data={"username": "dara", "password": "a much newer secret"}).status_code == 302


def test_password_change_needs_the_current_password_and_the_policy(client, auth):
    auth.login_as("officer", username="dara")
    response = client.post("/account", data={"current_password": "wrong", "new_password": "a much newer secret",
                                             "confirm": "a much newer secret"})
    assert b"The current password is wrong." in response.data
    response = client.post("/account", data={"current_password": PASSWORD, "new_password": "short",
                                             "confirm": "short"})
    assert b"at least 10 characters" in response.data
    response = client.post("/account", data={"current_password": PASSWORD, "new_password": "dara-is-my-name",
                                             "confirm": "dara-is-my-name"})
    assert b"must not contain the username" in response.data
    response = client.post("/account", data={"current_password": PASSWORD, "new_password": "a much newer secret",
                                             "confirm": "something else"})
    assert b"The two passwords differ." in response.data


def test_sign_out_everywhere_ends_every_session(app, create_user):
    create_user("manager", username="vuthy")
    one, two = app.test_client(), app.test_client()
    for c in (one, two):
        c.post("/login", data={"username": "vuthy", "password": PASSWORD})
    assert one.post("/account/sign-out-everywhere").location == "/login"
    assert one.get("/").status_code == 302
    assert two.get("/").status_code == 302


def test_signed_in_user_visiting_login_goes_home(client, auth):
    auth.login_as("trainer")
    assert client.get("/login").location == "/"


def test_sign_out_forgets_pending_messages_but_keeps_the_language(client, auth):
    auth.login_as("officer", language="km")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Sok Chanthy is registered as BR-000001.")]
    auth.logout()
    page = client.get("/login").get_data(as_text=True)
    assert "Sok Chanthy" not in page
    assert '<html lang="km">' in page


def test_a_language_picked_on_the_sign_in_page_becomes_the_accounts(client, auth, create_user):
    from registry.auth.models import User

    user = create_user("officer", username="sophea")  # language "en", the default
    client.post("/language", data={"language": "km", "next": "/login"})
    auth.login("sophea")
    assert '<html lang="km">' in client.get("/").get_data(as_text=True)
    assert User.get_by_id(user.id).language == "km"


def test_the_language_a_signed_out_session_keeps_does_not_change_the_next_account(client, auth, create_user):
    from registry.auth.models import User

    auth.login_as("officer", language="km")
    auth.logout()  # the sign-in page stays in Khmer for the next person…
    other = create_user("trainer", username="dara", language="en")
    auth.login("dara")  # …who did not choose it: their account's English applies
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    assert User.get_by_id(other.id).language == "en"
