"""Participant list exports: which list a role may take, the rows of each list, and the workbook written.

The named list (officers and admins) holds consented records only; the de-identified list has no name,
phone, place below the province or ID, and an age band for the birth date. Rows are streamed from the
database (a server-side cursor on PostgreSQL) straight into a write-only workbook.
"""
from contextlib import contextmanager
from functools import partial

from flask_babel import get_locale
from flask_babel import gettext as _
from peewee import JOIN, fn

from exports.lists import write_list
from registry.auth.models import ADMIN, OFFICER
from registry.beneficiaries import ages, choices, queries
from registry.beneficiaries.choices import labels
from registry.beneficiaries.models import Beneficiary
from registry.db import database, is_postgres
from registry.reference.models import Province

KINDS = ("named", "deidentified")
NAMED_ROLES = (ADMIN, OFFICER)
CURSOR = "participant_export"
BATCH_ROWS = 2000  # rows per fetch from PostgreSQL's cursor: a few hundred kB at a time


def default_kind(role):
    """The list a role gets when it does not choose: named for those allowed names, else de-identified."""
    return "named" if role in NAMED_ROLES else "deidentified"


def may_export(kind, role):
    """Tell whether a role may take a list of this kind (names only for officers and admins)."""
    return kind in KINDS and (kind != "named" or role in NAMED_ROLES)


def write_participants(out, kind, query, today):
    """Write the participants of a search query as the named or de-identified list to `out`; return the rows."""
    if kind == "named":
        headers = [_("Code"), _("Family name"), _("Given name"), _("Family name (Khmer)"), _("Given name (Khmer)"),
                   _("Sex"), _("Date of birth"), _("Birth year (estimated)"), _("Phone"), _("Province"),
                   _("District"), _("Commune"), _("Village"), _("Category"), _("Status"), _("Registration date")]
        query, shape, dates = _named_query(query), _named, (6, 15)
    else:
        headers = [_("Code"), _("Sex"), _("Age"), _("Province"), _("Category"), _("Program"), _("Status"),
                   _("Registration date")]
        query, shape, dates = _deidentified_query(query), partial(_deidentified, today=today), (7,)
    with streamed(query) as rows:
        return write_list(out, _("Participants"), headers, shape(rows), date_columns=dates)


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
