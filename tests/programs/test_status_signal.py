"""A status change and what the features following it do are one transaction."""
from datetime import date

import pytest

from registry.programs import enrollment as enrolling
from registry.programs.models import Enrollment, EnrollmentChange
from registry.programs.signals import enrollment_status_changed


def test_a_failing_receiver_undoes_the_status_change(app_ctx, registrar, create_cohort, create_beneficiary):
    enrollment = enrolling.enroll(create_cohort(), create_beneficiary(), date(2026, 3, 2), registrar)

    def explode(sender, **extra):
        raise RuntimeError("disk full")

    with enrollment_status_changed.connected_to(explode, app_ctx):
        with pytest.raises(RuntimeError):
            enrolling.change_status(enrollment, "withdrawn", date(2026, 3, 9), registrar, reason="Moved away")
    assert Enrollment.get_by_id(enrollment.id).status == "enrolled"
    assert EnrollmentChange.select().where(EnrollmentChange.to_status == "withdrawn").count() == 0
