"""Fixtures of the bad-input tests, and a count of the generated inputs each property tried.

The database is emptied after each test, not after each generated example: every property
counts the rows of the tables it could touch before and after its own request.
"""
from collections import Counter

import pytest

from tests.api.conftest import api  # noqa: F401  (fixtures used here)
from tests.beneficiaries.conftest import create_beneficiary, registrar  # noqa: F401
from tests.conftest import make_test_config
from tests.outcomes.conftest import completer  # noqa: F401
from tests.programs.conftest import create_cohort, create_program, enroll  # noqa: F401

TRIED = Counter()
UPLOADS = []  # (case, bytes, status, seconds, peak MB, message) of each malformed upload


@pytest.fixture
def tried(request):
    """tried() once per generated example: the run's summary says how many inputs each property tried."""
    def count():
        module, name = request.node.nodeid.rsplit("/", 1)[-1].split("::", 1)
        TRIED[f"{module}::{name.split('[', 1)[0]}"] += 1  # the cases of a parametrized test together

    return count


def pytest_terminal_summary(terminalreporter):
    """Print the number of generated inputs tried, per property and in total, and the uploads measured."""
    if TRIED:
        terminalreporter.section("bad input: generated inputs tried")
        for name, count in sorted(TRIED.items()):
            terminalreporter.write_line(f"{count:6d}  {name}")
        terminalreporter.write_line(f"{sum(TRIED.values()):6d}  in total")
    if UPLOADS:
        terminalreporter.section("bad input: malformed uploads (answer, size, seconds or memory peak, message)")
        for case, size, answer, seconds, peak, message in UPLOADS:
            cost = f"{seconds:5.2f} s" if seconds is not None else f"peak {peak:5.1f} MB"
            terminalreporter.write_line(f"{answer}  {size / 1e6:6.2f} MB  {cost}  {case}: {message}")


def counts(*models):
    """{table: rows} of some models, to compare before and after a request."""
    return {model._meta.table_name: model.select().count() for model in models}


@pytest.fixture
def officer(client, auth):
    """The test client, signed in as an officer of every province."""
    auth.login_as("officer")
    return client


@pytest.fixture
def importer(database_url, app, create_user):
    """importer(**config) → a client of an app running import jobs inline, signed in as an officer of every province."""
    from registry import create_app

    create_user("officer", username="importer")

    def make(**config):
        client = create_app(make_test_config(database_url, IMPORT_INLINE=True, **config)).test_client()
        client.post("/login", data={"username": "importer", "password": "correct horse battery"})
        return client

    return make
