"""API tokens: created on the account page or by the command line, stored hashed, revocable; no cookies."""
from registry.api.tokens import ApiToken, create_token, hash_token, revoke_token, user_for_token
from registry.audit.models import AuditEvent
from registry.auth.models import User
from registry.users.services import set_active

LIST = "/api/v1/cohorts"


def test_a_token_is_stored_only_as_its_hash(app_ctx, create_user):
    user = create_user("officer")
    token, record = create_token(user, "Kobo")
    assert token.startswith("lr_") and len(token) > 40
    stored = ApiToken.get_by_id(record.id)
    assert stored.token_hash == hash_token(token) and token not in (stored.token_hash, stored.prefix)
    assert user_for_token(token).id == user.id
    assert AuditEvent.get(AuditEvent.action == "token.create").object_id == str(record.id)


def test_a_token_needs_a_name(app_ctx, create_user):
    import pytest

    from registry.api.tokens import TokenError

    with pytest.raises(TokenError):
        create_token(create_user("officer"), "  ")


def test_revoked_tokens_and_deactivated_accounts_are_refused(app, client, create_user):
    officer = create_user("officer")
    with app.app_context():
        kept, _ = create_token(officer, "one")
        revoked, record = create_token(officer, "two")
        revoke_token(record, officer)
    assert client.get(LIST, headers={"Authorization": f"Bearer {kept}"}).status_code == 200
    assert client.get(LIST, headers={"Authorization": f"Bearer {revoked}"}).status_code == 401
    with app.app_context():
        set_active(User.get_by_id(officer.id), False)
    assert client.get(LIST, headers={"Authorization": f"Bearer {kept}"}).status_code == 401


def test_a_missing_or_malformed_header_gets_401_with_json(client):
    for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": "Basic abc"},
                    {"Authorization": "Bearer lr_not-a-token"}, {"Authorization": "Bearer " + "x" * 5000}):
        response = client.get(LIST, headers=headers)
        assert response.status_code == 401 and response.is_json, headers
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_the_api_reads_no_session_cookie_and_sets_none(client, auth, api):
    auth.login_as("admin")  # a browser session
    assert client.get(LIST).status_code == 401
    response = api("officer").get(LIST)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_the_last_use_is_kept(app, api):
    caller = api("officer")
    caller.get(LIST)
    with app.app_context():
        assert ApiToken.get(ApiToken.user == caller.user.id).last_used_at is not None


def test_the_account_page_creates_shows_once_and_revokes(client, auth):
    user = auth.login_as("trainer")
    assert b"API tokens" in client.get("/account").data
    page = client.post("/account/tokens/", data={"name": "ODK phone"}).get_data(as_text=True)
    token = page.split('id="new-token" readonly value="')[1].split('"')[0]
    assert client.get(LIST, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    listing = client.get("/account/tokens/").get_data(as_text=True)
    assert "ODK phone" in listing and token not in listing
    record = ApiToken.get(ApiToken.user == user.id)
    assert client.post(f"/account/tokens/{record.id}/revoke").status_code == 302
    assert client.get(LIST, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert AuditEvent.select().where(AuditEvent.action == "token.revoke").count() == 1


def test_a_user_cannot_revoke_someone_elses_token(app, client, auth, create_user):
    other = create_user("officer")
    with app.app_context():
        _token, record = create_token(other, "theirs")
    auth.login_as("officer")
    assert client.post(f"/account/tokens/{record.id}/revoke").status_code == 404
    assert ApiToken.get_by_id(record.id).revoked_at is None


def test_create_token_prints_the_token_and_nothing_else(app, runner, create_user):
    create_user("manager", username="dara")
    result = runner.invoke(args=["create-token", "dara", "--name", "donor dashboard"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert result.output == token + "\n" and token.startswith("lr_")
    with app.app_context():
        assert user_for_token(token).username == "dara"
        assert AuditEvent.get(AuditEvent.action == "token.create").username.startswith("cli:")


def test_create_token_refuses_an_unknown_account(runner):
    result = runner.invoke(args=["create-token", "nobody"])
    assert result.exit_code == 1 and "No account named nobody." in result.output
