"""The API's world for its access and replay tests: records in province 02, a body for every write, a trainer."""
from datetime import date, timedelta

import pytest

from registry.auth.models import User
from registry.outcomes.services import record_follow_up
from registry.programs import enrollment as enrolling
from registry.programs.models import Enrollment, TrainingSession
from tests.makers import PERSON

TODAY = date.today()


@pytest.fixture
def world(app, create_beneficiary, create_cohort, create_program, enroll, create_user, registrar):
    """Data in province 02: a participant, a likely duplicate, a graduate with a follow-up, a cohort with a session."""
    trainer = create_user("trainer", username="assigned")
    person = create_beneficiary(phone="+85512345678")
    duplicate = create_beneficiary(given_name="Chanty")
    graduate = create_beneficiary(given_name="Sokha")
    newcomer = create_beneficiary(given_name="Vanna")
    start = TODAY - timedelta(days=40)
    cohort = create_cohort(start_on=start, end_on=TODAY + timedelta(days=20), days=[TODAY - timedelta(days=3)],
                           trainers=[trainer])
    finished = create_cohort(name="Earlier", start_on=start - timedelta(days=200), end_on=start - timedelta(days=100))
    enrollment = enroll(cohort, person, on=start)
    with app.app_context():
        done = enroll(finished, graduate, on=start - timedelta(days=200))
        enrolling.change_status(Enrollment.get_by_id(done.id), "completed", start - timedelta(days=100),
                                User.get_by_id(registrar.id), override_reason="test")
        follow_up = record_follow_up(graduate, {"followed_on": TODAY, "reached": False, "method": "phone"},
                                     User.get_by_id(registrar.id))
    session = TrainingSession.get(TrainingSession.cohort == cohort)
    program = create_program(name="Hairdressing")
    return {
        "code": person.code, "graduate": graduate.code, "cohort_id": cohort.id, "session_id": session.id,
        "enrollment_id": enrollment.id, "follow_up_id": follow_up.id,
        "bodies": {
            "new_person": {**PERSON, "given_name": "Bopha", "date_of_birth": "1995-06-01"},
            "duplicate": {"duplicate": duplicate.code},
            "consent": {"consent_data_use": True, "consent_follow_up": True, "on": TODAY.isoformat()},
            "withdrawal": {"on": TODAY.isoformat(), "reason": "Moved away; asked not to be contacted."},
            "follow_up": {"on": TODAY.isoformat(), "reached": False, "method": "phone"},
            "new_cohort": {"program": program.id, "name": "New", "province": "02", "start_on": "2026-01-05",
                           "end_on": "2026-02-05"},
            "new_session": {"date": TODAY.isoformat(), "hours": 2},
            "enrollment": {"beneficiary": newcomer.code, "enrolled_on": start.isoformat()},
            "marks": {"marks": [{"beneficiary": person.code, "status": "present"}]},
        },
        "trainer": trainer,
    }
