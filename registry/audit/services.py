"""Writing audit events. Call record_event inside the transaction of the change it records."""
import getpass
import json

from flask import has_request_context, request
from flask_login import current_user

from registry.audit.models import AuditEvent


def _request_origin():
    if not has_request_context():
        return "", ""
    # request.remote_addr already honours X-Forwarded-For when, and only when,
    # PROXY_COUNT configured ProxyFix in the factory.
    return (request.remote_addr or ""), (request.user_agent.string or "")[:255]


def _acting_user():
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def _primary_key(obj):
    # Not obj.get_id(): User overrides it for flask-login with the session token.
    return "" if obj is None else str(getattr(obj, obj._meta.primary_key.name))


def record_event(action, obj=None, detail=None, user=None, username=None):
    """Append an audit event: who (the signed-in user unless given), what, on which record.

    :param action: a dotted verb such as ``auth.login`` or ``user.update``.
    :param obj: the record concerned, or None.
    :param detail: a JSON-serialisable dict, e.g. the changed fields with old and new values.
    """
    user = user or _acting_user()
    ip, agent = _request_origin()
    if user is None and username is None and not has_request_context():
        username = f"cli:{getpass.getuser()}"  # a command such as create-user
    return AuditEvent.create(
        user=user,
        username=(username or (user.username if user else ""))[:64],
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=_primary_key(obj),
        ip=ip,
        user_agent=agent,
        detail=json.dumps(detail or {}, default=str, ensure_ascii=False, sort_keys=True),
    )


def changed_fields(before, after):
    """Return {field: [old, new]} for the keys whose values differ between two dicts."""
    return {key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)}
