"""The audit trail: events written with who, what and where; never changed or removed."""
import json

import pytest

from registry.audit.models import AuditError, AuditEvent
from registry.audit.services import changed_fields, record_event


def test_record_event_keeps_who_what_and_detail(app_ctx, create_user):
    user = create_user("officer")
    event = record_event("user.update", obj=user, user=user, detail={"role": ["trainer", "officer"]})
    stored = AuditEvent.get_by_id(event.id)
    assert (stored.user_id, stored.username, stored.action) == (user.id, user.username, "user.update")
    assert (stored.object_type, stored.object_id) == ("user", str(user.id))
    assert json.loads(stored.detail) == {"role": ["trainer", "officer"]}
    assert stored.at is not None


def test_record_event_keeps_khmer_text_readable(app_ctx):
    event = record_event("note", detail={"name": "សុខ ចាន់ធី"})
    assert "សុខ ចាន់ធី" in AuditEvent.get_by_id(event.id).detail


def test_events_cannot_be_changed_or_removed(app_ctx):
    event = record_event("auth.login", username="someone")
    event.action = "something else"
    with pytest.raises(AuditError):
        event.save()
    with pytest.raises(AuditError):
        event.delete_instance()
    with pytest.raises(AuditError):
        AuditEvent.update(action="x")
    with pytest.raises(AuditError):
        AuditEvent.delete()
    assert AuditEvent.get_by_id(event.id).action == "auth.login"


def test_changed_fields_lists_old_and_new_values():
    before = {"name": "Sok", "phone": "012", "province": "02"}
    after = {"name": "Sokh", "phone": "012", "province": "17"}
    assert changed_fields(before, after) == {"name": ["Sok", "Sokh"], "province": ["02", "17"]}
