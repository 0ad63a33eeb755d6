"""Audit fixtures: the app with the audit feature wired, raw SQL as a tamperer would run it, makers."""
from datetime import date

import pytest

from registry import audit
from registry.audit.models import AuditEvent
from registry.auth.models import User
from registry.beneficiaries.services import register_beneficiary
from registry.db import database

PARTICIPANT = {
    "given_name": "Chanthy", "family_name": "Sok", "given_name_km": "", "family_name_km": "", "sex": "female",
    "date_of_birth": date(2001, 3, 15), "birth_year": None, "phone": "", "province": "02", "district": "",
    "commune": "", "village": "", "id_document_type": None, "id_document_number": "", "category": "at_risk",
    "consent_data_use": True, "consent_follow_up": True, "consent_photos": False, "consent_on": date(2026, 3, 1),
    "registered_on": date(2026, 3, 1),
}


@pytest.fixture
def app(app):
    """The test app with registry.audit.init_app applied (a no-op once create_app calls it)."""
    if "audit" not in app.blueprints:
        audit.init_app(app)
    return app


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


@pytest.fixture
def create_beneficiary(app, create_user):
    """A maker of participants, registered by an officer: create_beneficiary(given_name="Dara")."""
    registrar = create_user("officer", username="registrar")

    def make(**values):
        with app.app_context():
            return register_beneficiary({**PARTICIPANT, **values}, User.get_by_id(registrar.id),
                                        allow_duplicate=True)

    return make
