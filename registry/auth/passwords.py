"""Password hashing with argon2id."""
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


def password_problem(password, username=""):
    """Return why a new password is not acceptable, or None when it is."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return _("The password must have at least %(n)d characters.", n=minimum)
    if username and username.lower() in password.lower():
        return _("The password must not contain the username.")
    return None
