"""Makers for training tests."""
from datetime import date
from decimal import Decimal

import pytest

from registry.auth.models import User
from registry.programs import enrollment as enrolling
from registry.programs import services
from tests.beneficiaries.conftest import create_beneficiary, registrar  # noqa: F401  (fixtures used here)

START, END = date(2026, 3, 2), date(2026, 5, 29)


@pytest.fixture
def create_program(app, registrar):  # noqa: F811
    """A maker of programs: create_program(min_attendance=0.8, assessment_required=False)."""

    def make(**values):
        values = {"name": values.pop("name", f"Sewing {make.count}"), "sector": "garment",
                  "min_attendance": Decimal("0.8"), "assessment_required": False, **values}
        make.count += 1
        with app.app_context():
            return services.save_program(None, values, User.get_by_id(registrar.id))

    make.count = 1
    return make


@pytest.fixture
def create_cohort(app, registrar, create_program):  # noqa: F811
    """A maker of cohorts with sessions on the given days: create_cohort(days=[...], capacity=25)."""

    def make(days=(), trainers=(), **values):
        program = values.pop("program", None) or create_program()
        values = {"program": program, "name": "Sewing Battambang", "venue": "Centre", "province": "02",
                  "start_on": START, "end_on": END, "capacity": 25, **values}
        with app.app_context():
            user = User.get_by_id(registrar.id)
            cohort = services.save_cohort(None, values, [t.id for t in trainers], user)
            for day in days:
                services.add_session(cohort, day, Decimal("3"), user)
            return cohort

    return make


@pytest.fixture
def enroll(app, registrar):  # noqa: F811
    """Enroll a participant in a cohort: enroll(cohort, beneficiary, on=START)."""

    def make(cohort, beneficiary, on=START):
        with app.app_context():
            return enrolling.enroll(cohort, beneficiary, on, User.get_by_id(registrar.id))

    return make
