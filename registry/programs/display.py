"""How training values read on pages."""
from flask_login import current_user

from registry.beneficiaries.choices import label
from registry.programs.choices import MARK_LABELS, STATUS_LABELS
from registry.programs.cover import person_of
from registry.programs.models import EnrollmentChange


def enrollment_status(status):
    """An enrollment status as people read it."""
    return label(STATUS_LABELS, status)


def mark_label(mark):
    """An attendance mark as people read it."""
    return label(MARK_LABELS, mark)


def changes(enrollment):
    """An enrollment's status changes, oldest first."""
    return enrollment.changes.order_by(EnrollmentChange.changed_on, EnrollmentChange.id)


def cohort_person(beneficiary):
    """A cohort's person as the signed-in user may see them: the code, and the names only in their provinces."""
    return person_of(beneficiary, current_user)


def init_blueprint(bp):
    """Give every template the training display helpers."""
    for helper in (enrollment_status, mark_label, changes, cohort_person):
        bp.add_app_template_global(helper)
