"""The database layer: SQLite settings, per-request connections and migrations on both databases."""
import json
from datetime import date, datetime, timedelta

from peewee import SqliteDatabase

from registry.db import database, migrate, migration_runner, open_database
from registry.reference.models import Province


def test_sqlite_is_opened_with_wal_foreign_keys_and_busy_timeout(tmp_path):
    db = open_database(f"sqlite:///{tmp_path}/x.sqlite3")
    with db.connection_context():
        assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_postgres_url_gives_a_postgres_database():
    db = open_database("postgresql://postgres@127.0.0.1:5432/test")
    assert not isinstance(db, SqliteDatabase)
    assert db.database == "test"


def test_connection_is_closed_after_each_request(app, client):
    database.close()
    client.get("/login")
    assert database.is_closed()


def test_migrations_create_the_schema_and_are_a_no_op_the_second_time(fresh_database_url):
    db = open_database(fresh_database_url)
    with db.connection_context():
        every = [m.name for m in migration_runner(db).migrations()]
        assert every[:4] == ["0001_provinces", "0002_users", "0003_audit", "0004_beneficiaries"]
        assert migrate(db) == every
        assert {"province", "app_user", "user_province", "audit_event", "beneficiary"} <= set(db.get_tables())
        assert migrate(db) == []
    db.close()


def test_migrations_go_down_and_up_again(fresh_database_url):
    db = open_database(fresh_database_url)
    with db.connection_context():
        runner = migration_runner(db)
        runner.up()
        while runner.down():
            pass
        assert set(db.get_tables()) <= {"schema_migration"}
        assert len(runner.up()) == len(runner.migrations())
    db.close()


def test_cambodias_25_provinces_are_loaded_with_codes(app):
    provinces = {p.code: p for p in Province.select()}
    assert len(provinces) == 25
    assert provinces["02"].name_en == "Battambang"
    assert provinces["12"].name_en == "Phnom Penh"
    assert provinces["17"].name_km == "សៀមរាប"
    assert provinces["25"].name_en == "Tboung Khmum"
    assert all(len(code) == 2 for code in provinces)


def test_in_memory_sqlite_needs_no_folder():
    db = open_database("sqlite:///:memory:")
    with db.connection_context():
        assert db.execute_sql("SELECT 1").fetchone()[0] == 1


# Migration 0016 (waitlists), on a database that already holds enrollments

D1, D2, D3, D4 = (date(2026, 3, 2) + timedelta(days=7 * n) for n in range(4))
# name: (status, ended_on, history as (from, to, day)); every enrollment was asked for on D1
HISTORIES = {
    "direct": ("active", None, [("", "enrolled", D1), ("enrolled", "active", D2)]),
    "waiting": ("waitlisted", None, [("", "waitlisted", D1)]),
    "admitted": ("active", None, [("", "waitlisted", D1), ("waitlisted", "enrolled", D3), ("enrolled", "active", D4)]),
    "left_waiting": ("withdrawn", D2, [("", "waitlisted", D1), ("waitlisted", "withdrawn", D2)]),
    "left_seated": ("withdrawn", D2, [("", "enrolled", D1), ("enrolled", "withdrawn", D2)]),
    "admitted_then_left": ("withdrawn", D4, [("", "waitlisted", D1), ("waitlisted", "enrolled", D3),
                                            ("enrolled", "withdrawn", D4)]),
}
ENROLLED_ON = {"direct": D1, "waiting": None, "admitted": D3, "left_waiting": None, "left_seated": D1,
               "admitted_then_left": D3}


def _placeholder(data_type):
    """A value of a column's type, for the NOT NULL columns a test row does not care about."""
    kind = data_type.lower()
    if "time" in kind:
        return datetime(2026, 3, 1, 8, 0)
    if "date" in kind:
        return D1
    if "bool" in kind:
        return False
    if any(word in kind for word in ("int", "numeric", "decimal", "real", "double")):
        return 0
    return ""


def _insert(db, table, **values):
    """Insert a row with the given values, every other NOT NULL column filled by type; return its id.

    Read from the table itself, so that the test holds whatever columns later migrations add.
    """
    for column in db.get_columns(table):
        if not column.null and not column.primary_key and column.name not in values:
            values[column.name] = _placeholder(column.data_type)
    names = list(values)
    marks = ", ".join([db.param] * len(names))
    db.execute_sql(f'INSERT INTO "{table}" ({", ".join(names)}) VALUES ({marks})', [values[n] for n in names])
    return db.execute_sql(f'SELECT MAX(id) FROM "{table}"').fetchone()[0]


