"""The few SQL expressions that differ between SQLite and PostgreSQL, for the indicator queries."""
from registry.db import database, is_postgres


def param():
    """The driver's placeholder: ? for SQLite, %s for PostgreSQL."""
    return database.obj.param


def ymd(column):
    """A date as the integer yyyymmdd: ages and 12-month windows compare as numbers on both databases."""
    if is_postgres():
        return f"CAST(to_char({column}, 'YYYYMMDD') AS INTEGER)"
    return f"CAST(strftime('%Y%m%d', {column}) AS INTEGER)"


def estimated_birth(person):
    """A person's birth date, or 1 July of the estimated year, as yyyymmdd (NULL when unknown)."""
    return f"COALESCE({ymd(person + '.date_of_birth')}, {person}.birth_year * 10000 + 701)"


def month_start(column):
    """The first day of a date's month, to find that month's exchange rate."""
    if is_postgres():
        return f"CAST(date_trunc('month', {column}) AS DATE)"
    return f"date({column}, 'start of month')"


def age_band(birth_ymd, on_ymd):
    """The age band on a day, from two yyyymmdd integers."""
    age = f"(({on_ymd}) - ({birth_ymd})) / 10000"
    return (f"CASE WHEN ({birth_ymd}) IS NULL THEN 'unknown' WHEN {age} < 15 THEN 'under_15' "
            f"WHEN {age} < 20 THEN '15-19' WHEN {age} < 25 THEN '20-24' WHEN {age} < 30 THEN '25-29' ELSE '30+' END")


def flag(condition):
    """1 when a condition holds, else 0."""
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"
