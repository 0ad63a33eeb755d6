import re

"""Account administration pages."""
from registry.auth.models import User
from tests.conftest import PASSWORD


def test_admin_lists_accounts(client, auth, create_user):
    create_user("trainer", username="kim", full_name="Kim Srey Neang")
    auth.login_as("admin")
    page = client.get("/users/").get_data(as_text=True)
    assert "kim" in page and "Kim Srey Neang" in page and "Trainer" in page


def test_admin_creates_an_account(client, auth):
    auth.login_as("admin")
    response = client.post("/users/new", data={
        "username": "sokha", "full_name": "Sokha Chea", "role": "officer", "language": "km",
        "new_password": "a long enough password", "provinces": ["02", "17"]})
    assert response.status_code == 302
    user = User.get(User.username == "sokha")
    assert user.role == "officer" and user.language == "km" and user.province_codes() == {"02", "17"}


def test_create_form_shows_errors_next_to_fields(client, auth, create_user):
    create_user("officer", username="taken")
    auth.login_as("admin")
    response = client.post("/users/new", data={
        "username": "taken", "full_name": "", "role": "officer", "language": "en", "new_password": "short"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This field is required." in page
    assert "at least 10 characters" in page
    assert "Choose at least one province, or all provinces." in page
    response = client.post("/users/new", data={
        "username": "taken", "full_name": "T", "role": "officer", "language": "en",
        "new_password": "a long enough password", "all_provinces": "y"})
    assert "The username taken is taken." in response.get_data(as_text=True)
    assert client.post("/users/new", data={"username": "bad name!", "full_name": "B", "role": "officer",
                                           "language": "en", "new_password": "a long enough password",
                                           "all_provinces": "y"}).status_code == 200
    assert User.select().count() == 2


def test_admin_edits_an_account(client, auth, create_user):
    target = create_user("officer", provinces={"02"})
    auth.login_as("admin")
    page = client.get(f"/users/{target.id}").get_data(as_text=True)
    checked = re.findall(r'<input checked[^>]*value="(\d\d)"', page)
    assert checked == ["02"]
    response = client.post(f"/users/{target.id}", data={"full_name": "New Name", "role": "trainer",
                                                        "language": "en", "all_provinces": "y"})
    assert response.status_code == 302
    changed = User.get_by_id(target.id)
    assert changed.full_name == "New Name" and changed.role == "trainer" and changed.all_provinces


def test_admin_deactivates_and_reactivates(app, client, auth, create_user):
    create_user("officer", username="dara")
    target = User.get(User.username == "dara")
    other = app.test_client()
    other.post("/login", data={"username": "dara", "password": PASSWORD})
    auth.login_as("admin")
    client.post(f"/users/{target.id}/active")
    assert not User.get_by_id(target.id).active
    assert other.get("/").status_code == 302  # signed out at once
    client.post(f"/users/{target.id}/active")
    assert User.get_by_id(target.id).active


def test_admin_cannot_deactivate_themselves(client, auth):
    admin = auth.login_as("admin")
    response = client.post(f"/users/{admin.id}/active", follow_redirects=True)
    assert b"You cannot deactivate your own account." in response.data
    assert User.get_by_id(admin.id).active


def test_admin_resets_a_password(client, auth, create_user):
    target = create_user("officer", username="dara")
    auth.login_as("admin")
    response = client.post(f"/users/{target.id}/password", data={"new_password": "short"}, follow_redirects=True)
    assert b"at least 10 characters" in response.data
    client.post(f"/users/{target.id}/password", data={"new_password": "a brand new password"})
    auth.logout()
    assert auth.login("dara", "a brand new password").status_code == 302


def test_unknown_account_is_404(client, auth):
    auth.login_as("admin")
    assert client.get("/users/9999").status_code == 404


def test_a_new_account_has_no_role_until_the_admin_chooses_one(client, auth):
    auth.login_as("admin")
    page = client.get("/users/new").get_data(as_text=True)
    role = page[page.index('<select class="form-select" id="role"'):].split("</select>")[0]
    assert "selected" not in role and '<option value="">Choose a role</option>' in role
    response = client.post("/users/new", data={"username": "sokha", "full_name": "Sokha Chea", "language": "en",
                                               "new_password": "a long enough password", "all_provinces": "y"})
    assert response.status_code == 200 and "Choose a role." in response.get_data(as_text=True)
    assert not User.select().where(User.username == "sokha").exists()
