"""API tokens: a user's bearer tokens, stored as hashes, acting with the user's role and scope."""
import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from peewee import CharField, DateTimeField, ForeignKeyField

from registry.audit.services import record_event
from registry.auth.models import User
from registry.db import BaseModel, database
from registry.timeutil import utcnow

TOKEN_PREFIX = "lr_"
# "Last used" is kept to the hour: an API read should not be a write every time.
LAST_USED_GRANULARITY = timedelta(hours=1)


def hash_token(token):
    """The stored form of a token: its SHA-256 (a random 256-bit token needs no slow hash)."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(BaseModel):
    """One bearer token of a user; the token itself is shown once and never stored."""

    user = ForeignKeyField(User, backref="api_tokens", on_delete="RESTRICT")
    name = CharField(max_length=100)
    token_hash = CharField(max_length=64, unique=True)
    prefix = CharField(max_length=12)  # the first characters, so that a user can tell tokens apart
    created_at = DateTimeField(default=utcnow)
    last_used_at = DateTimeField(null=True)
    revoked_at = DateTimeField(null=True)

    @classmethod
    def live_of(cls, user):
        """A user's tokens that are not revoked, newest first."""
        return cls.select().where((cls.user == user) & cls.revoked_at.is_null()).order_by(cls.id.desc())


class TokenError(ValueError):
    """A token cannot be created or revoked as asked; the message says why."""


def create_token(user, name, actor=None):
    """Create a token for a user; return (the token text, shown once, and its record).

    The audit event names the actor: the signed-in user, or the command line's account when None.
    """
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise TokenError(_("Give the token a name of 1 to 100 characters, e.g. the tool that will use it."))
    if not user.active:
        raise TokenError(_("A deactivated account cannot have tokens."))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with database.atomic():
        record = ApiToken.create(user=user, name=name, token_hash=hash_token(token), prefix=token[:10])
        record_event("token.create", obj=record, user=actor, detail={"user": user.username, "name": name})
    return token, record


def revoke_token(record, actor):
    """Revoke a token: every request with it is refused from now on."""
    with database.atomic():
        ApiToken.update(revoked_at=utcnow()).where(ApiToken.id == record.id).execute()
        record_event("token.revoke", obj=record, user=actor, detail={"user": record.user.username,
                                                                     "name": record.name})


def user_for_token(token):
    """The active user a live token belongs to, or None."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    record = (ApiToken.select(ApiToken, User).join(User)
              .where((ApiToken.token_hash == hash_token(token)) & ApiToken.revoked_at.is_null()).first())
    if record is None or not record.user.active:
        return None
    now = utcnow()
    if record.last_used_at is None or now - record.last_used_at > LAST_USED_GRANULARITY:
        ApiToken.update(last_used_at=now).where(ApiToken.id == record.id).execute()
    return record.user
