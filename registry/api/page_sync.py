"""The session page's offline sync: the API's sync of late marks, for a page signed in with its cookie.

A phone that took a session's marks offline sends them here when the connection returns: the same body
and the same answer as PUT /api/v1/sessions/<id>/attendance in sync mode (registry.api.attendance_sync),
but signed in by the session cookie, so the CSRF token goes in the `X-CSRFToken` header. It takes an
`Idempotency-Key` like the API's writes (registry.api.idempotency wraps it: one mechanism for both).
It lives beside the API because it answers in the API's JSON and reuses its reading of the marks.
"""
from flask import Blueprint, jsonify
from flask_login import current_user

from registry.api.attendance_sync import sync
from registry.api.enrollments import sheet_marks
from registry.api.errors import json_object
from registry.auth.guard import guard_blueprint
from registry.auth.models import ADMIN, OFFICER, TRAINER
from registry.programs.access import get_session_or_404

bp = guard_blueprint(Blueprint("offline_sync", __name__), ADMIN, OFFICER, TRAINER)
IDEMPOTENT_ENDPOINTS = ("offline_sync.sync_session",)


@bp.post("/sessions/<int:session_id>/sync")
def sync_session(session_id):
    """Merge a session's marks taken offline (each with taken_at, and the day the phone showed as held_on)."""
    session = get_session_or_404(session_id)
    body = json_object()
    marks = sheet_marks(body)
    response = jsonify(sync(session, body, marks, current_user._get_current_object()))
    response.headers["Cache-Control"] = "no-store"
    return response
