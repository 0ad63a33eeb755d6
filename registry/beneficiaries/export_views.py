"""Participant list exports: named for officers and admins, de-identified for everyone allowed."""
import tempfile
from datetime import date

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from exports import XLSX_MIMETYPE
from registry.audit.services import record_event
from registry.auth.guard import guard_blueprint
from registry.auth.models import ADMIN, MANAGER, OFFICER
from registry.beneficiaries import deidentified, exporting, queries
from registry.beneficiaries.search_form import SearchForm
from registry.web.scope import provinces_in_scope

bp = guard_blueprint(Blueprint("beneficiary_exports", __name__, url_prefix="/beneficiaries"), ADMIN, OFFICER, MANAGER)


def _refused(form):
    """The page saying which of the list's filters is not valid, instead of an export that would ignore it."""
    fields = ", ".join(str(form[name].label.text) for name in form.errors)
    return render_template("errors/error.html", code=400, title=_("This list cannot be exported"),
                           text=_("Not a valid filter: %(fields)s. Choose it again on the list.", fields=fields)), 400


def _identifying(kind, refused):
    """The page refusing a de-identified list filtered by what singles a person out; the attempt is audited."""
    record_event("beneficiary.export_refused", user=current_user._get_current_object(),
                 detail={"kind": kind, "parameters": {name: request.args.getlist(name) for name in refused}})
    return render_template("errors/error.html", code=400, title=_("This list cannot be exported"),
                           text=_("A list without names is filtered only by province, program, category, sex, age "
                                  "and status, never by a name, phone, ID number or code. Not accepted: "
                                  "%(names)s.", names=", ".join(refused))), 400


@bp.get("/export.xlsx")
def export():
    """The participant list with the list page's filters, as a spreadsheet; every export is audited."""
    kind = request.args.get("kind", exporting.default_kind(current_user.role))
    if not exporting.may_export(kind, current_user.role):
        abort(403)
    refused = deidentified.refused_parameters(request.args) if kind == "deidentified" else []
    if refused:
        return _identifying(kind, refused)
    form = SearchForm(request.args, provinces=provinces_in_scope(), programs=queries.programs())
    if not form.validate():  # never a list wider than the one asked for
        return _refused(form)
    out = tempfile.TemporaryFile()  # on disk, so 100,000 rows do not sit in memory; gone once closed
    count = exporting.write_participants(out, kind, queries.search(**form.filters()), date.today())
    record_event("beneficiary.export", user=current_user._get_current_object(),
                 detail={"kind": kind, "rows": count, "filters": {k: v for k, v in form.filters().items() if v}})
    out.seek(0)
    return send_file(out, mimetype=XLSX_MIMETYPE, as_attachment=True, max_age=0,
                     download_name=f"participants-{kind}-{date.today().isoformat()}.xlsx")
