"""Sign-in and own-account operations, each audited."""
from flask import request, session
from flask_login import login_user, logout_user

from registry.audit.services import record_event
from registry.auth import page_sessions, throttle
from registry.auth.models import User
from registry.auth.passwords import dummy_verify, hash_password, password_problem, verify_password
from registry.db import database
from registry.timeutil import utcnow


class SignInLocked(Exception):
    """Too many failed sign-ins for this username or from this address: try again in `minutes`."""

    def __init__(self, minutes):
        super().__init__(minutes)
        self.minutes = minutes


class PasswordRefused(ValueError):
    """A new password breaks the password policy; the message says how."""


def authenticate(username, password, ip=""):
    """Return the active user with these credentials, or None; audit the attempt.

    :raise SignInLocked: too many recent failures for the username or the address (the password is not checked).
    """
    username = username.strip()
    user = User.get_or_none(User.username == username)
    ok, attempt = _check_password(user, username, password, ip)
    with database.atomic():
        if not ok or not user.active:  # the attempt stays, as a failure
            record_event("auth.login_failed", user=user, username=username,
                         detail={"reason": "inactive" if ok else "bad credentials"})
            return None
        throttle.forgive(attempt)
        User.update(last_login_at=utcnow()).where(User.id == user.id).execute()
        record_event("auth.login", user=user)
    return user


def _check_password(user, username, password, ip):
    """Check a password under the sign-in throttle; return (matches, the attempt).

    The attempt is counted before the check, so concurrent guesses cannot all slip under the limit.
    An unknown username (user None) spends the time of a check and never matches.

    :raise SignInLocked: the attempt is over a limit; the password was not checked.
    """
    attempt = throttle.record_attempt(username, ip)
    locked = throttle.minutes_locked(attempt)
    if locked:
        with database.atomic():
            throttle.withdraw(attempt)
            record_event("auth.login_throttled", user=user, username=username, detail={"minutes": locked})
        raise SignInLocked(locked)
    if user is None:
        dummy_verify(password)
        return False, attempt
    return verify_password(user.password_hash, password), attempt


def sign_in(user):
    """Start a session for an authenticated user: a new user_session row, whose key the cookie carries.

    A language picked on the sign-in page is the user's choice: it becomes their account's. The
    language a signed-out session keeps for the next person is not, and the account's stays.
    """
    with database.atomic():
        _open_page_session(user)
    login_user(user)
    if session.pop("language_chosen", False) and session.get("language"):
        set_language(user, session["language"])


def _open_page_session(user):
    """Open a page session of the user for this browser (in the caller's transaction); flask-login stores its key."""
    user.session_key, user.page_session = page_sessions.open_session(
        user, request.remote_addr or "", request.user_agent.string or "")


def sign_out(user, reason="", everywhere=False):
    """End this session of the user on the server (every one of theirs when `everywhere`), and forget
    everything the cookie held but the language.

    Pending messages go too: on a shared computer, "Sok Chanthy is registered" must not greet
    the next person.
    """
    with database.atomic():
        if everywhere:
            end_all_sessions(user, "everywhere")
        elif user.page_session is not None:
            page_sessions.end_session(user.page_session, reason or "logout")
        detail = {"reason": reason} if reason else {}
        if everywhere:
            detail["everywhere"] = True
        record_event("auth.logout", user=user, detail=detail or None)
    logout_user()
    language = session.get("language") or user.language
    session.clear()
    session["language"] = language


def end_all_sessions(user, reason="everywhere"):
    """End every open page session of the user, in every browser (call it inside the change's transaction)."""
    page_sessions.end_user_sessions(user, reason)


def change_own_password(user, current_password, new_password, ip=""):
    """Change a user's own password; every session ends, and this browser goes on in a new one.

    Return False when the current one is wrong. The current password is checked under the sign-in
    throttle (a session left open must not become a way to guess it), and the new one against the
    policy, which refuses keeping the current one.

    :raise SignInLocked: too many recent failures for the username or the address (nothing is checked).
    :raise PasswordRefused: the new password breaks the policy.
    """
    ok, attempt = _check_password(user, user.username, current_password, ip)
    if not ok:
        with database.atomic():  # the attempt stays, as a failure
            record_event("auth.password_change_failed", obj=user, user=user,
                         detail={"reason": "wrong current password"})
        return False
    problem = password_problem(new_password, user.username, current=current_password)
    if problem:
        throttle.forgive(attempt)  # the current password was right: no failure
        raise PasswordRefused(problem)
    with database.atomic():
        throttle.forgive(attempt)
        user.password_hash = hash_password(new_password)
        user.must_change_password = False
        User.update(password_hash=user.password_hash, must_change_password=False).where(User.id == user.id).execute()
        end_all_sessions(user, "password_changed")
        _open_page_session(user)  # a new key: a copy of the old cookie is worth nothing
        record_event("auth.password_changed", obj=user, user=user)
    login_user(user)
    return True


def set_language(user, language):
    """Keep a user's preferred language on their account."""
    if user.language == language:
        return
    with database.atomic():
        User.update(language=language).where(User.id == user.id).execute()
        record_event("user.update", obj=user, user=user, detail={"language": [user.language, language]})
    user.language = language


def load_user(session_key):
    """flask-login's user loader: the active user of the open page session whose key the cookie carries."""
    record = page_sessions.find_open(session_key)
    if record is None:
        return None
    user = record.user
    user.session_key, user.page_session = session_key, record
    return user
