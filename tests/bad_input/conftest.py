"""Fixtures of the bad-input tests, and a count of the generated inputs each property tried.

The database is emptied after each test, not after each generated example: every property
counts the rows of the tables it could touch before and after its own request.
"""
from collections import Counter

import pytest

from tests.conftest import make_test_config

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
def signed_in_officer(client, auth):
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


@pytest.fixture
def world(app, api, completer, create_beneficiary):
    """{URL argument: a value naming a real record} for every kind of record a route takes, and an admin's API client.

    A completed training (program, cohort, session, enrollment, participant), a follow-up of it, and a
    second participant: enough for every route to reach its body or its filters instead of a 404.
    """
    from datetime import date, timedelta

    from registry.outcomes.models import FollowUp
    from registry.programs.models import TrainingSession
    from registry.reports.models import Indicator

    enrollment = completer(date.today() - timedelta(days=100))
    admin = api("admin")
    with app.app_context():
        cohort = enrollment.cohort
        code = enrollment.beneficiary.code
        session = TrainingSession.get(TrainingSession.cohort == cohort)
        indicator = Indicator.select().first()
    follow_up = admin.post(f"/api/v1/beneficiaries/{code}/follow-ups",
                           json={"on": date.today().isoformat(), "reached": False, "method": "phone"})
    assert follow_up.status_code == 201, follow_up.get_json()
    create_beneficiary(given_name="Dara", family_name="Chea", date_of_birth=date(1990, 5, 1))
    values = {"code": code, "cohort_id": cohort.id, "session_id": session.id, "enrollment_id": enrollment.id,
              "program_id": cohort.program_id, "follow_up_id": follow_up.get_json()["id"],
              "user_id": admin.user.id, "indicator_id": indicator.id if indicator else 1}
    with app.app_context():
        assert FollowUp.select().count() == 1
    return values, admin


def url_of(rule, values):
    """The rule's URL with the world's values for its arguments (1 for the records the world has none of)."""
    return rule.build({arg: values.get(arg, 1) for arg in rule.arguments}, append_unknown=False)[1]
