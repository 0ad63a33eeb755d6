"""Importing participants from Excel: template, upload, check report, confirm, progress."""
import io
import json

from flask import (Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, send_file,
                   url_for)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from playhouse.flask_utils import get_object_or_404
from wtforms import BooleanField

from exports import XLSX_MIMETYPE
from exports.import_template import build_import_template
from exports.reading import UploadError
from registry.auth.guard import guard_blueprint
from registry.auth.models import ADMIN, OFFICER
from registry.beneficiaries import importing
from registry.beneficiaries.import_template import template_parts
from registry.beneficiaries.models import ImportJob
from registry.beneficiaries.upload_errors import upload_message
from registry.web.forms import ConfirmForm

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
    """A job: its progress while working, its report once checked, its result once imported."""
    job = get_job_or_404(job_id)
    return render_template("beneficiaries/import_job.html", job=job, state=importing.job_state(job),
                           report=json.loads(job.report), form=ConfirmImportForm())


@bp.get("/<int:job_id>/state")
def state(job_id):
    """The job's progress as JSON, polled by the page."""
    return jsonify(importing.job_state(get_job_or_404(job_id)))


@bp.post("/<int:job_id>/confirm")
def confirm(job_id):
    """Import the checked sheet's good rows."""
    job = get_job_or_404(job_id)
    form = ConfirmImportForm()
    if form.validate_on_submit() and importing.claim_for_import(job):
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
