"""The few SQL expressions that differ between SQLite and PostgreSQL, for the indicator queries."""
from registry.db import is_postgres


def month_start(column):
    """The first day of a date's month, to find that month's exchange rate."""
    if is_postgres():
        return f"CAST(date_trunc('month', {column}) AS DATE)"
    return f"date({column}, 'start of month')"


def flag(condition):
    """1 when a condition holds, else 0."""
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"
