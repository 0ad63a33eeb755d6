"""The due list follows the person: a reached follow-up closes its window and the earlier ones; consent first.

Domain functions called directly; the pages and the API are in test_views.py, test_correction_pages.py and
tests/api/test_follow_ups_api.py. The migration that recomputes existing windows is tested at the end.
"""
import random
from datetime import date, datetime, timedelta

import pytest
from flask_login import login_user

from registry.audit.models import AuditEvent
from registry.db import migration_runner, open_database
from registry.outcomes import queries, services
from registry.outcomes.models import FollowUp, FollowUpDue
from registry.outcomes.windows import Contact, window_state
from registry.timeutil import add_months

TODAY = date.today()
COMPLETED = date(2025, 3, 31)  # windows due 2025-06-30, 2025-09-30, 2026-03-31: all overdue or past
MIGRATION = "0018_follow_up_corrections"


@pytest.fixture
def signed_in(app, officer):
    """A request in which the all-provinces officer is signed in (the due list reads the user's scope)."""
    with app.test_request_context():
        login_user(officer)
        yield officer


def called(person, enrollment, window, on, officer, reached=True):
    """A follow-up of one window: reached (unemployed, no income) or not."""
    values = {"followed_on": on, "reached": reached, "method": "phone"}
    if reached:
        values.update(status="unemployed", monthly_income=0)
    return services.record_follow_up(person, values, officer, enrollment, window)


def windows(enrollment):
    """{window: (the closing follow-up's id, last tried on)} of an enrollment."""
    return {d.window_months: (d.follow_up_id, d.last_tried_on)
            for d in FollowUpDue.select().where(FollowUpDue.enrollment == enrollment)}


# --- the rule, pure

D1, D2, D3 = date(2025, 7, 1), date(2025, 7, 9), date(2025, 10, 2)


@pytest.mark.parametrize("contacts, expected", [
    ([], {3: (None, None), 6: (None, None), 12: (None, None)}),
    ([Contact(1, 3, D1, False)], {3: (None, D1), 6: (None, None), 12: (None, None)}),
    ([Contact(1, 3, D1, False), Contact(2, 3, D2, False)], {3: (None, D2), 6: (None, None), 12: (None, None)}),
    ([Contact(1, 3, D1, False), Contact(2, 3, D2, True)], {3: (2, D1), 6: (None, None), 12: (None, None)}),
    # found at 6 months: the 3-month window needs no call any more; the 12-month one still does
    ([Contact(1, 3, D1, False), Contact(5, 6, D3, True)], {3: (5, D1), 6: (5, None), 12: (None, None)}),
    # the nearest later window closes it, then the earliest date, then the lowest id
    ([Contact(7, 12, D3, True), Contact(6, 6, D3, True)], {3: (6, None), 6: (6, None), 12: (7, None)}),
    ([Contact(9, 6, D3, True), Contact(8, 6, D2, True)], {3: (8, None), 6: (8, None), 12: (None, None)}),
    ([Contact(4, 6, D3, True), Contact(3, 6, D3, True)], {3: (3, None), 6: (3, None), 12: (None, None)}),
    ([Contact(1, None, D1, True)], {3: (None, None), 6: (None, None), 12: (None, None)}),  # answers no window
])
def test_a_window_is_closed_by_a_reached_follow_up_of_it_or_of_a_later_one(contacts, expected):
    assert {n: window_state(n, contacts) for n in (3, 6, 12)} == expected


# --- kept right by the services

def test_a_later_reached_follow_up_closes_the_earlier_windows_and_not_the_later(officer, completer):
    enrollment = completer(COMPLETED)
    person = enrollment.beneficiary
    tried = called(person, enrollment, 3, date(2025, 7, 2), officer, reached=False)
    assert windows(enrollment) == {3: (None, date(2025, 7, 2)), 6: (None, None), 12: (None, None)}
    found = called(person, enrollment, 6, date(2025, 10, 1), officer)
    assert windows(enrollment) == {3: (found.id, date(2025, 7, 2)), 6: (found.id, None), 12: (None, None)}
    assert tried.id != found.id


def test_recording_the_older_window_after_a_later_one_keeps_the_later_one_closing_it(officer, completer):
    enrollment = completer(COMPLETED)
    later = called(enrollment.beneficiary, enrollment, 6, date(2025, 10, 1), officer)
    older = called(enrollment.beneficiary, enrollment, 3, date(2025, 10, 5), officer)
    assert windows(enrollment) == {3: (older.id, None), 6: (later.id, None), 12: (None, None)}


