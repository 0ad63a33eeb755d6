"""Configuration read from the environment, with safe defaults for a single machine."""
import os
import secrets
from pathlib import Path

from registry.timeutil import office_zone


def _flag(name, default=False):
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def instance_secret_key(instance_path):
    """Return the secret key kept in the instance folder, creating it on first use."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two workers starting at once must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def from_environment(instance_path):
    """Build the configuration mapping of a deployed app from environment variables."""
    default_db = "sqlite:///" + str(Path(instance_path) / "registry.sqlite3")
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or instance_secret_key(instance_path),
        "DATABASE_URL": os.environ.get("DATABASE_URL", default_db),
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE"),
        # How many proxies stand in front of the app; X-Forwarded-For is ignored when 0.
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_MB", "16")) * 1024 * 1024,
        "IDLE_TIMEOUT_MINUTES": int(os.environ.get("IDLE_TIMEOUT_MINUTES", "30")),
        "OFFICE_TIMEZONE": os.environ.get("OFFICE_TIMEZONE") or DEFAULTS["OFFICE_TIMEZONE"],
        # The audit witness: a file the database user cannot write, and a key the database never holds.
        "AUDIT_WITNESS_FILE": os.environ.get("AUDIT_WITNESS_FILE") or witness_file(instance_path),
        "AUDIT_WITNESS_KEY": os.environ.get("AUDIT_WITNESS_KEY") or None,
    }


def apply_office_timezone(config):
    """Check OFFICE_TIMEZONE and make it the zone every formatted time is shown in (flask-babel's filters).

    :raise ValueError: the zone is unknown; the app refuses to start rather than show wrong times.
    """
    office_zone(config["OFFICE_TIMEZONE"])
    config["BABEL_DEFAULT_TIMEZONE"] = config["OFFICE_TIMEZONE"]


def witness_file(instance_path):
    """The default audit witness file: in the instance folder, beside the secret key."""
    return str(Path(instance_path) / "audit-witness.log")


DEFAULTS = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "PROXY_COUNT": 0,
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "BOOTSTRAP_SERVE_LOCAL": True,
    "BABEL_DEFAULT_LOCALE": "en",
    # Times are stored in UTC and shown, and the audit log's days filtered, in the office's zone (IANA name).
    "OFFICE_TIMEZONE": "Asia/Phnom_Penh",
    "LANGUAGES": {"en": "English", "km": "ខ្មែរ"},
    # argon2 profile: "RFC_9106_LOW_MEMORY" in production; tests use "CHEAPEST".
    "PASSWORD_HASH_PROFILE": "RFC_9106_LOW_MEMORY",
    "PASSWORD_MIN_LENGTH": 10,
    # Sign-in throttling: this many failures within the window lock the username, or the address.
    "LOGIN_THROTTLE_MINUTES": 15,
    "LOGIN_MAX_FAILURES_PER_USER": 5,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 20,
    # A page session ends after this long without a request (API tokens are not sessions).
    "IDLE_TIMEOUT_MINUTES": 30,
    # The key that signs the audit witness; None derives one from SECRET_KEY (registry.audit.witness).
    "AUDIT_WITNESS_KEY": None,
}
