"""Audit fixtures: raw SQL as a tamperer would run it, and the events as stored."""
import pytest

from registry.audit.models import AuditEvent
from registry.db import database


@pytest.fixture
def tamper(app):
    """tamper(sql): run raw SQL on the database, outside the app's models, as an intruder would."""

    def run(sql):
        with app.app_context():
            database.connect(reuse_if_open=True)
            database.execute_sql(sql)

    return run


@pytest.fixture
def events(app):
    """events(): every audit event, in id order (read fresh from the database)."""

    def read():
        return list(AuditEvent.select().order_by(AuditEvent.id))

    return read
