"""Participant list exports: named for officers and admins, de-identified for everyone allowed."""
import tempfile
from contextlib import contextmanager
from datetime import date
from functools import partial

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from peewee import JOIN, fn

from exports import XLSX_MIMETYPE
from exports.lists import write_list
from registry.audit.services import record_event
from registry.auth.guard import guard_blueprint
from registry.auth.models import ADMIN, MANAGER, OFFICER
from registry.beneficiaries import ages, choices, deidentified, queries
from registry.beneficiaries.choices import labels
from registry.beneficiaries.models import Beneficiary
from registry.beneficiaries.search_form import SearchForm
from registry.beneficiaries.views import provinces_in_scope
from registry.db import database, is_postgres
from registry.reference.models import Province

bp = guard_blueprint(Blueprint("beneficiary_exports", __name__, url_prefix="/beneficiaries"), ADMIN, OFFICER, MANAGER)
NAMED_ROLES = (ADMIN, OFFICER)
CURSOR = "participant_export"
BATCH_ROWS = 2000  # rows per fetch from PostgreSQL's cursor: a few hundred kB at a time


@contextmanager
def streamed(query):
    """The query's rows as tuples, fetched as they are consumed: no list of every row is ever held.

    SQLite's cursor steps through the rows by itself. psycopg2 would fetch every row at execute(),
    so on PostgreSQL the rows come from a server-side cursor a batch at a time, inside the
    transaction the cursor lives in. (peewee's postgres_ext.ServerSide needs a PostgresqlExtDatabase;
    on our plain PostgresqlDatabase it silently reads everything at once.)
    """
    if not is_postgres():
        yield query.tuples().iterator()
        return
    sql, params = query.sql()
    with database.atomic():
        database.execute_sql("SET LOCAL cursor_tuple_fraction = 1")  # every row is read: plan for all
        database.execute_sql(f"DECLARE {CURSOR} NO SCROLL CURSOR FOR {sql}", params)
        yield _fetched()
        database.execute_sql(f"CLOSE {CURSOR}")  # on an error, the rollback closes it


def _fetched():
    """The rows of the open export cursor, BATCH_ROWS per statement."""
    while rows := database.execute_sql(f"FETCH FORWARD {BATCH_ROWS} FROM {CURSOR}").fetchall():
        yield from rows


def _deidentified_query(query):
    """The columns of the de-identified list: no name, phone, place below the province, or ID; the programs."""
    query, programs = queries.with_program_names(query)
    return query.select(Beneficiary.code, Beneficiary.sex, Beneficiary.date_of_birth, Beneficiary.birth_year,
                        Beneficiary.province, Beneficiary.category, programs, Beneficiary.status,
                        Beneficiary.registered_on)


def _deidentified(rows, today):
    """The de-identified list's rows: labels for codes, an age band for the birth date, programs by name."""
    sexes, bands, categories, statuses = (labels(choices.SEX), labels(choices.AGE_BAND), labels(choices.CATEGORY),
                                          labels(choices.STATUS))
    for code, sex, born, year, province, category, programs, status, registered in rows:
        band = ages.band_of_age(ages.age_on(ages.estimated_birth(born, year), today))
        yield (code, sexes.get(sex, sex), bands[band], province,
               categories.get(category, category), queries.joined_programs(programs), statuses.get(status, status),
               registered)


def _named_query(query):
    """The columns of the named list, consented records only, the province's name joined in (in Khmer for Khmer).

    A left join: a person with no province recorded is on the list all the same, with that cell empty.
    """
    province = (fn.COALESCE(fn.NULLIF(Province.name_km, ""), Province.name_en) if str(get_locale()) == "km"
                else Province.name_en)
    return query.where(Beneficiary.consent_data_use).join(Province, JOIN.LEFT_OUTER).select(
        Beneficiary.code, Beneficiary.family_name, Beneficiary.given_name, Beneficiary.family_name_km,
        Beneficiary.given_name_km, Beneficiary.sex, Beneficiary.date_of_birth, Beneficiary.birth_year,
        Beneficiary.phone, province, Beneficiary.district, Beneficiary.commune, Beneficiary.village,
        Beneficiary.category, Beneficiary.status, Beneficiary.registered_on)


def _named(rows):
    """The named list's rows: labels for codes."""
    sexes, categories, statuses = labels(choices.SEX), labels(choices.CATEGORY), labels(choices.STATUS)
    for (code, family, given, family_km, given_km, sex, born, year, phone, province, district, commune, village,
         category, status, registered) in rows:
        yield (code, family, given, family_km, given_km, sexes.get(sex, sex), born, year, phone, province,
               district, commune, village, categories.get(category, category), statuses.get(status, status),
               registered)


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
    kind = request.args.get("kind", "named" if current_user.role in NAMED_ROLES else "deidentified")
    if kind not in ("named", "deidentified") or (kind == "named" and current_user.role not in NAMED_ROLES):
        abort(403)
    refused = deidentified.refused_parameters(request.args) if kind == "deidentified" else []
    if refused:
        return _identifying(kind, refused)
    form = SearchForm(request.args, provinces=provinces_in_scope(), programs=queries.programs())
    if not form.validate():  # never a list wider than the one asked for
        return _refused(form)
    query = queries.search(**form.filters())
    if kind == "named":
        headers = [_("Code"), _("Family name"), _("Given name"), _("Family name (Khmer)"), _("Given name (Khmer)"),
                   _("Sex"), _("Date of birth"), _("Birth year (estimated)"), _("Phone"), _("Province"),
                   _("District"), _("Commune"), _("Village"), _("Category"), _("Status"), _("Registration date")]
        query, shape, dates = _named_query(query), _named, (6, 15)
    else:
        headers = [_("Code"), _("Sex"), _("Age"), _("Province"), _("Category"), _("Program"), _("Status"),
                   _("Registration date")]
        query, shape, dates = _deidentified_query(query), partial(_deidentified, today=date.today()), (7,)
    out = tempfile.TemporaryFile()  # on disk, so 100,000 rows do not sit in memory; gone once closed
    with streamed(query) as rows:
        count = write_list(out, _("Participants"), headers, shape(rows), date_columns=dates)
    record_event("beneficiary.export", user=current_user._get_current_object(),
                 detail={"kind": kind, "rows": count, "filters": {k: v for k, v in form.filters().items() if v}})
    out.seek(0)
    return send_file(out, mimetype=XLSX_MIMETYPE, as_attachment=True, max_age=0,
                     download_name=f"participants-{kind}-{date.today().isoformat()}.xlsx")
