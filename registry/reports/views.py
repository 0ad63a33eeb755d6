"""The report page: choose a period, programs and a province; see every indicator and disaggregation."""
import io
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from exports import XLSX_MIMETYPE
from registry.audit.services import record_event
from registry.auth.guard import guard_blueprint, roles_required
from registry.auth.models import ADMIN, MANAGER, OFFICER
from registry.beneficiaries.models import Beneficiary
from registry.programs.models import Program
from registry.reference.models import Setting
from registry.reports import locking
from registry.reports.computations import DIMENSIONS
from registry.reports.indicators import PEOPLE_SHOWN, in_language, indicator_report, people_behind
from registry.reports.masking import mask_small_cells
from registry.reports.models import Indicator
from registry.reports.periods import fiscal_year_of, parse_period
from registry.reports.service import OutsideScope, report_for_user, scoped_provinces
from registry.reports.trace import traced_changes
from registry.reports.workbook import indicator_workbook, workbook_bytes, workbook_document
from registry.web.errors import error_answer
from registry.web.forms import ConfirmForm
from registry.web.routing import id_args
from registry.web.scope import provinces_in_scope

bp = guard_blueprint(Blueprint("reports", __name__, url_prefix="/reports"), ADMIN, MANAGER, OFFICER)
bp.register_error_handler(OutsideScope, lambda error: error_answer(403))


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
    programs = id_args("program")  # a number no program has is refused, never dropped: the report is not wider
    provinces = [p for p in args.getlist("province") if p]
    try:
        return chosen, parse_period("" if chosen == "custom" else chosen, _date_arg("start"), _date_arg("end")), \
            None, programs, provinces
    except ValueError as problem:
        return chosen, None, str(problem), programs, provinces


@bp.get("/")
def index():
    """The indicator report for the chosen period and filters; a locked period shows what was submitted."""
    chosen, period, error, programs_asked, provinces_asked = _chosen()
    report, submission = None, None
    if period:
        submission = locking.submission_for(period, programs_asked, scoped_provinces(current_user, provinces_asked))
        report = (locking.submitted_document(submission) if submission
                  else report_for_user(current_user, period, programs_asked, provinces_asked))
        report = in_language(report, get_locale())
    programs = {str(p.id): p.name for p in Program.select()}
    provinces = list(provinces_in_scope())
    return render_template("reports/index.html", report=report, error=error, chosen=chosen,
                           periods=period_choices(), programs=programs, provinces=provinces,
                           province_names={p.code: p.name for p in provinces},
                           mask_below=Setting.get_value("mask_below", "0"), submission=submission,
                           can_lock=current_user.role in (ADMIN, MANAGER), lock_form=ConfirmForm())


@bp.get("/export.xlsx")
def export():
    """The donor workbook of the chosen period: no names, phones or ID numbers; audited."""
    chosen, period, error, programs, provinces = _chosen()
    if error:
        abort(400)
    scope = scoped_provinces(current_user, provinces)
    below = request.args.get("mask", type=int)
    below = int(Setting.get_value("mask_below", "0")) if below is None else max(below, 0)
    submission = locking.submission_for(period, programs, scope)
    if submission:  # what was submitted, whatever changed since
        data = workbook_bytes(mask_small_cells(locking.submitted_document(submission), below))
    else:
        data = _fresh_workbook(period, programs, scope, below)
    record_event("report.export", user=current_user._get_current_object(),
                 detail={"period": period.label, "programs": programs, "provinces": sorted(scope or []),
                         "mask_below": below, "submitted": bool(submission)})
    return send_file(io.BytesIO(data), mimetype=XLSX_MIMETYPE, as_attachment=True, max_age=0,
                     download_name=f"indicator-report-{period.label.replace(' ', '-')}.xlsx")


def _filters_text(programs, scope):
    return [_("Programs: %(names)s", names=", ".join(p.name for p in Program.select().where(
        Program.id.in_(programs))) if programs else _("all")),
            _("Provinces: %(codes)s", codes=", ".join(sorted(scope)) if scope is not None else _("all"))]


def _fresh_workbook(period, programs, scope, below):
    report = mask_small_cells(indicator_report(period, programs=programs, provinces=scope), below)
    return indicator_workbook(report, programs, scope, _filters_text(programs, scope))


@bp.post("/lock")
@roles_required(ADMIN, MANAGER)
def lock():
    """Lock the chosen period as submitted: its report is kept as it is now."""
    chosen, period, error, programs, provinces = _chosen()
    if error or not ConfirmForm().validate_on_submit():
        abort(400)
    scope = scoped_provinces(current_user, provinces)
    document = workbook_document(indicator_report(period, programs=programs, provinces=scope), programs, scope,
                                 _filters_text(programs, scope))
    try:
        locking.lock(period, programs, scope, document, current_user._get_current_object())
    except locking.LockError as problem:
        flash(str(problem), "warning")
    else:
        flash(_("%(period)s is locked as submitted.", period=period.label), "success")
    return redirect(url_for("reports.index", **request.args))


@bp.get("/changes")
def changes():
    """What changed in the records since a locked period was submitted, indicator by indicator."""
    chosen, period, error, programs, provinces = _chosen()
    scope = scoped_provinces(current_user, provinces) if not error else None
    submission = locking.submission_for(period, programs, scope) if not error else None
    if submission is None:
        abort(404)
    # The titles as submitted, in the user's language when the submission kept them in it.
    differences = locking.changes_since(in_language(locking.submitted_document(submission), get_locale()),
                                        indicator_report(period, programs=programs, provinces=scope))
    traced, more = traced_changes(submission.submitted_at, period, scope)
    return render_template("reports/changes.html", submission=submission, differences=differences, period=period,
                           traced=traced, more_traced=more)


@bp.get("/people")
def people():
    """The people behind one count: names for officers and admins, codes only for managers; audited.

    A person without consent to data use (withdrawn consent included) is shown by code only, to everyone.
    """
    chosen, period, error, programs, provinces = _chosen()
    indicator = Indicator.get_or_none(Indicator.code == request.args.get("indicator", ""))
    by, category = request.args.get("by") or None, request.args.get("category") or None
    if error or indicator is None or (by is not None and by not in DIMENSIONS):
        abort(404)
    ids = people_behind(indicator, period, programs, scoped_provinces(current_user, provinces), by, category,
                        request.args.get("part") == "numerator")
    people = list(Beneficiary.select().where(Beneficiary.id.in_(ids or [0])).order_by(Beneficiary.code))
    record_event("report.people", user=current_user._get_current_object(), detail={
        "indicator": indicator.code, "period": period.label, "by": by, "category": category, "people": len(people)})
    names = current_user.role in (ADMIN, OFFICER)
    return render_template("reports/people.html", indicator=indicator, period=period, people=people, by=by,
                           category=category, names=names, limit=PEOPLE_SHOWN,
                           unnamed=sum(not p.consent_data_use for p in people) if names else 0)
