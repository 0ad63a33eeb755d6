"""List pages run a fixed number of queries, however many rows they show (no query per row)."""
from contextlib import contextmanager
from datetime import date

import pytest

from registry.db import database
from tests.beneficiaries.conftest import create_beneficiary, registrar  # noqa: F401  (fixtures used here)
from tests.programs.conftest import create_cohort, create_program  # noqa: F401  (fixtures used here)


@contextmanager
def counted():
    """Count the SQL statements sent while the block runs."""
    calls = []
    original = database.obj.execute_sql

    def execute_sql(sql, params=None, *args, **kwargs):
        calls.append(sql)
        return original(sql, params, *args, **kwargs)

    database.obj.execute_sql = execute_sql
    try:
        yield calls
    finally:
        del database.obj.execute_sql


def queries_for(client, url):
    """How many statements one GET of the page sends."""
    with counted() as calls:
        assert client.get(url).status_code == 200
    return len(calls)


@pytest.mark.parametrize("url", ["/beneficiaries/", "/cohorts/", "/users/"])
def test_list_pages_do_not_run_a_query_per_row(client, auth, create_beneficiary, create_cohort,  # noqa: F811
                                               create_user, url):
    auth.login_as("admin")

    def add(n):
        for i in range(n):
            number = add.done + i
            create_beneficiary(given_name=f"P{number}", date_of_birth=date(1970 + number % 40, 1, 1 + number % 28),
                               province=("02", "17", "12")[number % 3])
            create_cohort(name=f"Cohort {number}", province=("02", "17")[number % 2])
            create_user("officer", provinces={("02", "17")[number % 2]})
        add.done += n

    add.done = 0
    add(2)
    few = queries_for(client, url)
    add(8)
    assert queries_for(client, url) == few
