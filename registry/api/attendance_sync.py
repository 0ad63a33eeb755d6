"""An offline sync of a session's attendance over the API: marks that carry `taken_at`, merged one by one.

The page's and the API's ordinary saves (no `taken_at`) stay all or nothing; see
registry.programs.late_marks for the merge rule and docs/offline.md for what a client sends.
"""
from datetime import date, datetime

from flask_babel import gettext as _

from registry.api.errors import invalid
from registry.programs.late_marks import LateMark, sync_attendance, taken_at_problem
from registry.programs.services import TrainingError
from registry.timeutil import utcnow
from registry.web.errors import ApiError


def is_sync(marks):
    """Whether a sheet of (code, status, taken_at) marks is an offline sync: some mark carries taken_at."""
    return any(taken_at is not None for _code, _status, taken_at in marks)


def sync(session, body, marks, user):
    """Merge a sync's marks into the session and return the answer's JSON; 422 naming each field at fault."""
    problems = {}
    seen_on = _seen_on(body.get("held_on"), problems)
    late_marks, now = [], utcnow()
    for i, (code, status, text) in enumerate(marks):
        taken_at = _taken_at(text, seen_on, now, f"marks[{i}].taken_at", problems)
        late_marks.append(LateMark(code, status, taken_at))
    if problems:
        raise ApiError(422, _("Some fields are not valid: %(fields)s.", fields=", ".join(sorted(problems))),
                       problems)
    try:
        result = sync_attendance(session, late_marks, seen_on, user)
    except TrainingError as error:
        raise invalid(str(error), "marks") from None
    return {"session": session.id, "marks": len(marks), "corrections": result.corrections,
            "synced_at": _utc(result.synced_at), "applied": result.applied,
            "kept_out": [{"beneficiary": n.code, "reason": n.reason, "why": n.why,
                          "server_taken_at": _utc(n.server_taken_at)} for n in result.kept_out],
            "refused": [{"beneficiary": n.code, "reason": n.reason, "why": n.why} for n in result.refused]}


def _seen_on(text, problems):
    """The session's day the phone showed (held_on, required in a sync), or None with the problem noted."""
    if text is None:
        problems["held_on"] = _("Send the session's date as the phone showed it (held_on) with marks that "
                                "carry taken_at.")
        return None
    try:
        return date.fromisoformat(text) if isinstance(text, str) and len(text) == 10 else date.fromisoformat("")
    except ValueError:
        problems["held_on"] = _("Give a date as YYYY-MM-DD.")
        return None


def _taken_at(text, seen_on, now, name, problems):
    """The mark's time taken as an aware datetime, or None with the problem noted under `name`."""
    if text is None:
        problems[name] = _("Every mark of a sync needs taken_at, the time it was taken on the phone.")
        return None
    try:
        taken_at = datetime.fromisoformat(text)
    except ValueError:
        problems[name] = _("Give a time as ISO 8601 with its offset, like 2026-03-02T08:30:00+07:00.")
        return None
    problem = taken_at_problem(taken_at, seen_on or date.min, now)
    if problem:
        problems[name] = str(problem)
    return taken_at


def _utc(moment):
    """A stored (naive UTC) time as ISO 8601 with Z."""
    return moment.isoformat() + "Z" if moment else None
