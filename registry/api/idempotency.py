"""Idempotency-Key on the API's writes: a retried write gets its first answer again and writes nothing more.

A field client that lost an answer (a dropped connection, a timeout, a worker killed) cannot know whether
its write was done. It sends the write again with the same `Idempotency-Key` header, and gets:

- the first answer again (same status and body, plus `Idempotent-Replayed: true`) when the key is known
  for this user and this request (method, path and query, body), within 24 hours; nothing more is written;
- 422 when the key was used for another request, 409 while the first request is still running,
  400 when the key is not 1 to 255 printable ASCII characters.

The key is claimed and the answer stored in the same transaction as the write itself, so a crash leaves
both or neither. Only answers below 500 are stored: a server error rolls everything back, key included,
and the retry runs the write afresh. On PostgreSQL a transaction-scoped advisory lock on (user, key) tells
a running first request (409) without waiting for it, and the unique (user, key) index is the claim
(insert first). On SQLite the write transaction starts with BEGIN IMMEDIATE, so a second request with the
same key waits for the first to commit and then gets the replay.
"""
import hashlib
import logging
import re
from datetime import timedelta
from functools import wraps

import click
from flask import current_app, request
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_login import current_user
from peewee import CharField, DatabaseError, DateTimeField, ForeignKeyField, IntegerField, IntegrityError, TextField
from werkzeug.exceptions import HTTPException

from registry.audit.services import record_event
from registry.auth.models import User
from registry.db import BaseModel, database, is_postgres
from registry.timeutil import utcnow
from registry.web.errors import ApiError

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEPT_FOR = timedelta(hours=24)
PURGE_EVERY = timedelta(minutes=10)  # the lazy purge, per worker process
_KEY = re.compile(r"[\x20-\x7e]{1,255}")
_last_purge = {"at": None}
log = logging.getLogger(__name__)


class IdempotencyKey(BaseModel):
    """One key of one user: the request it was used for (a hash) and the first answer (status null until stored)."""

    user = ForeignKeyField(User, on_delete="CASCADE")
    key = CharField(max_length=255)
    request_hash = CharField(max_length=64)
    status = IntegerField(null=True)
    content_type = CharField(max_length=100, default="")
    body = TextField(default="")
    created_at = DateTimeField(default=utcnow, index=True)

    class Meta:
        indexes = ((("user", "key"), True),)


class _NotStored(Exception):
    """A 5xx answer: the transaction is rolled back (the key with it) and the answer sent as it is."""

    def __init__(self, response):
        super().__init__(response.status)
        self.response = response


