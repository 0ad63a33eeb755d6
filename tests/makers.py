"""The makers of the registry's records and the callers that act on them, one fixture per thing.

Loaded by the root conftest (`pytest_plugins`), so every test folder shares them: a folder's
conftest or a test module neither imports nor redefines them.
"""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from registry.api.tokens import create_token
from registry.auth.models import User
from registry.beneficiaries.services import register_beneficiary
from registry.programs import enrollment as enrolling
from registry.programs import services as programs
from registry.programs.attendance import record_attendance
from registry.programs.models import TrainingSession

# A participant's values as the registration form hands them to the service.
BASE = {
    "given_name": "Chanthy", "family_name": "Sok", "given_name_km": "", "family_name_km": "", "sex": "female",
    "date_of_birth": date(2001, 3, 15), "birth_year": None, "phone": "", "province": "02", "district": "",
    "commune": "", "village": "", "id_document_type": None, "id_document_number": "", "category": "at_risk",
    "consent_data_use": True, "consent_follow_up": True, "consent_photos": False, "consent_on": date(2026, 3, 1),
    "registered_on": date(2026, 3, 1),
}
# The same participant as the API takes it.
PERSON = {"given_name": "Chanthy", "family_name": "Sok", "sex": "female", "date_of_birth": "2001-03-15",
          "province": "02", "category": "at_risk", "consent_data_use": True, "consent_on": "2026-03-01"}
# A cohort's first and last day unless a test gives its own.
START, END = date(2026, 3, 2), date(2026, 5, 29)


@pytest.fixture
def registrar(create_user):
    """The officer (all provinces) that makers register people as."""
    return create_user("officer", username="registrar")


@pytest.fixture
def officer(app_ctx, registrar):
    """The registrar loaded in the test's app context: the officer making the changes a test makes directly."""
    return User.get_by_id(registrar.id)


@pytest.fixture
def create_beneficiary(app, registrar):
    """A maker of participants: create_beneficiary(family_name="Chea", province="17", ...)."""

    def make(**values):
        with app.app_context():
            user = User.get_by_id(registrar.id)
            return register_beneficiary({**BASE, **values}, user, allow_duplicate=True)

    return make


@pytest.fixture
def create_program(app, registrar):
    """A maker of programs: create_program(min_attendance=0.8, assessment_required=False)."""

    def make(**values):
        values = {"name": values.pop("name", f"Sewing {make.count}"), "sector": "garment",
                  "min_attendance": Decimal("0.8"), "assessment_required": False, **values}
        make.count += 1
        with app.app_context():
            return programs.save_program(None, values, User.get_by_id(registrar.id))

    make.count = 1
    return make


@pytest.fixture
def create_cohort(app, registrar, create_program):
    """A maker of cohorts with sessions on the given days: create_cohort(days=[...], capacity=25)."""

    def make(days=(), trainers=(), **values):
        program = values.pop("program", None) or create_program()
        values = {"program": program, "name": "Sewing Battambang", "venue": "Centre", "province": "02",
                  "start_on": START, "end_on": END, "capacity": 25, **values}
        with app.app_context():
            user = User.get_by_id(registrar.id)
            cohort = programs.save_cohort(None, values, [t.id for t in trainers], user)
            for day in days:
                programs.add_session(cohort, day, Decimal("3"), user)
            return cohort

    return make


@pytest.fixture
def enroll(app, registrar):
    """Enroll a participant in a cohort: enroll(cohort, beneficiary, on=START)."""

    def make(cohort, beneficiary, on=START):
        with app.app_context():
            return enrolling.enroll(cohort, beneficiary, on, User.get_by_id(registrar.id))

    return make


@pytest.fixture
def session_of_three(create_cohort, create_beneficiary, enroll):
    """session_of_three(day) -> (the one session on that day, the codes of Chanthy, Dara and Sokha, enrolled before)."""

    def make(day):
        cohort = create_cohort(start_on=day - timedelta(days=20), end_on=day + timedelta(days=20), days=[day])
        people = [create_beneficiary(given_name=name) for name in ("Chanthy", "Dara", "Sokha")]
        for person in people:
            enroll(cohort, person, on=day - timedelta(days=20))
        return TrainingSession.get(TrainingSession.cohort == cohort), [p.code for p in people]

    return make


@pytest.fixture
def completer(app, registrar, create_cohort, create_beneficiary):
    """completer(completed_on, **participant values) -> the completed enrollment (one session, attended)."""

    def make(completed_on, **values):
        start = completed_on - timedelta(days=30)
        cohort = create_cohort(start_on=start, end_on=completed_on, days=[start], name=f"Cohort {completed_on}")
        beneficiary = create_beneficiary(**values)
        with app.app_context():
            user = User.get_by_id(registrar.id)
            enrollment = enrolling.enroll(cohort, beneficiary, start, user)
            session = TrainingSession.get(TrainingSession.cohort == cohort)
            record_attendance(session, {enrollment.id: "present"}, user, today=completed_on)
            return enrolling.change_status(enrolling.Enrollment.get_by_id(enrollment.id), "completed",
                                           completed_on, user)

    return make


@pytest.fixture
def bearer(app):
    """bearer(user) → the headers that send a new API token of the user."""

    def make(user):
        with app.app_context():
            token, _record = create_token(user, "tests")
        return {"Authorization": f"Bearer {token}"}

    return make


class ApiClient:
    """The test client with `Authorization: Bearer <token>` on every request."""

    def __init__(self, client, token, user):
        self.client, self.token, self.user = client, token, user
        self.headers = {"Authorization": f"Bearer {token}"}

    def _send(self, method, path, **kwargs):
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self._send("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self._send("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self._send("PATCH", path, **kwargs)

    def put(self, path, **kwargs):
        return self._send("PUT", path, **kwargs)


@pytest.fixture
def api(app, client, create_user):
    """api(role="officer", provinces=None, **account) → an ApiClient acting as a new account of the role."""

    def make(role="officer", provinces=None, **kwargs):
        user = create_user(role, provinces, **kwargs)
        with app.app_context():
            token, _record = create_token(user, "tests")
        return ApiClient(client, token, user)

    return make
