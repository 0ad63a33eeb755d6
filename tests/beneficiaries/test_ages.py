"""The age bands are defined once: the Python form, the SQL form and the search ranges agree."""
from datetime import date

from registry.beneficiaries import ages, choices
from registry.beneficiaries.queries import AGE_BAND_LIMITS
from registry.db import database


def test_the_sql_band_is_the_python_band_at_every_age(app_ctx):
    years = list(range(0, 121)) + [None]
    selects = " UNION ALL ".join(
        f"SELECT {n}, {ages.age_band_sql('CAST(' + ('NULL' if age is None else str(age)) + ' AS INTEGER)')}"
        for n, age in enumerate(years))
    in_sql = dict(database.execute_sql(selects).fetchall())
    assert [in_sql[n] for n in range(len(years))] == [ages.band_of_age(age) for age in years]


def test_the_search_ranges_cover_each_band_of_its_ages():
    for band, (low, high) in AGE_BAND_LIMITS.items():
        assert {ages.band_of_age(age) for age in range(low, high + 1)} == {band}
    assert list(AGE_BAND_LIMITS) + [ages.UNKNOWN] == list(ages.CODES) == list(choices.AGE_BAND)


def test_an_estimated_year_counts_from_1_july_in_python_and_in_sql(app_ctx):
    assert ages.age_on(ages.estimated_birth(None, 2000), date(2015, 6, 30)) == 14
    assert ages.age_on(ages.estimated_birth(None, 2000), date(2015, 7, 1)) == 15
    assert ages.age_on(ages.estimated_birth(None, None), date(2015, 7, 1)) is None
    born = ages.estimated_birth_sql("CAST(NULL AS DATE)", "2000")
    age = database.execute_sql(f"SELECT {ages.age_sql(born, '20150630')}, {ages.age_sql(born, '20150701')}").fetchone()
    assert tuple(age) == (14, 15)
