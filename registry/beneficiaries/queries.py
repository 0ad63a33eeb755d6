"""Reading participants: the scoped loader and the search behind the list."""
from datetime import date, timedelta

from flask import redirect, url_for
from peewee import JOIN, Table, fn

from registry.beneficiaries import ages
from registry.beneficiaries.duplicates import ID_NUMBER_KEY_LENGTH
from registry.beneficiaries.models import Beneficiary
from registry.beneficiaries.name_search import best_first, search_condition
from registry.beneficiaries.names import clean_name
from registry.beneficiaries.phones import normalize_phone, phone_part
from registry.db import database, is_postgres
from registry.reference.models import Province
from registry.sql import survivor
from registry.timeutil import add_years
from registry.web.scope import in_scope_or_404, scoped

AGE_BAND_LIMITS = ages.limits()
# Training's tables, read by name for the program filter and column: programs imports beneficiaries,
# never the reverse.
ENROLLMENT = Table("enrollment", ("id", "beneficiary_id", "cohort_id", "enrolled_on", "status"))
COHORT = Table("cohort", ("id", "program_id"))
PROGRAM = Table("program", ("id", "name")).bind(database)
NAMES_APART = "\x1f"  # between the program names of one person, as the database joins them (no name holds it)


def in_scope():
    """Participants the signed-in user may see: their provinces, merged duplicates left out."""
    return scoped(Beneficiary.listed(), Beneficiary.province)


def with_province(query):
    """The query with each participant's province in the same rows (lists show its name)."""
    return query.select(Beneficiary, Province).join_from(Beneficiary, Province, JOIN.LEFT_OUTER)


def get_beneficiary_or_404(code):
    """The participant with this code within the user's scope, else 404 (merged ones too)."""
    return in_scope_or_404(Beneficiary.get_or_none(Beneficiary.code == code.strip().upper()))


def ids_with_code(code):
    """The primary keys (as text) of the participant with this code, whatever the scope: none or one."""
    query = Beneficiary.select(Beneficiary.id).where(Beneficiary.code == code.upper())
    return [str(pk) for (pk,) in query.tuples()]


def codes_by_id(ids):
    """{primary key as text: code} of these participants, whatever the scope, in one query."""
    query = Beneficiary.select(Beneficiary.id, Beneficiary.code).where(Beneficiary.id.in_(sorted(ids)))
    return {str(pk): code for pk, code in query.tuples()}


def survivor_redirect(beneficiary):
    """For a merged record, a redirect to the record it was merged into; else None."""
    if beneficiary.status == "merged" and beneficiary.merged_into_id:
        return redirect(url_for("beneficiaries.profile", code=beneficiary.merged_into.code))
    return None


def _exact_conditions(text):
    """The conditions that look the search box up as a code, a whole phone number or an ID number."""
    exact = [Beneficiary.code == text.upper()]
    try:
        phone = normalize_phone(text)
    except ValueError:
        phone = ""
    if phone:
        exact.append(Beneficiary.phone == phone)
    number = "".join(ch for ch in text if ch.isalnum()).upper()[:ID_NUMBER_KEY_LENGTH]
    if number:
        exact.append(Beneficiary.id_number_key == number)
    return exact


def _age_band_condition(band, today):
    """Born so as to be in the age band today; an estimated year counts as 1 July."""
    low, high = AGE_BAND_LIMITS[band]
    earliest = add_years(today, -(high + 1)) + timedelta(days=1)
    latest = add_years(today, -low)
    years = [y for y in range(earliest.year, latest.year + 1) if earliest <= ages.estimated_birth(None, y) <= latest]
    by_year = Beneficiary.date_of_birth.is_null() & Beneficiary.birth_year.in_(years or [0])
    return Beneficiary.date_of_birth.between(earliest, latest) | by_year


def programs():
    """(id, name) of every program, by name: the choices of the program filter."""
    return list(PROGRAM.select(PROGRAM.id, PROGRAM.name).order_by(PROGRAM.name).tuples())


def _admitted():
    """The enrollments that put a person in a program: admitted to the cohort, not waiting on its list.

    Once a waitlisted enrollment has no enrollment date until it is admitted (and none for good when
    withdrawn while waiting), enrolled_on IS NOT NULL is the whole rule; until then every enrollment
    has a date, and the status leaves out the people waiting now.
    """
    return ENROLLMENT.enrolled_on.is_null(False) & (ENROLLMENT.status != "waitlisted")


