"""Server-side page sessions: one `user_session` row per sign-in, open until it is ended.

The signed cookie holds only a random key; its SHA-256 names the row. A request is signed in while
that row is open and its user active, so ending the row (sign-out, sign out everywhere, a password
change, deactivation, idle time) ends the session in every worker and on every app server at once,
and a copy of the cookie is worth nothing afterwards. Nothing is kept in a worker's memory.
"""
import hashlib
import secrets
from datetime import timedelta

from peewee import CharField, DateTimeField, ForeignKeyField

from registry.auth.models import User
from registry.db import BaseModel
from registry import timeutil

# last_seen_at is written at most once a minute per session: a page view should not be a write every time.
SEEN_PRECISION = timedelta(seconds=60)
# Rows of sessions not seen for this long are deleted (far longer than any idle timeout).
KEEP = timedelta(days=30)


def hash_key(key):
    """The stored form of a session key: its SHA-256 (a random 256-bit key needs no slow hash)."""
    return hashlib.sha256(key.encode()).hexdigest()


class UserSession(BaseModel):
    """One sign-in of a user in one browser: open until ended_at is set."""

    user = ForeignKeyField(User, backref="page_sessions", on_delete="CASCADE")
    key_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=timeutil.utcnow)
    last_seen_at = DateTimeField(default=timeutil.utcnow, index=True)
    ended_at = DateTimeField(null=True)
    end_reason = CharField(max_length=32, default="")  # logout, idle, everywhere, password_changed, ...
    ip = CharField(max_length=64, default="")
    user_agent = CharField(max_length=255, default="")

    class Meta:
        table_name = "user_session"

    @property
    def is_open(self):
        """Whether the session has not been ended."""
        return self.ended_at is None

    def idle_for(self, now=None):
        """How long since the session's last recorded request (its sign-in at first)."""
        return (now or timeutil.utcnow()) - self.last_seen_at


def open_session(user, ip="", user_agent=""):
    """Record a new session of the user; return its key (kept only in the cookie) and its row.

    Call it inside the sign-in's transaction. Rows of sessions unseen for KEEP are deleted on the way.
    """
    key = secrets.token_urlsafe(32)
    now = timeutil.utcnow()
    UserSession.delete().where(UserSession.last_seen_at < now - KEEP).execute()
    record = UserSession.create(user=user, key_hash=hash_key(key), created_at=now, last_seen_at=now,
                                ip=(ip or "")[:64], user_agent=(user_agent or "")[:255])
    return key, record


def find_open(key):
    """The open session of this key with its active user loaded, or None."""
    if not key:
        return None
    return (UserSession.select(UserSession, User).join(User)
            .where((UserSession.key_hash == hash_key(key)) & UserSession.ended_at.is_null() & User.active)
            .first())


def end_session(record, reason):
    """End one session (a no-op when it has already ended, e.g. by another worker)."""
    now = timeutil.utcnow()
    (UserSession.update(ended_at=now, end_reason=reason[:32])
     .where((UserSession.id == record.id) & UserSession.ended_at.is_null()).execute())
    record.ended_at, record.end_reason = now, reason[:32]


def end_user_sessions(user, reason):
    """End every open session of a user; return how many were open."""
    return (UserSession.update(ended_at=timeutil.utcnow(), end_reason=reason[:32])
            .where((UserSession.user == user.id) & UserSession.ended_at.is_null()).execute())


def end_every_session(reason):
    """End every open page session of every user; return how many were open (after a restore, say)."""
    return (UserSession.update(ended_at=timeutil.utcnow(), end_reason=reason[:32])
            .where(UserSession.ended_at.is_null()).execute())


def touch(record, now=None):
    """Record a request on an open session, at most once per SEEN_PRECISION."""
    now = now or timeutil.utcnow()
    if now - record.last_seen_at < SEEN_PRECISION:
        return
    (UserSession.update(last_seen_at=now)
     .where((UserSession.id == record.id) & UserSession.ended_at.is_null()).execute())
    record.last_seen_at = now
