"""Taking attendance for one session: every participant on one screen, saved at once."""
from datetime import date

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.auth.guard import guard_blueprint, roles_required
from registry.auth.models import ADMIN, OFFICER, TRAINER
from registry.programs import queries
from registry.programs.access import get_session_or_404
from registry.programs.attendance import record_attendance
from registry.programs.cover import OutsideCover
from registry.programs.models import MARKS
from registry.programs.offline_bundle import offline_bundle
from registry.programs.services import TrainingError
from registry.web.forms import FlaskForm

bp = guard_blueprint(Blueprint("attendance", __name__, url_prefix="/sessions"), ADMIN, OFFICER, TRAINER)


def _marks_posted(rows):
    """{enrollment id: mark} from the form: one radio group per person; unanswered people are left out."""
    marks = {}
    for row in rows:
        value = request.form.get(f"mark-{row.enrollment.id}")
        if value:
            marks[row.enrollment.id] = value
    return marks


@bp.route("/<int:session_id>", methods=["GET", "POST"])
def take(session_id):
    """The attendance page of one session (phone first)."""
    session = get_session_or_404(session_id)
    cohort = session.cohort
    rows = queries.session_roster(session)
    form, status = FlaskForm(), 200
    if form.validate_on_submit():
        marks = _marks_posted(rows)
        try:
            corrections = record_attendance(session, marks, current_user._get_current_object())
        except TrainingError as error:
            flash(_("Nothing was saved: %(reason)s", reason=str(error)), "danger")
            status = 403 if isinstance(error, OutsideCover) else 200  # marks sent for read-only people
        else:
            flash(_("Attendance saved: %(num)d marks.", num=len(marks)), "success")
            if corrections:
                flash(_("%(num)d earlier marks corrected.", num=len(corrections)), "info")
            return redirect(url_for("attendance.take", session_id=session.id))
    return render_template("attendance/session.html", session=session, cohort=cohort, rows=rows, form=form,
                           marks=MARKS, future=session.held_on > date.today()), status


@bp.get("/offline.json")
@roles_required(TRAINER)
def offline_copy():
    """The trainer's sessions of the next 14 days with their rosters, for the phone to keep (offline_bundle)."""
    response = jsonify(offline_bundle(current_user._get_current_object(), date.today()))
    response.headers["Cache-Control"] = "no-store"  # people's names: never in the browser's HTTP cache
    return response
