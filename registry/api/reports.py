"""GET /api/v1/reports/indicators: the indicator report as JSON (a signed-in session for now)."""
from datetime import date

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from registry.auth.guard import guard_blueprint
from registry.auth.models import ADMIN, MANAGER, OFFICER
from registry.reports.periods import Period
from registry.reports.service import report_for_user

bp = guard_blueprint(Blueprint("api_reports", __name__, url_prefix="/api/v1/reports"), ADMIN, MANAGER, OFFICER)


def _bad(message, field):
    return jsonify({"error": message, "fields": {field: message}}), 400


@bp.get("/indicators")
def indicators():
    """{"start", "end", "indicators": [{code, title, kind, numerator, denominator, value, disaggregations}]}."""
    dates = {}
    for name in ("start", "end"):
        try:
            dates[name] = date.fromisoformat(request.args.get(name, ""))
        except ValueError:
            return _bad(_("Give %(name)s as YYYY-MM-DD.", name=name), name)
    if dates["end"] < dates["start"]:
        return _bad(_("The period ends before it starts."), "end")
    programs = request.args.getlist("program")
    if any(not p.isdigit() for p in programs):
        return _bad(_("A program is given by its number."), "program")
    provinces = [p.zfill(2) for p in request.args.getlist("province") if p]
    report = report_for_user(Period(dates["start"], dates["end"], ""), [int(p) for p in programs], provinces)
    keys = ("code", "title", "kind", "numerator", "denominator", "value", "disaggregations")
    return jsonify({"start": dates["start"].isoformat(), "end": dates["end"].isoformat(),
                    "indicators": [{k: i[k] for k in keys} for i in report["indicators"]]})
