"""The pages' offline syncs: a session's late marks, and a follow-up recorded offline, for pages signed in with
their cookie.

A phone that took a session's marks offline sends them here when the connection returns: the same body
and the same answer as PUT /api/v1/sessions/<id>/attendance in sync mode (registry.api.attendance_sync),
but signed in by the session cookie, so the CSRF token goes in the `X-CSRFToken` header. It takes an
`Idempotency-Key` like the API's writes (registry.api.idempotency wraps it: one mechanism for both).
It lives beside the API because it answers in the API's JSON and reuses its reading of the marks.

A follow-up recorded offline (docs/offline.md, "Officer follow-up calls offline") goes the same way, one
request per follow-up: the API's body and rules (registry.api.follow_ups) plus the phone's time it was
recorded; every refusal is JSON, so that the phone can tell one a retry cannot fix (shown, with "Discard").
"""
from datetime import date, datetime

from flask import Blueprint, jsonify
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import NotFound

from registry.api.attendance_sync import sync
from registry.api.enrollments import sheet_marks
from registry.api.errors import invalid, json_object
from registry.api.follow_ups import follow_up_json, record_from_json
from registry.auth.guard import guard_blueprint, roles_required
from registry.auth.models import ADMIN, OFFICER, TRAINER
from registry.beneficiaries.queries import get_beneficiary_or_404
from registry.programs.access import get_session_or_404
from registry.programs.late_marks import taken_at_problem
from registry.timeutil import utcnow
from registry.web.errors import MESSAGES, ApiError

bp = guard_blueprint(Blueprint("offline_sync", __name__), ADMIN, OFFICER, TRAINER)
IDEMPOTENT_ENDPOINTS = ("offline_sync.sync_session", "offline_sync.sync_follow_up")


@bp.post("/sessions/<int:session_id>/sync")
def sync_session(session_id):
    """Merge a session's marks taken offline (each with taken_at, and the day the phone showed as held_on)."""
    session = get_session_or_404(session_id)
    body = json_object()
    marks = sheet_marks(body)
    response = jsonify(sync(session, body, marks, current_user._get_current_object()))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/follow-ups/new/<code>/sync")
@roles_required(ADMIN, OFFICER)
def sync_follow_up(code):
    """Record a follow-up taken offline: the API's body and rules, and recorded_at, the phone's time (201)."""
    try:
        beneficiary = get_beneficiary_or_404(code)
    except NotFound:
        raise ApiError(404, MESSAGES[404][1]) from None
    if beneficiary.status == "merged":  # not a 409: a retry would not change it
        raise ApiError(422, _("This record is merged into %(code)s: record the follow-up there.",
                              code=beneficiary.merged_into.code))
    body = json_object()
    recorded_at = _recorded_at(body.pop("recorded_at", None))
    follow_up = record_from_json(beneficiary, body, current_user._get_current_object(), recorded_at)
    response = jsonify({**follow_up_json(follow_up), "recorded_at": recorded_at.isoformat(),
                        "synced_at": utcnow().replace(microsecond=0).isoformat() + "Z"})
    response.status_code = 201
    response.headers["Cache-Control"] = "no-store"
    return response


def _recorded_at(text):
    """The phone's time the follow-up was recorded, aware; 422 naming recorded_at when missing or wrong."""
    if not isinstance(text, str):
        raise invalid(_("Send the time the follow-up was recorded on the phone (recorded_at)."), "recorded_at")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise invalid(_("Give a time as ISO 8601 with its offset, like 2026-03-02T08:30:00+07:00."),
                      "recorded_at") from None
    problem = taken_at_problem(moment, date.min)
    if problem:
        raise invalid(str(problem), "recorded_at")
    return moment