def request_fingerprint():
    """sha256 of what makes a request the same request: method, path with query, and body bytes."""
    digest = hashlib.sha256(f"{request.method} {request.full_path}\n".encode("utf-8", "surrogateescape"))
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def idempotent(view):
    """Wrap a view: a write with an Idempotency-Key header runs at most once per user and key."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or request.method not in WRITE_METHODS or not current_user.is_authenticated:
            return view(*args, **kwargs)
        if not _KEY.fullmatch(key):
            message = _("Give an Idempotency-Key of 1 to 255 printable ASCII characters.")
            raise ApiError(400, message, {HEADER: message})
        return _once(current_user._get_current_object(), key, view, args, kwargs)

    return wrapped


def _once(user, key, view, args, kwargs):
    fingerprint = request_fingerprint()
    try:
        with database.atomic():
            claim = _claim(user, key, fingerprint)
            if claim.status is not None:
                return _replay(claim)
            response = _answer(view, args, kwargs)
            if response.status_code >= 500:
                raise _NotStored(response)
            (IdempotencyKey.update(status=response.status_code, content_type=(response.content_type or "")[:100],
                                   body=response.get_data(as_text=True))
             .where(IdempotencyKey.id == claim.id).execute())
    except _NotStored as failed:
        return failed.response
    _purge_now_and_then()
    return response


def _in_progress():
    message = _("A request with this Idempotency-Key is still running: try again in a moment.")
    return ApiError(409, message, {HEADER: message})


def _claim(user, key, fingerprint):
    """The key's row for this request: new (status null) and ours until commit, or the stored answer.

    :raise ApiError: 409 while another request holds the key, 422 when it was used for another request.
    """
    if is_postgres():
        # Held until this transaction ends (a killed worker's ends with its connection). Not waiting for
        # it is what turns a concurrent retry into a 409 instead of a worker blocked on the unique index.
        locked = database.execute_sql("SELECT pg_try_advisory_xact_lock(%s, %s)", (user.id, _lock_key(key)))
        if not locked.fetchone()[0]:
            raise _in_progress()
    try:
        with database.atomic():  # a savepoint: on PostgreSQL the conflict must not spoil the transaction
            return IdempotencyKey.create(user=user, key=key, request_hash=fingerprint)
    except IntegrityError:
        pass
    found = IdempotencyKey.get((IdempotencyKey.user == user) & (IdempotencyKey.key == key))
    if found.created_at < utcnow() - KEPT_FOR:  # expired and not purged yet: a new use of the key
        found.request_hash, found.status, found.content_type, found.body = fingerprint, None, "", ""
        found.created_at = utcnow()
        found.save()
        return found
    if found.request_hash != fingerprint:
        message = _("This Idempotency-Key was used for another request (method, path or body): use a new key.")
        raise ApiError(422, message, {HEADER: message})
    if found.status is None:  # not reachable when claim and answer commit together; kept as a guard
        raise _in_progress()
    return found


def _lock_key(key):
    """A signed 32-bit number for the key, the second half of the advisory lock's (user, key) pair."""
    return int.from_bytes(hashlib.sha256(key.encode("ascii")).digest()[:4], "big", signed=True)


def _answer(view, args, kwargs):
    """The view's answer as a response; a refusal (ApiError, 4xx) is an answer too, stored with the key."""
    try:
        rv = view(*args, **kwargs)
    except (ApiError, HTTPException) as error:
        rv = current_app.handle_user_exception(error)
    return current_app.make_response(rv)


def _replay(claim):
    """The stored answer again; audited, since it may show a person's details a second time."""
    record_event("api.replay", detail={"method": request.method, "path": request.path, "status": claim.status,
                                       "first_answered_at": claim.created_at.isoformat(timespec="seconds")})
    response = current_app.response_class(claim.body, status=claim.status, content_type=claim.content_type)
    response.headers[REPLAYED_HEADER] = "true"
    return response


def purge_expired(now=None):
    """Delete the keys older than 24 hours (their answers may hold personal data); return how many."""
    cutoff = (now or utcnow()) - KEPT_FOR
    return IdempotencyKey.delete().where(IdempotencyKey.created_at < cutoff).execute()


def _purge_now_and_then():
    """The lazy purge: at most every PURGE_EVERY per process, after a write, never failing the request."""
    now = utcnow()
    if _last_purge["at"] is not None and now - _last_purge["at"] < PURGE_EVERY:
        return
    _last_purge["at"] = now
    try:
        purge_expired(now)
    except DatabaseError:  # e.g. SQLite busy: the next purge takes these keys
        log.exception("Expired idempotency keys could not be purged now.")


@click.command("purge-idempotency-keys")
@with_appcontext
def purge_command():
    """Delete the API's idempotency keys older than 24 hours."""
    with database.connection_context():
        click.echo(f"Deleted {purge_expired()} expired idempotency keys.")


def init_app(app):
    """Make every API write and the session page's offline sync idempotent (one wrapper per endpoint).

    Also add the purge command.
    """
    from registry.api.page_sync import IDEMPOTENT_ENDPOINTS
    from registry.web.errors import API_PREFIX

    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                 if rule.rule.startswith(API_PREFIX) and rule.methods & WRITE_METHODS}
    endpoints.update(IDEMPOTENT_ENDPOINTS)  # the session page's sync of offline marks (cookie-signed)
    for endpoint in endpoints:
        app.view_functions[endpoint] = idempotent(app.view_functions[endpoint])
    app.cli.add_command(purge_command)
