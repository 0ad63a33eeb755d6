"""GET /api/v1/reports/indicators: the indicator report as JSON, for the caller's provinces."""
from datetime import date

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from registry.api.blueprints import api_blueprint
from registry.auth.models import ADMIN, MANAGER, OFFICER
from registry.reports.periods import Period
from registry.reports.service import OutsideScope, report_for_user
from registry.web.errors import ApiError, error_answer
from registry.web.routing import id_args

bp = api_blueprint("api_reports", ADMIN, MANAGER, OFFICER)
bp.register_error_handler(OutsideScope, lambda error: error_answer(403))


def _bad(message, field):
    return ApiError(400, message, {field: message})


@bp.get("/reports/indicators")
def indicators():
    """{"start", "end", "indicators": [{code, title, title_km, kind, numerator, denominator, value, disaggregations}]}.

    The keys and the title stay in English whatever the token's language; title_km is the Khmer title ("" if none).
    """
    dates = {}
    for name in ("start", "end"):
        try:
            dates[name] = date.fromisoformat(request.args.get(name, ""))
        except ValueError:
            raise _bad(_("Give %(name)s as YYYY-MM-DD.", name=name), name) from None
    if dates["end"] < dates["start"]:
        raise _bad(_("The period ends before it starts."), "end")
    programs = id_args("program")  # 400 naming it for anything but a record number
    provinces = [p.zfill(2) for p in request.args.getlist("province") if p]
    if any(not (p.isascii() and p.isdigit()) or len(p) != 2 for p in provinces):
        raise _bad(_("A province is given by its code, e.g. 02."), "province")
    report = report_for_user(current_user, Period(dates["start"], dates["end"], ""), programs, provinces)
    keys = ("code", "title", "title_km", "kind", "numerator", "denominator", "value", "disaggregations")
    return jsonify({"start": dates["start"].isoformat(), "end": dates["end"].isoformat(),
                    "indicators": [{k: i[k] for k in keys} for i in report["indicators"]]})
