"""The SQL pieces the dashboard's statements share, and the few that differ between SQLite and PostgreSQL.

The statements are written for a registry of 100,000 people and 1.6 million attendance marks: each
scans a table once and groups in the database. Two habits keep SQLite fast there. Columns with an
index that would not help (a date range covering most rows) are wrapped in unindexed(), or SQLite
would look every row up through the index. And the latest row of a group is found with one MAX()
over a packed number (latest()) rather than a window function, which costs SQLite a second sort.
"""
from dataclasses import dataclass

from registry.db import database, is_postgres


def person(table):
    """The person a row with a beneficiary_id counts for: a merged duplicate counts as its final survivor
    (docs/domain.md#people-not-enrollments), which merged_into always names (a merge re-points the records
    merged into its duplicate).

    Merges are rare. PostgreSQL joins the few merged records by hash (merged_join()); SQLite tests each
    row against the set of merged ids, read once, and looks the survivor up for those rows only.
    """
    if is_postgres():
        return f"COALESCE(m_{table}.merged_into_id, {table}.beneficiary_id)"
    return (f"CASE WHEN {table}.beneficiary_id IN (SELECT id FROM beneficiary WHERE status = 'merged') "
            f"THEN (SELECT merged_into_id FROM beneficiary WHERE id = {table}.beneficiary_id) "
            f"ELSE {table}.beneficiary_id END")


def merged_join(table):
    """The join person(table) needs (none on SQLite)."""
    if is_postgres():
        return (f"LEFT JOIN beneficiary m_{table} ON m_{table}.id = {table}.beneficiary_id "
                f"AND m_{table}.status = 'merged'")
    return ""


def param():
    """The driver's placeholder: ? for SQLite, %s for PostgreSQL."""
    return database.obj.param


def params(values):
    """Placeholders for a list of values, e.g. "?, ?, ?" (a list that is never empty)."""
    return ", ".join(param() for _ in values)


def day(value):
    """A date as a parameter: SQLite stores dates as ISO text and compares them as text."""
    return value if is_postgres() else value.isoformat()


def month_of(column):
    """A date's month, to group by: the text YYYY-MM on SQLite, the month's first day on PostgreSQL."""
    return f"date_trunc('month', {column})" if is_postgres() else f"substr({column}, 1, 7)"


def month_key(value):
    """The YYYY-MM of a value month_of() gave."""
    return value if isinstance(value, str) else value.strftime("%Y-%m")


def date_key(column):
    """An integer that orders dates as they fall: days since 1970 on PostgreSQL (its to_char is slow),
    yyyymmdd from SQLite's ISO text."""
    if is_postgres():
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(replace({column}, '-', '') AS INTEGER)"


def within_a_year(later, earlier):
    """SQL: the later date is at most a year after the earlier one (from 29 February, up to 28 February)."""
    if is_postgres():
        return f"{later} <= {earlier} + INTERVAL '1 year'"
    return f"{date_key(later)} <= {date_key(earlier)} + 10000"


def unindexed(column):
    """The column, kept from SQLite's index choice (unary + is a no-op that hides the index)."""
    return column if is_postgres() else f"+{column}"


def latest(date_column, id_column, value, values=10, among="1 = 1"):
    """A MAX() that picks a group's latest row (by date, then highest id) and carries a small value of it.

    value is SQL giving an integer from 0 to values - 1; latest_value() reads it back from the
    MAX(), which is NULL when no row of the group meets `among`. Ids stay under 10^9.
    """
    packed = f"(CAST({date_key(date_column)} AS BIGINT) * 1000000000 + {id_column}) * {values} + ({value})"
    return f"MAX(CASE WHEN {among} THEN {packed} END)"


def latest_value(packed, values=10):
    """SQL reading back the value carried by a latest() column (NULL when it found no row).

    The remainder is spelled out: % would clash with psycopg2's placeholders, and SQLite may lack MOD().
    """
    return f"({packed} - ({packed} / {values}) * {values})"


@dataclass(frozen=True)
class Scope:
    """Whose records the dashboard counts: some provinces (None: all), or one trainer's cohorts."""

    provinces: frozenset = None
    trainer_id: int = None

    def on_people(self, person_sql):
        """(condition, parameters) keeping the people of the scope; person_sql is a beneficiary id."""
        if self.trainer_id is not None:
            # A trainer's people are those admitted to their cohorts, not those still on a waitlist.
            return (f"{person_sql} IN (SELECT te.beneficiary_id FROM enrollment te JOIN cohort_trainer tt "
                    f"ON tt.cohort_id = te.cohort_id WHERE tt.trainer_id = {param()} "
                    f"AND te.enrolled_on IS NOT NULL)"), [self.trainer_id]
        if self.provinces is None:
            return "1 = 1", []
        codes = sorted(self.provinces) or [""]
        return f"{person_sql} IN (SELECT id FROM beneficiary WHERE province_id IN ({params(codes)}))", codes

    def on_enrollments(self, enrollment, person_sql):
        """(condition, parameters) keeping the enrollments of the scope: the people's, or the trainer's cohorts."""
        if self.trainer_id is not None:
            return self.on_cohorts(f"{enrollment}.cohort_id")
        return self.on_people(person_sql)

    def on_cohorts(self, cohort_id):
        """(condition, parameters) keeping the cohorts of the scope: in its provinces, or the trainer's."""
        if self.trainer_id is not None:
            return f"{cohort_id} IN (SELECT cohort_id FROM cohort_trainer WHERE trainer_id = {param()})", \
                [self.trainer_id]
        if self.provinces is None:
            return "1 = 1", []
        codes = sorted(self.provinces) or [""]
        return f"{cohort_id} IN (SELECT id FROM cohort WHERE province_id IN ({params(codes)}))", codes

    def on_beneficiaries(self, table):
        """(condition, parameters) keeping the participant records of the scope (merged ones included)."""
        if self.trainer_id is not None:
            return self.on_people(f"{table}.id")
        if self.provinces is None:
            return "1 = 1", []
        codes = sorted(self.provinces) or [""]
        return f"{table}.province_id IN ({params(codes)})", codes


def rows(sql, values):
    """The rows of one statement."""
    return database.execute_sql(sql, values).fetchall()
