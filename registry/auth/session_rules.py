"""Rules on a signed-in session: it ends after a while without activity, and a temporary password must go first."""
from datetime import timedelta

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry import timeutil
from registry.auth import page_sessions, services
from registry.web.errors import ApiError, is_api_request

# Pages a user with a temporary password may still open: to change it, or to leave.
OPEN_WITH_TEMPORARY_PASSWORD = {"auth.account", "auth.logout", "auth.sign_out_everywhere", "auth.set_language",
                                "auth.login"}


def _is_static():
    endpoint = request.endpoint or ""
    return endpoint == "static" or endpoint.endswith(".static") or endpoint == "files.khmer_font"


def end_idle_session():
    """before_request: sign out a page session idle for longer than IDLE_TIMEOUT_MINUTES.

    Idle time runs from the session's last_seen_at, which sign-in sets: every session has one, and it
    lives in the database, so a cookie cannot carry it, lose it or hold it back.
    """
    if is_api_request() or _is_static() or not current_user.is_authenticated:
        return None
    user = current_user._get_current_object()
    now = timeutil.utcnow()
    minutes = current_app.config["IDLE_TIMEOUT_MINUTES"]
    if user.page_session.idle_for(now) > timedelta(minutes=minutes):
        services.sign_out(user, reason="idle")
        flash(_("You were signed out after %(num)d minutes without activity. Sign in again to go on.",
                num=minutes), "info")
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
    page_sessions.touch(user.page_session, now)
    return None


def require_own_password():
    """before_request: a user whose password an admin chose must choose their own before anything else."""
    if _is_static() or not current_user.is_authenticated or not current_user.must_change_password:
        return None
    if request.endpoint in OPEN_WITH_TEMPORARY_PASSWORD:
        return None
    if is_api_request():
        raise ApiError(403, _("Choose your own password on your account page first."))
    return redirect(url_for("auth.account"))
