"""Sign-in throttling: attempts are kept in the database, so the limits hold across workers and restarts.

An attempt is written, and committed on its own, *before* its password is checked; then the attempts
in the window are counted, this one and every concurrent one included, and the password is checked
only when the count is within the limits. So N workers checking at once cannot all see "4 failures"
and all check: of any number of concurrent attempts, the first to commit are the only ones that may
count within the limit. An attempt whose password is right removes itself and forgives the earlier
ones; one refused by the limit removes itself (it checked nothing); a wrong one stays, as a failure.
"""
from datetime import timedelta

from flask import current_app
from peewee import CharField, DateTimeField

from registry.db import BaseModel, database
from registry.timeutil import utcnow

KEEP = timedelta(days=1)


class LoginFailure(BaseModel):
    """One sign-in attempt that has not succeeded: a failure, or one whose password is being checked.

    The username is lower-cased; ip is the address it came from.
    """

    username = CharField(max_length=64, index=True)
    ip = CharField(max_length=64, index=True)
    at = DateTimeField(default=utcnow, index=True)

    class Meta:
        table_name = "login_failure"


def _window():
    return timedelta(minutes=current_app.config["LOGIN_THROTTLE_MINUTES"])


def _limits(attempt):
    config = current_app.config
    return ((LoginFailure.username, attempt.username, config["LOGIN_MAX_FAILURES_PER_USER"]),
            (LoginFailure.ip, attempt.ip, config["LOGIN_MAX_FAILURES_PER_ADDRESS"]))


def record_attempt(username, ip):
    """Write an attempt before its password is checked, committed at once so that concurrent ones count it.

    :raise RuntimeError: when called inside a transaction, which would hide the attempt from other workers.
    """
    if database.in_transaction():
        raise RuntimeError("A sign-in attempt must be committed on its own, outside any transaction.")
    with database.atomic():
        LoginFailure.delete().where(LoginFailure.at < utcnow() - KEEP).execute()
        return LoginFailure.create(username=username.lower()[:64], ip=ip[:64])


def minutes_locked(attempt):
    """Minutes to wait when this attempt is over a limit (the password must then not be checked), else 0.

    Counts every attempt in the window, this one and the concurrent ones included; a count taken after
    this attempt was committed sees every attempt committed before it.
    """
    since = utcnow() - _window()
    waits = []
    for column, value, limit in _limits(attempt):
        recent = LoginFailure.select().where((column == value) & (LoginFailure.at > since))
        if recent.count() <= limit:
            continue
        # Locked until the oldest of the other `limit` newest attempts leaves the window.
        oldest = (recent.where(LoginFailure.id != attempt.id).order_by(LoginFailure.at.desc())
                  .offset(limit - 1).first())
        waits.append((oldest.at + _window() - utcnow()) if oldest else timedelta(0))
    if not waits:
        return 0
    return max(1, int(max(waits).total_seconds() // 60) + 1)


def withdraw(attempt):
    """Remove an attempt refused by the limits: its password was not checked, so it is no failure."""
    LoginFailure.delete().where(LoginFailure.id == attempt.id).execute()


def forgive(attempt):
    """A right password removes its attempt and forgives the username's earlier ones (not the address's)."""
    LoginFailure.delete().where((LoginFailure.username == attempt.username)
                                & (LoginFailure.id <= attempt.id)).execute()

