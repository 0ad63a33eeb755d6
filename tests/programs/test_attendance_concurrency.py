"""Saving one session's attendance from several clients at once: no deadlock, no error, one whole sheet wins.

API clients send the same twelve people, in ascending and in descending order, and a trainer saves the
page meanwhile. On PostgreSQL the upserts used to lock the attendance rows in the order sent, and two
orders deadlocked (a 500). The many-rounds test runs on both databases (on SQLite the writers queue for
the database's write lock); the second one makes the two orders meet for sure, on PostgreSQL.
"""
import re
import threading
import time
from datetime import date, timedelta

import psycopg2
import pytest

from registry.programs.models import Attendance, Enrollment, TrainingSession
from tests.conftest import PASSWORD, TEST_DATABASE_URL

ROUNDS = 30  # per client: the orders meet many times, yet the test takes seconds
PEOPLE = 12
CLIENTS_PER_ORDER = 2
MARK_NAME = re.compile(r'name="mark-(\d+)"')  # a radio group of the attendance page


def _session_with_people(create_cohort, create_beneficiary, enroll):
    """A session held five days ago and the codes of its twelve participants, in ascending order."""
    today = date.today()
    cohort = create_cohort(start_on=today - timedelta(days=30), end_on=today + timedelta(days=30),
                           days=[today - timedelta(days=5)])
    codes = []
    for n in range(PEOPLE):
        person = create_beneficiary(given_name=f"Person{n}", date_of_birth=date(1980 + n, 1, 1))
        enroll(cohort, person, on=today - timedelta(days=30))
        codes.append(person.code)
    return TrainingSession.get(TrainingSession.cohort == cohort).id, sorted(codes)


def _run_together(jobs):
    """Run each job in its own thread, all started together; return the exceptions and bad answers."""
    problems = []
    start = threading.Barrier(len(jobs))

    def run(job):
        try:
            start.wait(10)
            problems.extend(job())
        except Exception as error:  # noqa: BLE001  (any failure is the test's failure)
            problems.append(repr(error))

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return problems


def test_opposite_orders_at_once_save_every_sheet_whole(app, bearer, create_user, create_cohort, create_beneficiary,
                                                        enroll):
    session, codes = _session_with_people(create_cohort, create_beneficiary, enroll)
    headers = bearer(create_user("officer"))
    create_user("officer", username="pagesaver")
    sheets = {"present": codes, "absent": codes[::-1]}

    def api_client(status, order):
        def job():
            client, bad = app.test_client(), []
            body = {"marks": [{"beneficiary": code, "status": status} for code in order]}
            for _ in range(ROUNDS):
                response = client.put(f"/api/v1/sessions/{session}/attendance", json=body, headers=headers)
                if response.status_code != 200:
                    bad.append((status, response.status_code))
            return bad
        return job

    def page_client():
        client, bad = app.test_client(), []
        client.post("/login", data={"username": "pagesaver", "password": PASSWORD})
        ids = sorted(set(MARK_NAME.findall(client.get(f"/sessions/{session}").get_data(as_text=True))))
        assert len(ids) == PEOPLE, "the page shows every participant"
        for _ in range(ROUNDS // 3):
            response = client.post(f"/sessions/{session}", data={f"mark-{i}": "late" for i in ids})
            if response.status_code != 302:
                bad.append(("late", response.status_code))
        return bad

    clients = [api_client(s, order) for s, order in sheets.items() for _copy in range(CLIENTS_PER_ORDER)]
    problems = _run_together(clients + [page_client])

    assert problems == []
    with app.app_context():
        final = set(Attendance.select(Attendance.status).where(Attendance.session == session).tuples())
        assert Attendance.select().where(Attendance.session == session).count() == PEOPLE
    assert final in ({("present",)}, {("absent",)}, {("late",)}), final  # one whole sheet, never a mix


def _lock_waiters(conn):
    """How many connections of the test database wait for a row or table lock."""
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'")
        return cur.fetchone()[0]


def _wait_for_waiters(conn, count):
    """Poll until `count` connections wait for a lock (at most 20 s: a hung test fails, it never blocks CI)."""
    deadline = time.monotonic() + 20
    while _lock_waiters(conn) < count:
        assert time.monotonic() < deadline, f"{count} clients never waited for the held row"
        time.sleep(0.02)


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="SQLite has no row locks: its writers run one at a time")
def test_opposite_orders_meeting_on_a_held_row_both_save(app, bearer, create_user, create_cohort,
                                                         create_beneficiary, enroll):
    """A third connection holds the middle person's mark; ascending and descending saves both wait for it.

    Without the session's lock, the ascending save held the first half, the descending one the second
    half, and each needed the other's once the row was released: PostgreSQL killed one (a 500).
    """
    session, codes = _session_with_people(create_cohort, create_beneficiary, enroll)
    headers = bearer(create_user("officer"))
    client = app.test_client()
    url = f"/api/v1/sessions/{session}/attendance"
    assert client.put(url, json={"marks": [{"beneficiary": c, "status": "absent"} for c in codes]},
                      headers=headers).status_code == 200
    with app.app_context():
        middle = (Enrollment.select(Enrollment.id).join_from(Enrollment, Attendance)
                  .where(Attendance.session == session).order_by(Enrollment.id).offset(PEOPLE // 2).scalar())
    holder, watcher = psycopg2.connect(TEST_DATABASE_URL), psycopg2.connect(TEST_DATABASE_URL)
    watcher.autocommit = True
    answers = {}

    def save(status, order):
        try:
            body = {"marks": [{"beneficiary": code, "status": status} for code in order]}
            answers[status] = app.test_client().put(url, json=body, headers=headers).status_code
        except Exception as error:  # noqa: BLE001  (the answers say what happened)
            answers[status] = repr(error)

    try:
        with holder.cursor() as cur:
            cur.execute("SELECT 1 FROM attendance WHERE session_id = %s AND enrollment_id = %s FOR UPDATE",
                        (session, middle))
        threads = [threading.Thread(target=save, args=args) for args in (("present", codes), ("late", codes[::-1]))]
        for waiting, thread in enumerate(threads, start=1):
            thread.start()
            _wait_for_waiters(watcher, waiting)
        holder.rollback()
        for thread in threads:
            thread.join(60)
    finally:
        holder.close()
        watcher.close()

    assert answers == {"present": 200, "late": 200}
    with app.app_context():
        final = set(Attendance.select(Attendance.status).where(Attendance.session == session).tuples())
    assert final in ({("present",)}, {("late",)}), final
