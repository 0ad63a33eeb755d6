"""Where outcomes plugs into the features it follows: completions schedule follow-ups; profiles show them."""
from registry.beneficiaries.merging import MergeStep, register_merge_step
from registry.beneficiaries.profile_sections import ProfileSection, register_profile_section
from registry.outcomes.models import FollowUp
from registry.outcomes.queries import timeline
from registry.outcomes.services import schedule_follow_ups
from registry.programs.enrollment import STATUS_HOOKS
from registry.programs.models import Enrollment

if schedule_follow_ups not in STATUS_HOOKS:
    STATUS_HOOKS.append(schedule_follow_ups)
register_profile_section(ProfileSection("outcomes", "outcomes/_profile_timeline.html", timeline))


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


# Registered after training's step (registry.programs is imported first), so enrollments have moved, and on
# undo have moved back, before follow-ups follow them.
register_merge_step(MergeStep("follow_ups", move=move_follow_ups, undo=move_follow_ups_back, rows=moved_follow_ups))