def _in_program(program_id):
    """Participants with an admitted enrollment in a cohort of the program (their merged records' count as theirs)."""
    in_program = (COHORT.program_id == program_id) & _admitted()
    own = (ENROLLMENT.select(ENROLLMENT.beneficiary_id)
           .join(COHORT, on=(COHORT.id == ENROLLMENT.cohort_id)).where(in_program))
    # Read from the few merged records, not by joining every enrollment to its participant: half the time.
    merged = Beneficiary.alias("merged")
    theirs = (merged.select(merged.merged_into)
              .join(ENROLLMENT, on=(ENROLLMENT.beneficiary_id == merged.id))
              .join(COHORT, on=(COHORT.id == ENROLLMENT.cohort_id))
              .where((merged.status == "merged") & in_program))
    return Beneficiary.id.in_(own.union_all(theirs))


def with_program_names(query):
    """(query, column): the participant query and the SQL of each one's programs, NAMES_APART between them.

    A person's programs are those of their admitted enrollments and of the records merged into theirs;
    joined_programs() makes the text people read. Both databases read them in the query's own statement
    at the cost of a few percent of a long export, each its own way: PostgreSQL joins every person's
    names, grouped once, by hash; SQLite, which would scan such a join for every row, looks each row's
    up through the indexes on its enrollments.
    """
    if is_postgres():
        names = _names_by_person()
        return (query.join_from(Beneficiary, names, JOIN.LEFT_OUTER, on=(names.c.person == Beneficiary.id)),
                names.c.names)
    return query, _names_of_each()


def _names_by_person():
    """A subquery (person, names) of everyone with an admitted enrollment."""
    # The few merged records are joined by hash, not every participant a second time.
    merged = Beneficiary.alias("merged")
    person = survivor(merged.merged_into, ENROLLMENT.beneficiary_id)
    return (ENROLLMENT.select(person.alias("person"), fn.string_agg(PROGRAM.name, NAMES_APART).alias("names"))
            .join(COHORT, on=(COHORT.id == ENROLLMENT.cohort_id))
            .join(PROGRAM, on=(PROGRAM.id == COHORT.program_id))
            .join(merged, JOIN.LEFT_OUTER, on=((merged.id == ENROLLMENT.beneficiary_id) & (merged.status == "merged")))
            .where(_admitted())
            .group_by(person)
            .alias("programs"))


def _names_of_each():
    """A subquery of the names of the row's person, correlated with the participant query."""
    records = Beneficiary.alias("record")
    theirs = records.select(records.id).where((records.id == Beneficiary.id) | (records.merged_into == Beneficiary.id))
    # A name comes once per enrollment: joined_programs() drops the repeats (SQLite takes no DISTINCT with a
    # separator).
    return (ENROLLMENT.select(fn.group_concat(PROGRAM.name, NAMES_APART))
            .join(COHORT, on=(COHORT.id == ENROLLMENT.cohort_id))
            .join(PROGRAM, on=(PROGRAM.id == COHORT.program_id))
            .where(ENROLLMENT.beneficiary_id.in_(theirs) & _admitted()))


def joined_programs(names):
    """The programs of with_program_names() as people read them: each once, by name, "; " between them."""
    return "; ".join(sorted(set(names.split(NAMES_APART)))) if names else ""


def search(text="", province=None, category=None, sex=None, age_band=None, status=None, program=None,
           today=None):
    """Participants in scope matching the search box and filters, best match first, then newest (a query)."""
    query = in_scope()
    if province:
        query = query.where(Beneficiary.province == province)
    if category:
        query = query.where(Beneficiary.category == category)
    if sex:
        query = query.where(Beneficiary.sex == sex)
    if status:
        query = query.where(Beneficiary.status == status)
    if program:
        query = query.where(_in_program(program))
    if age_band == "unknown":
        query = query.where(Beneficiary.date_of_birth.is_null() & Beneficiary.birth_year.is_null())
    elif age_band in AGE_BAND_LIMITS:
        query = query.where(_age_band_condition(age_band, today or date.today()))
    text = clean_name(text)
    if not text:
        return query.order_by(Beneficiary.id.desc())
    exact, phone = _exact_conditions(text), phone_part(text)
    return best_first(query.where(search_condition(exact, text, phone)), exact, text, phone)
