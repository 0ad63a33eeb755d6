"""Where outcomes plugs into the features it follows: completions schedule follow-ups; profiles show them;
merges carry them along. The app factory declares the step and the section; init_app connects the receiver."""
from registry.beneficiaries.merging import MergeStep
from registry.beneficiaries.profile_sections import ProfileSection
from registry.outcomes.models import FollowUp
from registry.outcomes.queries import timeline
from registry.outcomes.services import schedule_follow_ups
from registry.programs.models import Enrollment

TIMELINE = ProfileSection("outcomes", "outcomes/_profile_timeline.html", timeline)


def on_status_changed(sender, enrollment, user, **extra):
    """Receiver of programs' enrollment_status_changed: a completion schedules its follow-ups."""
    schedule_follow_ups(enrollment, user)


def move_follow_ups(survivor, duplicate):
    """In a merge, the duplicate's follow-ups follow their enrollments to the survivor."""
    moved = [f.id for f in FollowUp.select(FollowUp.id).join(Enrollment).where(
        (FollowUp.beneficiary == duplicate) & (Enrollment.beneficiary == survivor))]
    if moved:
        FollowUp.update(beneficiary=survivor).where(FollowUp.id.in_(moved)).execute()
    return {"follow_ups": moved, "duplicate": duplicate.id}, []


def moved_follow_ups(moved):
    """The ids of the follow-ups a merge moved."""
    return moved["follow_ups"]


def move_follow_ups_back(moved, giveback):
    """Undo: follow-ups follow their enrollments back to the restored duplicate.

    Training's undo runs first: every follow-up held by the survivor's side whose enrollment is now the
    duplicate's goes with it, those recorded since the merge too (a follow-up is its enrollment's person's).
    """
    back = Enrollment.select(Enrollment.id).where(Enrollment.beneficiary == moved["duplicate"])
    FollowUp.update(beneficiary=moved["duplicate"]).where(
        FollowUp.beneficiary.in_(giveback.holders) & FollowUp.enrollment.in_(back)).execute()


# Declared in the app factory after training's step, so enrollments have moved, and on undo have moved back,
# before follow-ups follow them.
FOLLOW_UPS = MergeStep("follow_ups", move=move_follow_ups, undo=move_follow_ups_back, rows=moved_follow_ups)