def test_deleting_or_correcting_the_closing_follow_up_re_opens_the_windows(officer, completer):
    enrollment = completer(COMPLETED)
    person = enrollment.beneficiary
    found = called(person, enrollment, 6, date(2025, 10, 1), officer)
    services.update_follow_up(FollowUp.get_by_id(found.id), {"followed_on": date(2025, 10, 1), "reached": False,
                                                             "method": "phone"}, officer, "Not reached, in fact",
                              enrollment, 6)
    assert windows(enrollment) == {3: (None, None), 6: (None, date(2025, 10, 1)), 12: (None, None)}
    services.update_follow_up(FollowUp.get_by_id(found.id), {"followed_on": date(2025, 10, 1), "reached": True,
                                                             "method": "phone", "status": "unemployed",
                                                             "monthly_income": 0}, officer, "Reached after all",
                              enrollment, 6)
    assert windows(enrollment)[3] == (found.id, None)
    services.delete_follow_up(FollowUp.get_by_id(found.id), officer, "Recorded for the wrong person")
    assert windows(enrollment) == {3: (None, None), 6: (None, None), 12: (None, None)}


def test_moving_a_follow_up_to_another_training_refreshes_both(officer, completer, create_cohort, enroll):
    first = completer(COMPLETED)
    person = first.beneficiary
    from registry.programs import enrollment as enrolling

    cohort = create_cohort(name="Second", start_on=date(2025, 4, 1), end_on=date(2025, 4, 30))
    second = enrolling.change_status(enroll(cohort, person, on=date(2025, 4, 1)), "completed", date(2025, 4, 30),
                                     officer, override_reason="test")
    found = called(person, first, 3, date(2025, 7, 3), officer)
    assert windows(first)[3] == (found.id, None)
    services.update_follow_up(FollowUp.get_by_id(found.id), {"followed_on": date(2025, 7, 3), "reached": True,
                                                             "method": "phone", "status": "unemployed",
                                                             "monthly_income": 0}, officer, "Wrong training",
                              second, 3)
    assert windows(first)[3] == (None, None) and windows(second)[3] == (found.id, None)


# --- consent

def test_people_without_consent_to_follow_up_are_left_off_the_due_list_and_counted(signed_in, completer):
    due = add_months(TODAY, -3) - timedelta(days=5)
    consented = completer(due, given_name="Dara")
    refused = completer(due, given_name="Bopha", consent_follow_up=False, province="17")
    assert [d.enrollment_id for d in queries.due_list()] == [consented.id]
    assert queries.left_out() == 1
    assert queries.left_out(province="02") == 0  # the same filters as the list
    assert queries.left_out(province="17") == 1 and list(queries.due_list(province="17")) == []
    assert refused.id not in [d.enrollment_id for d in queries.due_list(bucket="overdue")]


def test_several_windows_of_one_person_left_out_count_one_person(signed_in, completer):
    completer(add_months(TODAY, -6) - timedelta(days=5), consent_follow_up=False)  # 3 and 6 months overdue
    assert queries.left_out() == 1


def test_a_follow_up_without_consent_is_refused_until_consent_is_recorded(officer, completer):
    from registry.beneficiaries.models import Beneficiary

    enrollment = completer(COMPLETED, consent_follow_up=False)
    person = enrollment.beneficiary
    events = AuditEvent.select().count()
    with pytest.raises(services.NoFollowUpConsent) as refused:
        called(person, enrollment, 3, date(2025, 7, 1), officer)
    assert refused.value.field == "consent_follow_up" and "not consented to follow-up contact" in str(refused.value)
    assert FollowUp.select().count() == 0 and AuditEvent.select().count() == events
    Beneficiary.update(consent_follow_up=True).where(Beneficiary.id == person.id).execute()
    called(Beneficiary.get_by_id(person.id), enrollment, 3, date(2025, 7, 1), officer)
    assert FollowUp.select().count() == 1


def test_corrections_need_no_consent_as_they_contact_nobody(officer, completer):
    from registry.beneficiaries.models import Beneficiary

    enrollment = completer(COMPLETED)
    found = called(enrollment.beneficiary, enrollment, 3, date(2025, 7, 1), officer)
    Beneficiary.update(consent_follow_up=False).where(Beneficiary.id == enrollment.beneficiary_id).execute()
    services.update_follow_up(FollowUp.get_by_id(found.id), {"followed_on": date(2025, 7, 2), "reached": True,
                                                             "method": "phone", "status": "unemployed",
                                                             "monthly_income": 0}, officer, "Wrong day")
    services.delete_follow_up(FollowUp.get_by_id(found.id), officer, "Withdrew consent: asked us to forget it")
    assert FollowUp.live().count() == 0


# --- migration 0018: existing windows recomputed

def _dummy(data_type):
    kind = data_type.lower()
    if "int" in kind or "bool" in kind or "numeric" in kind or "decimal" in kind or "real" in kind:
        return 0
    if "date" in kind and "time" not in kind:
        return date(2025, 1, 1)
    if "time" in kind:
        return datetime(2025, 1, 1)
    return ""


def _insert(db, table, **values):
    """A row as a writer from before 0018 would write it: the columns given, a plain value in every other required one."""
    for column in db.get_columns(table):
        if column.name not in values and not column.null and not column.primary_key and column.default is None:
            values[column.name] = _dummy(column.data_type)
    if "bool" in " ".join(c.data_type.lower() for c in db.get_columns(table)):  # PostgreSQL wants true booleans
        booleans = {c.name for c in db.get_columns(table) if "bool" in c.data_type.lower()}
        values = {k: bool(v) if k in booleans else v for k, v in values.items()}
    names = ", ".join(f'"{name}"' for name in values)
    marks = ", ".join([db.param] * len(values))
    return db.execute_sql(f'INSERT INTO "{table}" ({names}) VALUES ({marks}) RETURNING id', list(values.values())
                          ).fetchone()[0]


