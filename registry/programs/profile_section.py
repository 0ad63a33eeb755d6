"""Training on a participant's profile: their enrollments with status and attendance rate."""
from registry.beneficiaries.profile_sections import ProfileSection
from registry.programs.attendance import rates
from registry.programs.models import Cohort, Enrollment, Program


def enrollments_of(beneficiary):
    """The participant's enrollments, waitlist included (the latest asked for first), with their rates."""
    enrollments = list(Enrollment.select(Enrollment, Cohort, Program).join(Cohort).join(Program)
                       .where(Enrollment.beneficiary == beneficiary)
                       .order_by(Enrollment.requested_on.desc(), Enrollment.id.desc()))
    return {"enrollments": enrollments,
            "rates": rates(Enrollment.select().where(Enrollment.beneficiary == beneficiary))}


TRAINING = ProfileSection("training", "programs/_profile_enrollments.html", enrollments_of)
