"""Participant list exports: named for officers and admins, de-identified for everyone allowed."""
import tempfile
from datetime import date

from flask import Blueprint, abort, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from exports.lists import write_list
from registry.audit.services import record_event
from registry.auth.guard import guard_blueprint
from registry.auth.models import ADMIN, MANAGER, OFFICER
from registry.beneficiaries import choices, queries
from registry.beneficiaries.models import Beneficiary
from registry.beneficiaries.search_form import SearchForm
from registry.beneficiaries.views import provinces_in_scope
from registry.reference.models import Province

bp = guard_blueprint(Blueprint("beneficiary_exports", __name__, url_prefix="/beneficiaries"), ADMIN, OFFICER, MANAGER)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NAMED_ROLES = (ADMIN, OFFICER)


def age_band(born, today):
    """The age band of a birth date (or estimate) today."""
    if born is None:
        return "unknown"
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    for band, (low, high) in queries.AGE_BAND_LIMITS.items():
        if low <= age <= high:
            return band
    return "unknown"


def _deidentified(query, today):
    fields = (Beneficiary.code, Beneficiary.sex, Beneficiary.date_of_birth, Beneficiary.birth_year,
              Beneficiary.province, Beneficiary.category, Beneficiary.status, Beneficiary.registered_on)
    for code, sex, born, year, province, category, status, registered in query.select(*fields).tuples().iterator():
        estimate = born or (date(year, 7, 1) if year else None)
        yield (code, choices.label(choices.SEX, sex), choices.label(choices.AGE_BAND, age_band(estimate, today)),
               province, choices.label(choices.CATEGORY, category), choices.label(choices.STATUS, status), registered)


def _named(query):
    fields = (Beneficiary.code, Beneficiary.family_name, Beneficiary.given_name, Beneficiary.family_name_km,
              Beneficiary.given_name_km, Beneficiary.sex, Beneficiary.date_of_birth, Beneficiary.birth_year,
              Beneficiary.phone, Province.name_en, Beneficiary.district, Beneficiary.commune, Beneficiary.village,
              Beneficiary.category, Beneficiary.status, Beneficiary.registered_on)
    rows = query.where(Beneficiary.consent_data_use).join(Province).select(*fields).tuples().iterator()
    for row in rows:
        (code, family, given, family_km, given_km, sex, born, year, phone, province, district, commune, village,
         category, status, registered) = row
        yield (code, family, given, family_km, given_km, choices.label(choices.SEX, sex), born, year, phone, province,
               district, commune, village, choices.label(choices.CATEGORY, category),
               choices.label(choices.STATUS, status), registered)


@bp.get("/export.xlsx")
def export():
    """The participant list with the list page's filters, as a spreadsheet; every export is audited."""
    kind = request.args.get("kind", "named" if current_user.role in NAMED_ROLES else "deidentified")
    if kind not in ("named", "deidentified") or (kind == "named" and current_user.role not in NAMED_ROLES):
        abort(403)
    form = SearchForm(request.args, provinces=provinces_in_scope())
    query = queries.search(**form.filters()) if form.validate() else queries.search()
    if kind == "named":
        headers = [_("Code"), _("Family name"), _("Given name"), _("Family name (Khmer)"), _("Given name (Khmer)"),
                   _("Sex"), _("Date of birth"), _("Birth year (estimated)"), _("Phone"), _("Province"),
                   _("District"), _("Commune"), _("Village"), _("Category"), _("Status"), _("Registration date")]
        rows, dates = _named(query), (6, 15)
    else:
        headers = [_("Code"), _("Sex"), _("Age"), _("Province"), _("Category"), _("Status"), _("Registration date")]
        rows, dates = _deidentified(query, date.today()), (6,)
    out = tempfile.TemporaryFile()  # on disk, so 100,000 rows do not sit in memory
    count = write_list(out, _("Participants"), headers, rows, date_columns=dates)
    record_event("beneficiary.export", user=current_user._get_current_object(),
                 detail={"kind": kind, "rows": count, "filters": {k: v for k, v in form.filters().items() if v}})
    out.seek(0)
    return send_file(out, mimetype=XLSX, as_attachment=True, max_age=0,
                     download_name=f"participants-{kind}-{date.today().isoformat()}.xlsx")
