"""The few SQL expressions that differ between SQLite and PostgreSQL, for the indicator queries."""
from registry.db import is_postgres
from registry.sql import ymd


def estimated_birth(date_of_birth, birth_year):
    """A birth date, or 1 July of the estimated year, as yyyymmdd (NULL when unknown), from the two columns."""
    return f"COALESCE({ymd(date_of_birth)}, {birth_year} * 10000 + 701)"


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
