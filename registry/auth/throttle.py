"""Sign-in throttling: failed sign-ins are kept in the database, so the limits hold across workers and restarts.

After too many failures for one username, or from one address, within the window, sign-ins for that
username (or from that address) are refused until the window has passed, without checking the password.
"""
from datetime import timedelta

from flask import current_app
from peewee import CharField, DateTimeField

from registry.db import BaseModel
from registry.timeutil import utcnow

KEEP = timedelta(days=1)


class LoginFailure(BaseModel):
    """One failed sign-in: the username tried (lower-cased) and the address it came from."""

    username = CharField(max_length=64, index=True)
    ip = CharField(max_length=64, index=True)
    at = DateTimeField(default=utcnow, index=True)

    class Meta:
        table_name = "login_failure"


def _window():
    return timedelta(minutes=current_app.config["LOGIN_THROTTLE_MINUTES"])


def minutes_locked(username, ip):
    """Minutes until sign-in may be tried again for this username and address, or 0 when it may now."""
    since = utcnow() - _window()
    config = current_app.config
    waits = []
    for column, value, limit in ((LoginFailure.username, username.lower()[:64], config["LOGIN_MAX_FAILURES_PER_USER"]),
                                 (LoginFailure.ip, ip[:64], config["LOGIN_MAX_FAILURES_PER_ADDRESS"])):
        recent = (LoginFailure.select(LoginFailure.at).where((column == value) & (LoginFailure.at > since))
                  .order_by(LoginFailure.at.desc()).limit(limit))
        times = [row.at for row in recent]
        if len(times) >= limit:  # locked until the oldest of the last `limit` failures leaves the window
            waits.append(times[-1] + _window() - utcnow())
    if not waits:
        return 0
    return max(1, int(max(waits).total_seconds() // 60) + 1)


def record_failure(username, ip):
    """Keep a failed sign-in; forget failures older than a day."""
    LoginFailure.create(username=username.lower()[:64], ip=ip[:64])
    LoginFailure.delete().where(LoginFailure.at < utcnow() - KEEP).execute()


def clear_failures(username):
    """A successful sign-in forgives the username's earlier failures (not the address's)."""
    LoginFailure.delete().where(LoginFailure.username == username.lower()[:64]).execute()

