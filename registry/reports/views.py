"""The report page: choose a period, programs and a province; see every indicator and disaggregation."""
import io
from datetime import date

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from registry.auth.guard import guard_blueprint
from registry.auth.models import ADMIN, MANAGER, OFFICER
from registry.beneficiaries.views import provinces_in_scope
from registry.programs.models import Program
from registry.reports.periods import fiscal_year_of, parse_period
from registry.audit.services import record_event
from registry.reports.indicators import indicator_report
from registry.reports.service import report_for_user, scoped_provinces
from registry.reports.workbook import indicator_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
bp = guard_blueprint(Blueprint("reports", __name__, url_prefix="/reports"), ADMIN, MANAGER, OFFICER)


def period_choices(today=None):
    """The periods offered: this fiscal year's and last year's quarters and years, and the life of the project."""
    year = fiscal_year_of(today or date.today())
    choices = []
    for fy in (year, year - 1):
        choices += [(f"FY{fy}-Q{q}", f"FY{fy} Q{q}") for q in (1, 2, 3, 4)] + [(f"FY{fy}", f"FY{fy}")]
    return choices + [("life", _("Life of the project")), ("custom", _("Dates below"))]


def _date_arg(name):
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _chosen():
    """(period choice, Period or None, error, programs, provinces) from the page's query string."""
    args = request.args
    chosen = args.get("period") or f"FY{fiscal_year_of(date.today())}-Q1"
    programs = [int(p) for p in args.getlist("program") if p.isdigit()]
    provinces = [p for p in args.getlist("province") if p]
    try:
        return chosen, parse_period("" if chosen == "custom" else chosen, _date_arg("start"), _date_arg("end")), \
            None, programs, provinces
    except ValueError as problem:
        return chosen, None, str(problem), programs, provinces


@bp.get("/")
def index():
    """The indicator report for the chosen period and filters."""
    chosen, period, error, programs_asked, provinces_asked = _chosen()
    report = report_for_user(period, programs_asked, provinces_asked) if period else None
    programs = {str(p.id): p.name for p in Program.select()}
    return render_template("reports/index.html", report=report, error=error, chosen=chosen,
                           periods=period_choices(), programs=programs, provinces=provinces_in_scope())


@bp.get("/export.xlsx")
def export():
    """The donor workbook of the chosen period: no names, phones or ID numbers; audited."""
    chosen, period, error, programs, provinces = _chosen()
    if error:
        abort(400)
    scope = scoped_provinces(provinces)
    report = indicator_report(period, programs=programs, provinces=scope)
    filters = [_("Programs: %(names)s", names=", ".join(p.name for p in Program.select().where(
        Program.id.in_(programs))) if programs else _("all")),
               _("Provinces: %(codes)s", codes=", ".join(sorted(scope)) if scope is not None else _("all"))]
    data = indicator_workbook(report, programs, scope, filters)
    record_event("report.export", user=current_user._get_current_object(),
                 detail={"period": period.label, "programs": programs, "provinces": sorted(scope or [])})
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, max_age=0,
                     download_name=f"indicator-report-{period.label.replace(' ', '-')}.xlsx")
