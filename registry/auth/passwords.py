"""Password hashing with argon2id, and the password policy."""
import re
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _


def _hasher():
    return PasswordHasher.from_parameters(getattr(profiles, current_app.config["PASSWORD_HASH_PROFILE"]))


def hash_password(password):
    """Return the argon2id hash of a password."""
    return _hasher().hash(password)


def verify_password(password_hash, password):
    """Tell whether the password matches the stored hash."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A fixed hash to verify against when the username is unknown, so that a
# wrong username takes as long as a wrong password.
def dummy_verify(password):
    """Spend the time of one verification, for unknown usernames."""
    hasher = _hasher()
    config = current_app.config
    if "_DUMMY_HASH" not in config:
        config["_DUMMY_HASH"] = hasher.hash("not-a-real-password")
    verify_password(config["_DUMMY_HASH"], password)


COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
_DECORATION = re.compile(r"^[\W\d_]+|[\W\d_]+$")  # digits and symbols before or after the word


@lru_cache(maxsize=1)
def common_passwords():
    """The bundled list of passwords that guessers try first (lower case)."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def is_common(password):
    """Whether a password is a common one, or a common one with digits and symbols around it ("Password2026!")."""
    lowered = password.lower()
    joined = lowered.replace(" ", "")
    core = _DECORATION.sub("", joined)
    only_digits_and_symbols = not core
    return bool({lowered, joined, core} & common_passwords()) or only_digits_and_symbols or len(set(lowered)) <= 2


def _loosely(password):
    return "".join(password.split()).casefold()


def password_problem(password, username="", current=None):
    """Return why a new password is not acceptable, or None when it is.

    :param current: the password it replaces, as the user typed it, when they change their own: the new
        one must differ from it by more than capitals and spaces, or a temporary password could be kept.
        (Never a stored hash: telling "same as the current one" from it would reveal the password.)
    """
    if current and _loosely(password) == _loosely(current):
        return _("The new password must differ from the current one, and by more than capitals or spaces.")
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return _("The password must have at least %(n)d characters.", n=minimum)
    if username and username.lower() in password.lower():
        return _("The password must not contain the username.")
    if is_common(password):
        return _("This password is among the first that attackers try. Choose a less common one, "
                 "e.g. a few words that belong together only for you.")
    return None
