"""Makers for participant tests."""
from datetime import date

import pytest

from registry.auth.models import User
from registry.beneficiaries.services import register_beneficiary

BASE = {
    "given_name": "Chanthy", "family_name": "Sok", "given_name_km": "", "family_name_km": "", "sex": "female",
    "date_of_birth": date(2001, 3, 15), "birth_year": None, "phone": "", "province": "02", "district": "",
    "commune": "", "village": "", "id_document_type": None, "id_document_number": "", "category": "at_risk",
    "consent_data_use": True, "consent_follow_up": True, "consent_photos": False, "consent_on": date(2026, 3, 1),
    "registered_on": date(2026, 3, 1),
}


@pytest.fixture
def registrar(create_user):
    """The officer (all provinces) that makers register people as."""
    return create_user("officer", username="registrar")


@pytest.fixture
def create_beneficiary(app, registrar):
    """A maker of participants: create_beneficiary(family_name="Chea", province="17", ...)."""

    def make(**values):
        with app.app_context():
            user = User.get_by_id(registrar.id)
            return register_beneficiary({**BASE, **values}, user, allow_duplicate=True)

    return make
