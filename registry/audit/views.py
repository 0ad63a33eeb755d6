"""The audit log page (admins only): browse and filter the events, export them to Excel."""
import tempfile
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from exports import XLSX_MIMETYPE
from exports.lists import SECONDS_FORMAT, write_list
from registry.audit import queries
from registry.audit.display import detail_lines
from registry.audit.forms import AuditFilterForm
from registry.audit.services import record_event
from registry.auth.guard import guard_blueprint
from registry.auth.models import ADMIN
from registry.beneficiaries.queries import codes_by_id, ids_with_code
from registry.web.paging import paginated

PER_PAGE = 50
bp = guard_blueprint(Blueprint("audit", __name__, url_prefix="/audit"), ADMIN)


def _filter_form():
    """The filter form on the query string, offering the actions and record types in the log."""
    return AuditFilterForm(request.args, actions=queries.actions_present(),
                           object_types=queries.object_types_present())


def _filter_args():
    """The query string without the page number, for the export link and the way back to the page."""
    return {key: value for key, value in request.args.items() if key != "page" and value}


@bp.get("/")
def index():
    """The events newest first, filtered; invalid filters show their errors and no events."""
    form = _filter_form()
    if not form.validate():
        return render_template("audit/index.html", form=form, pages=None, events=[], codes={})
    pages = paginated(queries.search_events(**form.filters(), ids_with_code=ids_with_code), PER_PAGE)
    events = list(pages.get_object_list())
    codes = queries.participant_codes(events, codes_by_id)
    if codes:  # the changes shown may hold their phones, ID numbers and birth dates
        record_event("audit.view", user=current_user._get_current_object(),
                     detail={"filters": _filter_args(), "shown": sorted(set(codes.values()))})
    return render_template("audit/index.html", form=form, pages=pages, events=events, codes=codes,
                           detail_lines=detail_lines, export_args=_filter_args())


@bp.get("/export.xlsx")
def export():
    """The filtered events as a spreadsheet; the export itself is audited with its filters."""
    form = _filter_form()
    if not form.validate():
        flash(_("Correct the filters before exporting."), "danger")
        return redirect(url_for("audit.index", **_filter_args()))
    headers = [_("Event"), _("Chain position"), _("Time (UTC)"), _("User"), _("Action"), _("Record type"),
               _("Record"), _("Participant code"), _("IP address"), _("Browser"), _("Detail")]
    out = tempfile.TemporaryFile()  # on disk, so a long log does not sit in memory
    rows = queries.export_rows(queries.search_events(**form.filters(), ids_with_code=ids_with_code), codes_by_id)
    count = write_list(out, _("Audit log"), headers, rows,
                       column_widths=(9, 9, 20, 16, 24, 14, 10, 14, 16, 30, 80), datetime_format=SECONDS_FORMAT)
    record_event("audit.export", user=current_user._get_current_object(),
                 detail={"rows": count, "filters": {k: v for k, v in form.filters().items() if v}})
    out.seek(0)
    return send_file(out, mimetype=XLSX_MIMETYPE, as_attachment=True, max_age=0,
                     download_name=f"audit-log-{date.today().isoformat()}.xlsx")
