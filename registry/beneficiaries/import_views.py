"""Importing participants from Excel: template, upload, check report, confirm, progress."""
import io
import json

from flask import (Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, send_file,
                   url_for)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from playhouse.flask_utils import get_object_or_404
from wtforms import BooleanField

from exports import XLSX_MIMETYPE
from exports.import_template import build_import_template
from exports.reading import UploadError
from registry.auth.guard import guard_blueprint
from registry.auth.models import ADMIN, OFFICER
from registry.beneficiaries import import_results, importing
from registry.beneficiaries.import_template import template_parts
from registry.beneficiaries.models import ImportJob
from registry.beneficiaries.services import record_shown
from registry.beneficiaries.upload_errors import upload_message
from registry.web.forms import ConfirmForm, FlaskForm

SHOWN_ROWS = 500  # rows of problems, duplicates and corrections a page lists; the counts say how many in all
bp = guard_blueprint(Blueprint("beneficiary_imports", __name__, url_prefix="/beneficiaries/import"), ADMIN, OFFICER)


class UploadForm(FlaskForm):
    """The sheet to check."""

    file = FileField(validators=[FileRequired()])


class ConfirmImportForm(FlaskForm):
    """Confirm the import of a checked sheet."""

    include_duplicates = BooleanField()


def get_job_or_404(job_id):
    """An import job of the signed-in user (admins see every job)."""
    job = get_object_or_404(ImportJob, ImportJob.id == job_id)
    if job.created_by_id != current_user.id and current_user.role != ADMIN:
        abort(404)
    return job


@bp.get("/")
def index():
    """The upload page with the template link and the user's recent imports."""
    jobs = (ImportJob.select(ImportJob.id, ImportJob.filename, ImportJob.status, ImportJob.created_at,
                             ImportJob.imported_rows, ImportJob.total_rows, ImportJob.heartbeat_at)
            .where(ImportJob.created_by == current_user.id).order_by(ImportJob.id.desc()).limit(10))
    return render_template("beneficiaries/import_index.html", form=UploadForm(), jobs=jobs,
                           shown_status=importing.shown_status)


@bp.get("/template.xlsx")
def template():
    """The import template in ?language= (else the user's): headers, instructions and drop-down lists."""
    language = request.args.get("language")
    if language not in current_app.config["LANGUAGES"]:
        language = str(get_locale())
    out = io.BytesIO()
    build_import_template(out, **template_parts(language))
    out.seek(0)
    return send_file(out, mimetype=XLSX_MIMETYPE, as_attachment=True,
                     download_name=f"participants-import-template-{language}.xlsx")


@bp.post("/")
def upload():
    """Keep the uploaded sheet and start checking it."""
    form = UploadForm()
    if not form.validate_on_submit():
        flash(_("Choose an .xlsx file to upload."), "danger")
        return redirect(url_for("beneficiary_imports.index"))
    try:
        job = importing.create_job(current_user._get_current_object(), form.file.data.filename, form.file.data.read())
    except UploadError as error:
        flash(upload_message(error), "danger")
        return redirect(url_for("beneficiary_imports.index"))
    importing.start(job, "check")
    return redirect(url_for("beneficiary_imports.show", job_id=job.id))


@bp.get("/<int:job_id>")
def show(job_id):
    """A job: its progress while working, its report once checked, its result (codes, linked) once imported."""
    job = get_job_or_404(job_id)
    report = json.loads(job.report)
    created = import_results.created_pages(report)
    people = import_results.shown_people([*created.get_object_list(), *report.get("updated", [])[:SHOWN_ROWS],
                                          *import_results.duplicate_codes(report, SHOWN_ROWS)], current_user)
    named = [person for person in people.values() if person.covered]
    if named:
        record_shown(named, current_user._get_current_object(), "import_result", import_job=job.id)
    return render_template("beneficiaries/import_job.html", job=job, state=importing.job_state(job), report=report,
                           form=ConfirmImportForm(), created=created, people=people, shown_rows=SHOWN_ROWS,
                           ready=import_results.ready_rows(report))


@bp.get("/<int:job_id>/state")
def state(job_id):
    """The job's progress as JSON, polled by the page."""
    return jsonify(importing.job_state(get_job_or_404(job_id)))


@bp.post("/<int:job_id>/confirm")
def confirm(job_id):
    """Import the checked sheet's good rows; a sheet with none is sent back with the reason."""
    job = get_job_or_404(job_id)
    form = ConfirmImportForm()
    waiting = form.validate_on_submit() and job.status == "checked"
    if waiting and not import_results.ready_rows(json.loads(job.report), form.include_duplicates.data):
        flash(_("No row is ready to import. Correct the file and upload it again."), "warning")
    elif waiting and importing.claim_for_import(job):
        importing.start(job, "import", include_duplicates=form.include_duplicates.data)
    else:
        flash(_("This file is not waiting for confirmation."), "warning")
    return redirect(url_for("beneficiary_imports.show", job_id=job.id))


@bp.post("/<int:job_id>/retry")
def retry(job_id):
    """Take up an interrupted job: check again, or back to the report (an interrupted import saved nothing)."""
    job = get_job_or_404(job_id)
    if ConfirmForm().validate_on_submit() and importing.is_stale(job):
        importing.resume(job)
    return redirect(url_for("beneficiary_imports.show", job_id=job.id))
