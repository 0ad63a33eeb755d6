"""SQL pieces every hand-written statement shares: the dialect helpers and the rules said once.

The reports, the dashboard and the participant lists write some statements as text (a report of a
whole registry is one statement); what those statements have in common lives here, so that a rule
(whom a merged record counts for, which statuses end an enrollment) is written in one place. Coded
values come from the models (registry.programs.models, registry.outcomes.models) through literals().
"""
from peewee import fn

from registry.db import database, is_postgres


def param():
    """The driver's placeholder: ? for SQLite, %s for PostgreSQL."""
    return database.obj.param


def params(values):
    """Placeholders for a list of values, e.g. "?, ?, ?" (a list that is never empty)."""
    return ", ".join(param() for _ in values)


def literals(values):
    """Coded values (never user text) as a parenthesised SQL list: ('completed', 'withdrawn')."""
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


def ymd(column):
    """A date as the integer yyyymmdd: ages and 12-month windows compare as numbers on both databases.

    SQLite keeps a date as its ISO text, YYYY-MM-DD: without the dashes it is the number, read more
    cheaply than through strftime.
    """
    if is_postgres():
        return f"CAST(to_char({column}, 'YYYYMMDD') AS INTEGER)"
    return f"CAST(replace({column}, '-', '') AS INTEGER)"


def within_a_year(later, earlier):
    """`later` is at most a year after `earlier`: the same day a year later is inside; from 29 February, 28 February.

    Both give the rule of docs/indicators.md, yyyymmdd(later) <= yyyymmdd(earlier) + 10000; PostgreSQL's
    date arithmetic says it without formatting two dates as text on every row.
    """
    if is_postgres():
        return f"{later} <= {earlier} + INTERVAL '1 year'"
    return f"{ymd(later)} <= {ymd(earlier)} + 10000"


def survivor(merged_into, record):
    """The person a participant's row counts for: the record it was merged into, else the record itself.

    One level is enough: a merge re-points the records merged into its duplicate, so merged_into always
    names a final survivor (registry.beneficiaries.merging). Takes SQL text (gives text) or peewee
    columns (gives an expression).
    """
    if isinstance(merged_into, str):
        return f"COALESCE({merged_into}, {record})"
    return fn.COALESCE(merged_into, record)
