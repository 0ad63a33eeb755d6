"""The database layer: SQLite settings, per-request connections and migrations on both databases."""
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
