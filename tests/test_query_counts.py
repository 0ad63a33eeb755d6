"""List pages run a fixed number of queries, however many rows they show (no query per row)."""
from contextlib import contextmanager
from datetime import date

import pytest

from registry.db import database


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


@pytest.mark.parametrize("url", ["/beneficiaries/", "/beneficiaries/?q=P1", "/beneficiaries/search?q=P1",
                                 "/beneficiaries/search?q=Pi", "/beneficiaries/?q=012345", "/cohorts/", "/users/"])
def test_list_pages_do_not_run_a_query_per_row(client, auth, create_beneficiary, create_cohort,
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


def test_cohort_pages_do_not_run_a_query_per_person_or_session(client, auth, app, registrar,
                                                                create_beneficiary, create_cohort,
                                                                enroll):
    """The cohort, its grid, a session and the enroll page: the same statements for 2 or 10 people and sessions."""
    from datetime import timedelta

    from registry.auth.models import User
    from registry.programs.attendance import record_attendance
    from registry.programs.models import TrainingSession
    from registry.programs import services
    from tests.makers import START

    cohort = create_cohort(days=[START], capacity=40)
    session = TrainingSession.get(TrainingSession.cohort == cohort.id)
    urls = [f"/cohorts/{cohort.id}", f"/cohorts/{cohort.id}/grid", f"/sessions/{session.id}",
            f"/cohorts/{cohort.id}/enroll", f"/cohorts/{cohort.id}/signin"]
    auth.login_as("admin")

    def grow(n):
        with app.app_context():
            user = User.get_by_id(registrar.id)
            for _ in range(n):
                grow.done += 1
                services.add_session(cohort, START + timedelta(days=grow.done), 3, user)
            people = [enroll(cohort, create_beneficiary(given_name=f"Person{grow.done}{i}")) for i in range(n)]
            for day in TrainingSession.select().where(TrainingSession.cohort == cohort.id):
                record_attendance(day, {e.id: "present" for e in people}, user, today=END_OF_TRAINING)

    grow.done = 0
    grow(2)
    few = {url: queries_for(client, url) for url in urls}
    grow(8)
    after = {url: queries_for(client, url) for url in urls}
    assert after == few


END_OF_TRAINING = date(2026, 6, 30)


def test_profile_and_follow_up_list_do_not_run_a_query_per_training_or_follow_up(client, auth, app,
                                                                                  registrar, create_beneficiary,
                                                                                  create_cohort, enroll):
    """A participant with 1 or 5 trainings and follow-ups: the same statements on the profile and the due list."""
    from datetime import timedelta

    from registry.auth.models import User
    from registry.outcomes import services as outcomes
    from registry.programs import enrollment as enrolling

    person = create_beneficiary(given_name="Sophea")
    auth.login_as("admin")
    urls = [f"/beneficiaries/{person.code}", "/follow-ups/", f"/follow-ups/new/{person.code}"]

    def train(n):
        with app.app_context():
            user = User.get_by_id(registrar.id)
            for _ in range(n):
                train.done += 1
                start = date(2024, 1, 1) + timedelta(days=60 * train.done)
                cohort = create_cohort(name=f"Cohort {train.done}", start_on=start, end_on=start + timedelta(days=30))
                enrollment = enroll(cohort, person, on=start)
                enrollment = enrolling.change_status(enrollment, "completed", start + timedelta(days=30), user,
                                                     override_reason="Completed elsewhere, records lost")
                outcomes.record_follow_up(person, {"followed_on": start + timedelta(days=40), "reached": True,
                                                   "method": "phone", "status": "self_employed"}, user, enrollment)

    train.done = 0
    train(1)
    few = {url: queries_for(client, url) for url in urls}
    train(4)
    after = {url: queries_for(client, url) for url in urls}
    assert after == few
