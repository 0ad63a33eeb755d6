"""Sign-in sheets: download or print a cohort's sheet, and upload it filled in to record the attendance."""
import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired

from exports import XLSX_MIMETYPE
from exports.reading import UploadError
from registry.audit.services import record_event
from registry.auth.guard import guard_blueprint
from registry.auth.models import ADMIN, OFFICER, TRAINER
from registry.beneficiaries.upload_errors import upload_message
from registry.programs import signin, signin_reading
from registry.programs.access import get_cohort_or_404, get_session_or_404
from registry.programs.services import TrainingError
from registry.web.forms import FlaskForm
from registry.web.routing import record_id

bp = guard_blueprint(Blueprint("signin", __name__, url_prefix="/cohorts"), ADMIN, OFFICER, TRAINER)


class SigninUploadForm(FlaskForm):
    """A filled-in sign-in sheet."""

    file = FileField(_l("Filled-in sign-in sheet (.xlsx)"),
                     validators=[FileRequired(_l("Choose an .xlsx file to upload."))])


def _session_of(cohort, session_id):
    """A session of this cohort (the loader checks scope and assignment), else 404."""
    session = get_session_or_404(session_id)
    if session.cohort_id != cohort.id:
        abort(404)
    return session


def _audit_sheet(cohort, session, sheet_format, people):
    """Sign-in sheets hold names: each one handed out is audited."""
    record_event("attendance.signin_sheet", obj=cohort, user=current_user._get_current_object(),
                 detail={"format": sheet_format, "session": session.id if session else None, "people": people})


@bp.get("/<int:cohort_id>/signin.xlsx")
@bp.get("/<int:cohort_id>/sessions/<int:session_id>/signin.xlsx")
def workbook(cohort_id, session_id=None):
    """The sign-in sheet of the whole cohort, or of one session, as a workbook."""
    cohort = get_cohort_or_404(cohort_id)
    session = _session_of(cohort, session_id) if session_id else None
    sheet = signin.signin_sheet(cohort, session, viewer=current_user)
    data = signin.sheet_workbook(sheet)
    _audit_sheet(cohort, session, "xlsx", len(sheet.people))
    suffix = f"-{session.held_on.isoformat()}" if session else ""
    return send_file(io.BytesIO(data), mimetype=XLSX_MIMETYPE, as_attachment=True, max_age=0,
                     download_name=f"signin-cohort-{cohort.id}{suffix}.xlsx")


@bp.get("/<int:cohort_id>/signin")
def print_sheet(cohort_id):
    """The sign-in sheet as a page to print; ?session=<id> for one session."""
    cohort = get_cohort_or_404(cohort_id)
    chosen = request.args.get("session", "")
    if chosen and record_id(chosen) is None:
        abort(404)
    session = _session_of(cohort, record_id(chosen)) if chosen else None
    sheet = signin.signin_sheet(cohort, session, viewer=current_user)
    _audit_sheet(cohort, session, "print", len(sheet.people))
    return render_template("programs/signin_print.html", cohort=cohort, session=session, sheet=sheet,
                           headers=signin.column_headers(), legend=signin.mark_legend(),
                           all_sessions=signin.sheet_sessions(cohort))


@bp.route("/<int:cohort_id>/signin/upload", methods=["GET", "POST"])
def upload(cohort_id):
    """Upload a filled-in sheet: every problem listed and nothing saved, or every mark saved at once."""
    cohort = get_cohort_or_404(cohort_id)
    form, errors, message, count = SigninUploadForm(), [], None, 0
    if form.validate_on_submit():
        try:
            count, errors = _check_and_record(cohort, form.file.data.read())
        except UploadError as error:
            message = upload_message(error)
        except TrainingError as error:  # the sessions changed between the check and the save
            message = str(error)
        if message is None and not errors:
            _flash_count(count)
            return redirect(url_for("signin.upload", cohort_id=cohort.id))
    return render_template("programs/signin_upload.html", cohort=cohort, form=form, errors=errors, message=message,
                           legend=signin.mark_legend())


def _check_and_record(cohort, data):
    """(marks recorded, errors): the sheet is recorded only when it has no error."""
    user = current_user._get_current_object()
    marks, errors = signin_reading.read_signin_sheet(cohort, data, user)
    return (0 if errors else signin.record_signin_sheet(cohort, marks, user)), errors


def _flash_count(count):
    if count:
        flash(ngettext("%(num)d mark recorded.", "%(num)d marks recorded.", count), "success")
    else:
        flash(_("The sheet has no marks: nothing was recorded."), "warning")
