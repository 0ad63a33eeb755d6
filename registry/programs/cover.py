"""Whose identity a user may see in a cohort, and whose enrollment they may change.

A cohort lives in one province and its people may come from another (an admin, or a user of both
provinces, enrolled them). A user who does not cover a person's province sees that person by code
only, and may not change their enrollment or attendance: the cohort must not become a way around
the province scope. A cohort's assigned trainer sees every name in it (the loaders let a trainer
into their own cohorts only): serving the class needs them, and whoever enrolled the person, who
covered both provinces, chose this.
"""
from dataclasses import dataclass

from flask_babel import gettext as _

from registry.auth.models import TRAINER
from registry.beneficiaries.models import Beneficiary
from registry.programs.models import Enrollment
from registry.programs.services import TrainingError


class OutsideCover(TrainingError):
    """A write about people of a province outside the user's: nothing was written; `codes` names them."""

    def __init__(self, message, codes):
        super().__init__(message, field="beneficiary")
        self.codes = codes


@dataclass(frozen=True)
class CohortPerson:
    """A person as a cohort's page or sheet shows them to one user: the code, and the names when covered."""

    code: str
    name: str = ""  # the display name (Latin and Khmer)
    name_latin: str = ""
    name_km: str = ""
    covered: bool = False


def covers(user, province_code):
    """Whether the user may see the identity of a cohort's person of this province and change their enrollment.

    Call it for a cohort the user may open (its loader checks that): a trainer there is one of its trainers.
    """
    return user.role == TRAINER or user.in_scope(province_code)


def person_of(beneficiary, user):
    """The CohortPerson the user may see: the names only when they cover the person's province."""
    if not covers(user, beneficiary.province_id):
        return CohortPerson(beneficiary.code)
    return CohortPerson(beneficiary.code, beneficiary.display_name, _joined(beneficiary.family_name,
                                                                           beneficiary.given_name),
                        _joined(beneficiary.family_name_km, beneficiary.given_name_km), covered=True)


def _joined(*parts):
    return " ".join(p for p in parts if p)


def may_enroll(user, cohort, beneficiary):
    """Whether the user may put this person in this cohort: they must cover both provinces (admins cover all)."""
    return user.role != TRAINER and user.in_scope(cohort.province_id) and user.in_scope(beneficiary.province_id)


def check_may_enroll(user, cohort, beneficiaries):
    """:raise OutsideCover: someone lives in a province the user does not cover, or the cohort does."""
    refused = sorted(b.code for b in beneficiaries if not may_enroll(user, cohort, b))
    if refused:
        raise OutsideCover(_("%(codes)s: enrolling a person in a cohort of another province needs an account that "
                             "covers both provinces. Nothing was saved.", codes=", ".join(refused)), refused)


def uncovered(user, enrollment_ids):
    """{enrollment id: code} of those enrollments whose person lives in a province the user does not cover."""
    codes = user.province_codes()
    if user.role == TRAINER or codes is None or not enrollment_ids:
        return {}
    outside = Beneficiary.province.is_null() | Beneficiary.province.not_in(sorted(codes))
    return dict(Enrollment.select(Enrollment.id, Beneficiary.code).join(Beneficiary)
                .where(Enrollment.id.in_(sorted(enrollment_ids)) & outside).tuples())


def check_covered(user, enrollment_ids):
    """:raise OutsideCover: an enrollment of a person the user does not cover is among these (read-only for them)."""
    refused = sorted(set(uncovered(user, enrollment_ids).values()))
    if refused:
        raise OutsideCover(read_only_message(refused), refused)


def read_only_message(codes):
    """Why a user may not change these people's enrollment or attendance, naming their codes."""
    return _("%(codes)s: this person lives in a province outside yours, so their enrollment and attendance are "
             "read-only for you. Nothing was saved.", codes=", ".join(codes))
