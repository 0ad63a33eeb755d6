"""Makers for outcome tests: a participant who completed training on a given day."""
from datetime import date, timedelta

import pytest

from registry.auth.models import User
from registry.programs import enrollment as enrolling
from registry.programs.models import TrainingSession
from registry.programs.attendance import record_attendance
from tests.beneficiaries.conftest import create_beneficiary, registrar  # noqa: F401
from tests.programs.conftest import create_cohort, create_program, enroll  # noqa: F401


@pytest.fixture
def completer(app, registrar, create_cohort, create_beneficiary):  # noqa: F811
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
def officer(app_ctx, registrar):  # noqa: F811
    """The officer recording follow-ups."""
    return User.get_by_id(registrar.id)


TODAY = date.today()
