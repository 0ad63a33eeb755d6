"""Training's part in merging two participants: their enrollments (and so attendance) move to the survivor."""
from flask_babel import gettext as _

from registry.beneficiaries.merging import MergeStep
from registry.programs.models import Cohort, Enrollment


def move_enrollments(survivor, duplicate):
    """Move the duplicate's enrollments; one in a cohort where the survivor is too stays, reported."""
    taken = {e.cohort_id for e in Enrollment.select(Enrollment.cohort).where(Enrollment.beneficiary == survivor)}
    theirs = list(Enrollment.select().where(Enrollment.beneficiary == duplicate))
    movable = [e.id for e in theirs if e.cohort_id not in taken]
    if movable:
        Enrollment.update(beneficiary=survivor).where(Enrollment.id.in_(movable)).execute()
    conflicts = [_("Both records were enrolled in %(cohort)s: the enrollment of %(code)s stays with it; "
                   "compare the two and withdraw one.", cohort=Cohort.get_by_id(e.cohort_id).name,
                   code=duplicate.code) for e in theirs if e.cohort_id in taken]
    return {"enrollments": movable, "duplicate": duplicate.id}, conflicts


def moved_rows(moved):
    """The ids of the enrollments a merge moved."""
    return moved["enrollments"]


def move_back(moved, giveback):
    """Undo: the enrollments given back return to the restored duplicate, from the survivor's side."""
    if giveback.rows:
        Enrollment.update(beneficiary=moved["duplicate"]).where(
            Enrollment.id.in_(giveback.rows) & Enrollment.beneficiary.in_(giveback.holders)).execute()


# Declared in the app factory, before the steps that follow enrollments (outcomes' follow-ups).
ENROLLMENTS = MergeStep("enrollments", move=move_enrollments, undo=move_back, rows=moved_rows)
