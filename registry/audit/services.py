"""Writing audit events. Call record_event inside the transaction of the change it records.

Events are written unsealed; seal_after(), run when the request, command or worker thread that
wrote them ends, chains them (see registry.audit.chain for why not at once).
"""
import getpass
import json
import logging

from flask import g, has_app_context, has_request_context, request
from flask_login import current_user

from registry.audit import chain
from registry.audit.models import AuditEvent

log = logging.getLogger(__name__)
PENDING_FLAG = "audit_events_pending"


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

    The event is written unsealed, in the caller's transaction; seal_after chains it later.
    """
    return AuditEvent.create(**_event(action, obj, detail, user, username))


def record_events(action, objs, details, user=None):
    """Append one event per record, each as record_event writes it, in one statement (a bulk write's events).

    :param details: one detail dict per record, in the same order.
    """
    rows = [_event(action, obj, detail, user) for obj, detail in zip(objs, details, strict=True)]
    if rows:
        AuditEvent.insert_many(rows).execute()


def _event(action, obj, detail, user, username=None):
    """The columns of one event: who, from where, what, on which record; the pending seal is noted."""
    user = user or _acting_user()
    ip, agent = _request_origin()
    if user is None and username is None and not has_request_context():
        username = f"cli:{getpass.getuser()}"  # a command such as create-user
    if has_app_context():
        setattr(g, PENDING_FLAG, True)  # seal_after chains it once the transaction is over
    return {
        "user": user,
        "username": (username or (user.username if user else ""))[:64],
        "action": action,
        "object_type": type(obj).__name__.lower() if obj is not None else "",
        "object_id": _primary_key(obj),
        "ip": ip,
        "user_agent": agent,
        "detail": json.dumps(detail or {}, default=str, ensure_ascii=False, sort_keys=True),
    }


def changed_fields(before, after):
    """Return {field: [old, new]} for the keys whose values differ between two dicts."""
    return {key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)}


def seal_after(exc=None):
    """Teardown hook: seal the events this request or command wrote, once its transactions are over.

    Registered for both the request and the app context: whichever ends first seals (the request
    hook still has the request's connection; the app context one covers commands and the import
    threads). A failure is logged and never raised: the response is already decided, and the
    events stay pending until the next seal (any audited request, or `flask verify-audit`).
    """
    if not has_app_context() or not g.pop(PENDING_FLAG, False):
        return
    try:
        with chain.own_connection():
            chain.seal_pending()
    except Exception:  # sealing must never turn a done request into an error page
        log.exception("Audit events could not be sealed now; the next seal will chain them.")
