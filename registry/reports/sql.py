"""The few SQL expressions that differ between SQLite and PostgreSQL, for the indicator queries."""
from registry.db import database, is_postgres


def param():
    """The driver's placeholder: ? for SQLite, %s for PostgreSQL."""
    return database.obj.param


def ymd(column):
    """A date as the integer yyyymmdd: ages and 12-month windows compare as numbers on both databases.

    SQLite keeps a date as its ISO text, YYYY-MM-DD: without the dashes it is the number, read more
    cheaply than through strftime.
    """
    if is_postgres():
        return f"CAST(to_char({column}, 'YYYYMMDD') AS INTEGER)"
    return f"CAST(replace({column}, '-', '') AS INTEGER)"


def estimated_birth(date_of_birth, birth_year):
    """A birth date, or 1 July of the estimated year, as yyyymmdd (NULL when unknown), from the two columns."""
    return f"COALESCE({ymd(date_of_birth)}, {birth_year} * 10000 + 701)"


def within_a_year(later, earlier):
    """`later` is at most a year after `earlier`: the same day a year later is inside; from 29 February, 28 February.

    Both give the rule of docs/indicators.md, yyyymmdd(later) <= yyyymmdd(earlier) + 10000; PostgreSQL's
    date arithmetic says it without formatting two dates as text on every row.
    """
    if is_postgres():
        return f"{later} <= {earlier} + INTERVAL '1 year'"
    return f"{ymd(later)} <= {ymd(earlier)} + 10000"


def month_start(column):
    """The first day of a date's month, to find that month's exchange rate."""
    if is_postgres():
        return f"CAST(date_trunc('month', {column}) AS DATE)"
    return f"date({column}, 'start of month')"


def age(birth_ymd, on_ymd):
    """The age in whole years on a day, from two yyyymmdd integers (NULL when the birth is unknown)."""
    return f"(({on_ymd}) - ({birth_ymd})) / 10000"


def age_band(years):
    """The age band of an age in whole years (a column: each band tests it again)."""
    return (f"CASE WHEN {years} IS NULL THEN 'unknown' WHEN {years} < 15 THEN 'under_15' WHEN {years} < 20 THEN '15-19' "
            f"WHEN {years} < 25 THEN '20-24' WHEN {years} < 30 THEN '25-29' ELSE '30+' END")


def flag(condition):
    """1 when a condition holds, else 0."""
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"
