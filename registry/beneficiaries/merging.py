"""Merging two records of the same person, and undoing it.

Other features own rows that point to a participant (enrollments, attendance, follow-ups).
They take part in a merge by registering a MergeStep; beneficiaries never imports them.
"""
import json
from dataclasses import dataclass
from typing import Callable

from flask_babel import lazy_gettext as _l

from registry.audit.services import record_event
from registry.beneficiaries.models import Beneficiary, BeneficiaryMerge
from registry.beneficiaries.duplicates import search_keys
from registry.beneficiaries.services import EDITABLE, BeneficiaryError, editable_values
from registry.db import database
from registry.timeutil import utcnow


@dataclass
class MergeStep:
    """How one feature moves its rows: move(survivor, duplicate) -> (undo data, conflicts); undo(data)."""

    name: str
    move: Callable
    undo: Callable


MERGE_STEPS = []


def register_merge_step(step):
    """Let a feature move its rows when two participants are merged."""
    if all(s.name != step.name for s in MERGE_STEPS):
        MERGE_STEPS.append(step)


def merge_preview(survivor, duplicate):
    """The fields side by side: (field, survivor value, duplicate value, value after the merge)."""
    before, other = editable_values(survivor), editable_values(duplicate)
    return [(name, before[name], other[name], before[name] if before[name] not in (None, "") else other[name])
            for name in EDITABLE]


def _plain(value):
    """A value as it is kept in the merge's JSON detail."""
    return value if value is None or isinstance(value, (bool, int, str)) else str(value)


def merge_beneficiaries(survivor, duplicate, user):
    """Merge the duplicate into the survivor in one transaction; return the merge record.

    The survivor keeps its values and takes the duplicate's where its own are blank; rows of
    other features move to it. The duplicate keeps its code and points to the survivor.
    Conflicts (e.g. both enrolled in the same cohort) are listed in the merge's detail.
    """
    if survivor.id == duplicate.id:
        raise BeneficiaryError(_l("A record cannot be merged into itself."))
    if "merged" in (survivor.status, duplicate.status):
        raise BeneficiaryError(_l("One of these records is already merged into another."))
    with database.atomic():
        filled = {name: value for name, _s, _d, value in merge_preview(survivor, duplicate)
                  if _s in (None, "") and value not in (None, "")}
        for name, value in filled.items():
            setattr(survivor, name, value)
        for key, value in search_keys(editable_values(survivor)).items():
            setattr(survivor, key, value)
        survivor.updated_at = utcnow()
        survivor.save()
        moved, conflicts = {}, []
        for step in MERGE_STEPS:
            moved[step.name], step_conflicts = step.move(survivor, duplicate)
            conflicts.extend(step_conflicts)
        previous_status = duplicate.status
        Beneficiary.update(status="merged", merged_into=survivor, updated_at=utcnow()).where(
            Beneficiary.id == duplicate.id).execute()
        detail = {"filled": {name: _plain(value) for name, value in filled.items()}, "moved": moved,
                  "conflicts": conflicts,
                  "duplicate_status": previous_status}
        merge = BeneficiaryMerge.create(survivor=survivor, duplicate=duplicate, merged_by=user,
                                        detail=json.dumps(detail, default=str))
        audit = {"survivor": survivor.code, "duplicate": duplicate.code, "filled": sorted(filled),
                 "conflicts": conflicts}
        record_event("beneficiary.merge", obj=survivor, user=user, detail=audit)
        record_event("beneficiary.merged_into", obj=duplicate, user=user, detail=audit)
    return merge


def conflict_messages(merge):
    """What the officer must sort out by hand after a merge, as sentences."""
    return [str(c) for c in json.loads(merge.detail).get("conflicts", [])]


def undo_merge(merge, user):
    """Undo a merge: the duplicate is restored, its rows move back, filled fields are cleared."""
    if merge.undone_at is not None:
        raise BeneficiaryError(_l("This merge was already undone."))
    detail = json.loads(merge.detail)
    survivor, duplicate = merge.survivor, merge.duplicate
    with database.atomic():
        for step in reversed(MERGE_STEPS):
            if step.name in detail["moved"]:
                step.undo(detail["moved"][step.name])
        current = editable_values(survivor)
        for name, copied in detail["filled"].items():
            if _plain(current[name]) == copied:  # not changed by anyone since the merge
                setattr(survivor, name, None if Beneficiary._meta.fields[name].null else "")
        for key, value in search_keys(editable_values(survivor)).items():
            setattr(survivor, key, value)
        survivor.save()
        Beneficiary.update(status=detail.get("duplicate_status", "active"), merged_into=None,
                           updated_at=utcnow()).where(Beneficiary.id == duplicate.id).execute()
        BeneficiaryMerge.update(undone_at=utcnow(), undone_by=user).where(BeneficiaryMerge.id == merge.id).execute()
        audit = {"survivor": survivor.code, "duplicate": duplicate.code}
        record_event("beneficiary.merge_undone", obj=survivor, user=user, detail=audit)
        record_event("beneficiary.merge_undone", obj=duplicate, user=user, detail=audit)
    return merge
