"""The age bands of the participant lists, their filter and the indicator report: the boundaries once.

An age is in whole years on a day, from the birth date or, for an estimated birth year, 1 July of it.
The Python form (band_of_age), the SQL form (age_band_sql) and the search filter's ranges (limits)
are all built from BANDS, so the list, the de-identified export and the report always agree.
"""
from datetime import date

from registry.sql import ymd

UNKNOWN = "unknown"
# (band, the first age past it), youngest first; the last band has no end.
BANDS = (("under_15", 15), ("15-19", 20), ("20-24", 25), ("25-29", 30), ("30+", None))
ESTIMATED_ON = (7, 1)  # an estimated birth year counts from 1 July (month, day)
OLDEST = 150  # the search filter's highest age for the last band
CODES = tuple(band for band, _end in BANDS) + (UNKNOWN,)


def limits():
    """{band: (lowest age, highest age)} for the search filter, from BANDS."""
    starts = (0,) + tuple(end for _band, end in BANDS[:-1])
    return {band: (start, OLDEST if end is None else end - 1) for (band, end), start in zip(BANDS, starts)}


def estimated_birth(born, birth_year):
    """The birth date, or 1 July of the estimated year (None when neither is known)."""
    return born or (date(birth_year, *ESTIMATED_ON) if birth_year else None)


def estimated_birth_sql(date_of_birth, birth_year):
    """SQL: estimated_birth() as yyyymmdd (NULL when unknown), from the two columns."""
    month, day = ESTIMATED_ON
    return f"COALESCE({ymd(date_of_birth)}, {birth_year} * 10000 + {month * 100 + day})"


def age_on(born, today):
    """Whole years from a birth date to a day (None when the birth is unknown)."""
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def age_sql(birth_ymd, on_ymd):
    """SQL: age_on() from two yyyymmdd integers (NULL when the birth is unknown)."""
    return f"(({on_ymd}) - ({birth_ymd})) / 10000"


def band_of_age(years):
    """The age band of an age in whole years (None: unknown)."""
    if years is None:
        return UNKNOWN
    return next(band for band, end in BANDS if end is None or years < end)


def age_band_sql(years):
    """SQL: the age band of an age in whole years (a column: each band tests it again)."""
    tests = " ".join(f"WHEN {years} < {end} THEN '{band}'" for band, end in BANDS if end is not None)
    return f"CASE WHEN {years} IS NULL THEN '{UNKNOWN}' {tests} ELSE '{BANDS[-1][0]}' END"