def _enrollments_before_0016(db):
    """A cohort with one enrollment of each history in HISTORIES, a mark on the first; {name: enrollment id}."""
    program = _insert(db, "program", name="Sewing", min_attendance=0.8)
    cohort = _insert(db, "cohort", program_id=program, province_id="02", name="Sewing 1", start_on=D1,
                     end_on=D4 + timedelta(days=30), capacity=3)
    session = _insert(db, "training_session", cohort_id=cohort, held_on=D2, hours=3, cancelled=False)
    ids = {}
    for number, (name, (status, ended_on, history)) in enumerate(HISTORIES.items(), 1):
        person = _insert(db, "beneficiary", code=f"BR-{number:06d}", status="active")
        ids[name] = _insert(db, "enrollment", beneficiary_id=person, cohort_id=cohort, enrolled_on=D1, status=status,
                            status_on=history[-1][2], ended_on=ended_on)
        for from_status, to_status, day in history:
            _insert(db, "enrollment_change", enrollment_id=ids[name], from_status=from_status, to_status=to_status,
                    changed_on=day)
    _insert(db, "attendance", enrollment_id=ids["direct"], session_id=session, status="present")
    return ids


def _dates(db):
    """{enrollment id: (requested_on, enrolled_on)}."""
    rows = db.execute_sql("SELECT id, requested_on, enrolled_on FROM enrollment").fetchall()
    return {row[0]: (_day(row[1]), _day(row[2])) for row in rows}


def _day(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


def _index_shapes(db):
    """{index name: (columns, unique)} of the enrollment table."""
    return {i.name: (tuple(i.columns), i.unique) for i in db.get_indexes("enrollment")}


def test_0016_dates_enrollments_from_their_history_and_keeps_rows_and_indexes(fresh_database_url):
    db = open_database(fresh_database_url)
    with db.connection_context():
        runner = migration_runner(db)
        runner.up("0015_indicator_khmer")
        ids = _enrollments_before_0016(db)
        indexes = _index_shapes(db)
        counted = {t: db.execute_sql(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                   for t in ("enrollment", "enrollment_change", "attendance")}
        assert runner.up("0016_waitlist") == ["0016_waitlist"]
        assert _dates(db) == {ids[name]: (D1, ENROLLED_ON[name]) for name in HISTORIES}
        # Past figures may move: the audit log keeps why (a locked period's changes show it).
        [(who, detail)] = db.execute_sql(
            "SELECT username, detail FROM audit_event WHERE action = 'data.corrected'").fetchall()
        assert who == "migration:0016_waitlist"
        assert json.loads(detail)["never_admitted"] == sum(day is None for day in ENROLLED_ON.values())
        assert {t: db.execute_sql(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in counted} == counted
        assert _index_shapes(db) == indexes
        assert {"enrollment_enrolled_on", "enrollment_status_ended_on"} <= set(indexes)
        assert (("beneficiary_id", "cohort_id"), True) in indexes.values()
        if isinstance(db, SqliteDatabase):  # the table was rebuilt: every row pointing to it still points
            assert db.execute_sql("PRAGMA foreign_key_check").fetchall() == []
        columns = {c.name: c.null for c in db.get_columns("enrollment")}
        assert (columns["requested_on"], columns["enrolled_on"]) == (False, True)
        # Down puts back the day asked for as the enrollment date; up again derives the same dates.
        assert runner.down() == ["0016_waitlist"]
        assert "requested_on" not in {c.name for c in db.get_columns("enrollment")}
        assert _enrolled_on(db) == {i: D1 for i in ids.values()}
        assert _index_shapes(db) == indexes
        runner.up()
        assert _dates(db) == {ids[name]: (D1, ENROLLED_ON[name]) for name in HISTORIES}
    db.close()


def _enrolled_on(db):
    return {row[0]: _day(row[1]) for row in db.execute_sql("SELECT id, enrolled_on FROM enrollment")}


# Migration 0023 (the time each mark was taken), on a database that already holds marks

def test_0023_fills_the_time_taken_of_existing_marks_from_when_they_were_recorded(fresh_database_url):
    db = open_database(fresh_database_url)
    with db.connection_context():
        runner = migration_runner(db)
        runner.up("0022_idempotency_keys")
        ids = _enrollments_before_0016(db)
        recorded = datetime(2026, 3, 9, 2, 30)
        db.execute_sql("UPDATE attendance SET recorded_at = %s" % db.param, [recorded])
        assert runner.up("0023_attendance_taken_at") == ["0023_attendance_taken_at"]
        rows = db.execute_sql("SELECT enrollment_id, taken_at FROM attendance").fetchall()
        assert [(row[0], _moment(row[1])) for row in rows] == [(ids["direct"], recorded)]
        assert {c.name: c.null for c in db.get_columns("attendance")}["taken_at"] is False
        assert (("enrollment_id", "session_id"), True) in {(tuple(i.columns), i.unique)
                                                           for i in db.get_indexes("attendance")}
        assert runner.down() == ["0023_attendance_taken_at"]
        assert "taken_at" not in {c.name for c in db.get_columns("attendance")}
        assert db.execute_sql("SELECT COUNT(*) FROM attendance").fetchone()[0] == 1
    db.close()


def _moment(value):
    return datetime.fromisoformat(value) if isinstance(value, str) else value