def _before_0018(fresh_database_url):
    db = open_database(fresh_database_url)
    db.connect()
    runner = migration_runner(db)
    runner.up([m for m in runner.migrations() if m.name < MIGRATION][-1].name)
    return db, runner


def _world(db, follow_ups_by_enrollment):
    """Enrollments with their three due windows (answered the pre-0018 way) and the follow-ups given."""
    program = _insert(db, "program", name="Sewing")
    cohort = _insert(db, "cohort", program_id=program, name="A", province_id="02")
    ids = {}
    for number, rows in enumerate(follow_ups_by_enrollment, start=1):
        person = _insert(db, "beneficiary", code=f"BR-{number:06d}", status="active")
        enrollment = _insert(db, "enrollment", beneficiary_id=person, cohort_id=cohort, status="completed",
                             ended_on=COMPLETED)
        first = {}
        for key, window, on, reached in rows:
            ids[key] = _insert(db, "follow_up", beneficiary_id=person, enrollment_id=enrollment, window_months=window,
                               followed_on=on, reached=reached, method="phone")
            first.setdefault(window, ids[key])
        for window in (3, 6, 12):
            _insert(db, "follow_up_due", enrollment_id=enrollment, window_months=window,
                    due_on=add_months(COMPLETED, window), follow_up_id=first.get(window))
    return ids


def _due_rows(db):
    rows = db.execute_sql("SELECT e.id, d.window_months, d.follow_up_id, d.last_tried_on FROM follow_up_due d "
                          "JOIN enrollment e ON e.id = d.enrollment_id ORDER BY e.id, d.window_months").fetchall()
    return [(e, w, f, date.fromisoformat(t) if isinstance(t, str) else t) for e, w, f, t in rows]


def test_the_migration_recomputes_every_window_with_the_new_rule(fresh_database_url):
    db, runner = _before_0018(fresh_database_url)
    ids = _world(db, [
        [("a", 3, D1, False), ("b", 3, D2, True)],                        # answered at 3 months, after one try
        [("c", 3, D1, False), ("d", 3, D2, False), ("e", 6, D3, True)],   # two tries, then found at 6 months
        [("f", 12, D3, True)],                                            # found only at 12 months
        [],                                                               # never called
        [("g", 6, D3, True), ("h", 6, D2, True)],                         # two at 6 months: the earlier one
    ])
    runner.up(MIGRATION)
    i = ids
    assert _due_rows(db) == [
        (1, 3, i["b"], D1), (1, 6, None, None), (1, 12, None, None),
        (2, 3, i["e"], D2), (2, 6, i["e"], None), (2, 12, None, None),
        (3, 3, i["f"], None), (3, 6, i["f"], None), (3, 12, i["f"], None),
        (4, 3, None, None), (4, 6, None, None), (4, 12, None, None),
        (5, 3, i["h"], None), (5, 6, i["h"], None), (5, 12, None, None)]
    columns = {c.name: c for c in db.get_columns("follow_up")}
    assert not columns["job_before_training"].null and columns["deleted_at"].null
    db.close()


def test_the_migration_applies_the_services_rule_to_any_history(fresh_database_url):
    """Random histories: the SQL of the migration and registry.outcomes.windows agree on every window."""
    rng = random.Random(18)
    histories = [[(f"{n}.{k}", rng.choice((3, 6, 12)), COMPLETED + timedelta(days=rng.randint(0, 400)),
                   rng.random() < 0.5) for k in range(rng.randint(0, 5))] for n in range(40)]
    db, runner = _before_0018(fresh_database_url)
    ids = _world(db, histories)
    runner.up(MIGRATION)
    expected = []
    for number, rows in enumerate(histories, start=1):
        contacts = [Contact(ids[key], window, on, reached) for key, window, on, reached in rows]
        expected += [(number, n, *window_state(n, contacts)) for n in (3, 6, 12)]
    assert _due_rows(db) == expected
    db.close()


def test_going_back_restores_the_first_recorded_follow_up_and_refuses_to_revive_deleted_ones(fresh_database_url):
    db, runner = _before_0018(fresh_database_url)
    ids = _world(db, [[("a", 3, D1, False), ("b", 3, D2, True)]])
    runner.up(MIGRATION)
    db.execute_sql("UPDATE follow_up SET deleted_at = created_at WHERE id = %d" % ids["b"])
    with pytest.raises(RuntimeError, match="would make them count again"):
        runner.down()
    db.execute_sql("UPDATE follow_up SET deleted_at = NULL")
    runner.down()
    assert db.execute_sql("SELECT window_months, follow_up_id FROM follow_up_due ORDER BY window_months").fetchall() \
        == [(3, ids["a"]), (6, None), (12, None)]
    assert "deleted_at" not in {c.name for c in db.get_columns("follow_up")}
    db.close()
