"""Account administration as domain functions."""
import json

import pytest

from registry.audit.models import AuditEvent
from registry.auth.models import User
from registry.auth.page_sessions import UserSession, open_session
from registry.users import services


def last_event(action):
    """The newest audit event of an action."""
    return AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id.desc()).first()


def test_create_user_with_a_scope(app_ctx):
    user = services.create_user("dara", "Dara Sok", "officer", "a long password", {"02", "17"})
    assert user.province_codes() == {"02", "17"} and not user.all_provinces
    assert json.loads(last_event("user.create").detail)["provinces"] == "02,17"


def test_create_user_with_all_provinces(app_ctx):
    user = services.create_user("vuthy", "Vuthy Lim", "manager", "a long password", None)
    assert user.all_provinces and user.province_codes() is None


@pytest.mark.parametrize("role, provinces, message", [
    ("wizard", None, "Unknown role: wizard."),
    ("officer", {"02", "99"}, "Unknown province code: 99."),
])
def test_create_user_refuses_bad_values(app_ctx, role, provinces, message):
    with pytest.raises(services.UserError, match=message):
        services.create_user("x", "X", role, "a long password", provinces)
    assert User.select().count() == 0


def test_usernames_are_unique(app_ctx):
    services.create_user("dara", "Dara Sok", "officer", "a long password")
    with pytest.raises(services.UserError, match="The username dara is taken."):
        services.create_user("dara", "Another Dara", "trainer", "a long password")
    assert User.select().count() == 1


def test_update_user_audits_each_changed_field(app_ctx):
    user = services.create_user("dara", "Dara Sok", "officer", "a long password", {"02"})
    services.update_user(user, "Dara Sok", "manager", "km", None)
    detail = json.loads(last_event("user.update").detail)
    assert detail == {"role": ["officer", "manager"], "language": ["en", "km"], "provinces": ["02", "all"]}
    assert User.get_by_id(user.id).all_provinces


def test_update_without_change_writes_no_event(app_ctx):
    user = services.create_user("dara", "Dara Sok", "officer", "a long password", {"02"})
    services.update_user(user, "Dara Sok", "officer", "en", {"02"})
    assert last_event("user.update") is None


def test_deactivation_ends_sessions(app_ctx):
    user = services.create_user("dara", "Dara Sok", "officer", "a long password")
    open_session(user)
    services.set_active(user, False)
    stored = User.get_by_id(user.id)
    assert not stored.active and UserSession.get(UserSession.user == user.id).end_reason == "deactivated"
    assert last_event("user.deactivate").object_id == str(user.id)
    services.set_active(user, True)
    assert User.get_by_id(user.id).active


def test_reset_password_changes_hash_and_ends_sessions(app_ctx):
    user = services.create_user("dara", "Dara Sok", "officer", "a long password")
    open_session(user)
    before = User.get_by_id(user.id)
    services.reset_password(user, "another long password")
    after = User.get_by_id(user.id)
    assert after.password_hash != before.password_hash
    assert UserSession.get(UserSession.user == user.id).end_reason == "password_reset"
