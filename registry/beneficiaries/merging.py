"""Merging two records of the same person, and undoing it.

Other features own rows that point to a participant (enrollments, attendance, follow-ups).
They take part in a merge with a MergeStep, which the app factory declares in order (init_app);
beneficiaries never imports them.

A merged record always points at its final survivor, a record that is not itself merged: merging a
record that others were merged into re-points them to the new survivor. So the person a row counts
for is one step away (COALESCE(merged_into_id, id)) however long the chain of merges, which is what
the reports and the dashboard read.

An undo gives back exactly what its merge took, wherever later merges of the chain carried it: every
row it moved and every record it re-pointed, unless an earlier undo already gave that back. When
undoing A into B takes A's rows back from C (B was merged into C since), the merge of B into C notes
them as given back ("given_back" in its detail), so that undoing it later leaves them with A.
"""
import json
from dataclasses import dataclass
from typing import Callable

from flask_babel import lazy_gettext as _l

from registry.audit.services import record_event
from registry.beneficiaries.models import Beneficiary, BeneficiaryMerge
from registry.beneficiaries.declared import declare, declared
from registry.beneficiaries.duplicates import search_keys
from registry.beneficiaries.services import EDITABLE, BeneficiaryError, editable_values
from registry.db import database, is_postgres
from registry.timeutil import utcnow

# The key of the PostgreSQL advisory lock that merges and undos take in turn (any constant will do).
MERGE_LOCK = 1_500_017
REPOINTED, GIVEN_BACK = "repointed", "given_back"  # keys of a merge's detail


@dataclass
class MergeStep:
    """How one feature moves its rows: move(survivor, duplicate) -> (undo data, conflicts); rows(undo data) -> the
    ids of the rows it moved; undo(undo data, giveback) moves the giveback's rows back to the duplicate.

    Undo runs the steps in their declared order too, so a step may follow the rows of the steps before it.
    The name keys the step's data in a merge's stored detail: a merge made before is undone by the step of its name.
    """

    name: str
    move: Callable
    undo: Callable
    rows: Callable


@dataclass(frozen=True)
class Giveback:
    """What one step of an undo gives back: `rows` (ids), from wherever they are among `holders`, the merge's
    survivor and the records it was merged into since (a row found elsewhere was moved by other hands: it stays)."""

    holders: tuple
    rows: tuple


STEPS_KEY = "registry.merge_steps"  # where init_app keeps an app's steps, in app.extensions


def init_app(app, steps):
    """Declare the steps by which other features move their rows in a merge, in the order merges and undos run them."""
    declare(app, STEPS_KEY, steps)


def merge_steps():
    """The current app's merge steps, in their declared order."""
    return declared(STEPS_KEY)


def merge_preview(survivor, duplicate):
    """The fields side by side: (field, survivor value, duplicate value, value after the merge)."""
    before, other = editable_values(survivor), editable_values(duplicate)
    return [(name, before[name], other[name], before[name] if before[name] not in (None, "") else other[name])
            for name in EDITABLE]


def _plain(value):
    """A value as it is kept in the merge's JSON detail."""
    return value if value is None or isinstance(value, (bool, int, str)) else str(value)


def _one_at_a_time():
    """Make merges and undos wait for each other: each reads the pointers and rows the other writes.

    SQLite's write transactions already run one at a time (BEGIN IMMEDIATE); on PostgreSQL the
    transaction takes an advisory lock, released at its end.
    """
    if is_postgres():
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (MERGE_LOCK,))


def merge_beneficiaries(survivor, duplicate, user):
    """Merge the duplicate into the survivor in one transaction; return the merge record.

    The survivor keeps its values and takes the duplicate's where its own are blank; rows of
    other features move to it, and the records merged into the duplicate before now point at it.
    The duplicate keeps its code and points to the survivor.
    Conflicts (e.g. both enrolled in the same cohort) are listed in the merge's detail.
    """
    if survivor.id == duplicate.id:
        raise BeneficiaryError(_l("A record cannot be merged into itself."))
    with database.atomic():
        _one_at_a_time()
        # Read again under the lock: the pages' copies may predate another officer's merge.
        survivor, duplicate = Beneficiary.get_by_id(survivor.id), Beneficiary.get_by_id(duplicate.id)
        if "merged" in (survivor.status, duplicate.status):
            raise BeneficiaryError(_l("One of these records is already merged into another."))
        filled = _fill_blanks(survivor, duplicate)
        moved, conflicts = {}, []
        for step in merge_steps():
            moved[step.name], step_conflicts = step.move(survivor, duplicate)
            conflicts.extend(step_conflicts)
        repointed = _repoint(duplicate, survivor)
        Beneficiary.update(status="merged", merged_into=survivor, updated_at=utcnow()).where(
            Beneficiary.id == duplicate.id).execute()
        detail = {"filled": {name: _plain(value) for name, value in filled.items()}, "moved": moved,
                  "conflicts": conflicts, "duplicate_status": duplicate.status, REPOINTED: repointed}
        merge = BeneficiaryMerge.create(survivor=survivor, duplicate=duplicate, merged_by=user,
                                        detail=json.dumps(detail, default=str))
        audit = {"survivor": survivor.code, "duplicate": duplicate.code, "filled": sorted(filled),
                 "conflicts": conflicts, "repointed": _codes(repointed)}
        record_event("beneficiary.merge", obj=survivor, user=user, detail=audit)
        record_event("beneficiary.merged_into", obj=duplicate, user=user, detail=audit)
    return merge


def _fill_blanks(survivor, duplicate):
    """The survivor takes the duplicate's values where its own are blank; return them by field."""
    filled = {name: value for name, mine, _theirs, value in merge_preview(survivor, duplicate)
              if mine in (None, "") and value not in (None, "")}
    for name, value in filled.items():
        setattr(survivor, name, value)
    _save_with_keys(survivor)
    return filled


def _repoint(duplicate, survivor):
    """The records merged into the duplicate before now point at the survivor; return their ids."""
    ids = [b.id for b in Beneficiary.select(Beneficiary.id).where(Beneficiary.merged_into == duplicate.id)
           .order_by(Beneficiary.id)]
    if ids:
        Beneficiary.update(merged_into=survivor, updated_at=utcnow()).where(Beneficiary.id.in_(ids)).execute()
    return ids


def _codes(ids):
    """The codes of records, in the order of their ids."""
    return [b.code for b in Beneficiary.select(Beneficiary.code).where(Beneficiary.id.in_(ids or [0]))
            .order_by(Beneficiary.id)]


def _save_with_keys(beneficiary):
    """Save a record whose values a merge or an undo changed, with its search keys made again."""
    for key, value in search_keys(editable_values(beneficiary)).items():
        setattr(beneficiary, key, value)
    beneficiary.updated_at = utcnow()
    beneficiary.save()


def conflict_messages(merge):
    """What the officer must sort out by hand after a merge, as sentences."""
    return [str(c) for c in json.loads(merge.detail).get("conflicts", [])]


def undo_merge(merge, user):
    """Undo a merge: the duplicate is restored, what the merge took goes back to it, filled fields are cleared.

    In a chain (A into B, then B into C), undoing A into B takes A's rows back from C too; undoing
    B into C afterwards leaves them with A.
    """
    with database.atomic():
        _one_at_a_time()
        merge = BeneficiaryMerge.get_by_id(merge.id)  # read again under the lock: a second click finds it undone
        if merge.undone_at is not None:
            raise BeneficiaryError(_l("This merge was already undone."))
        detail = json.loads(merge.detail)
        survivor, duplicate = Beneficiary.get_by_id(merge.survivor_id), Beneficiary.get_by_id(merge.duplicate_id)
        links = _chain(survivor)
        repointed = _give_back(merge, detail, duplicate, (survivor.id, *(link.survivor_id for link in links)))
        cleared = _clear_filled(detail["filled"], survivor, links)
        Beneficiary.update(status=detail.get("duplicate_status", "active"), merged_into=None,
                           updated_at=utcnow()).where(Beneficiary.id == duplicate.id).execute()
        BeneficiaryMerge.update(undone_at=utcnow(), undone_by=user).where(BeneficiaryMerge.id == merge.id).execute()
        audit = {"survivor": survivor.code, "duplicate": duplicate.code, "repointed": _codes(repointed),
                 "cleared": {record.code: names for record, names in cleared}}
        for record in (survivor, duplicate, *(r for r, _names in cleared if r.id != survivor.id)):
            record_event("beneficiary.merge_undone", obj=record, user=user, detail=audit)
    return merge


def _give_back(merge, detail, duplicate, holders):
    """Move back to the duplicate what the merge took and no undo gave back since, from wherever it is among
    holders; note it in the later merges that carried it on. Return the ids of the records re-pointed back."""
    given = {}
    for step in merge_steps():
        if step.name in detail["moved"]:
            data = detail["moved"][step.name]
            given[step.name] = _still_ours(step.rows(data), detail, step.name)
            step.undo(data, Giveback(holders, tuple(given[step.name])))
    given[REPOINTED] = _still_ours(detail.get(REPOINTED, []), detail, REPOINTED)
    repointed = _repoint_back(given[REPOINTED], duplicate, holders)
    given[REPOINTED] = [*given[REPOINTED], duplicate.id]  # a later merge that re-pointed it has no claim now
    _note_given_back(merge, given)
    return repointed


def _still_ours(ids, detail, kind):
    """The ids a merge moved (or re-pointed) that no undo has given back since."""
    given = set(detail.get(GIVEN_BACK, {}).get(kind, []))
    return [i for i in ids if i not in given]


def _note_given_back(merge, given):
    """Note in the later merges still in force which of their rows and records this undo gave back.

    They carried them on along the chain; from now on they are the restored duplicate's, not theirs to give.
    """
    steps = {step.name: step for step in merge_steps()}
    for later in BeneficiaryMerge.select().where((BeneficiaryMerge.id > merge.id)
                                                 & BeneficiaryMerge.undone_at.is_null()):
        detail = json.loads(later.detail)
        listed = {REPOINTED: detail.get(REPOINTED, []),
                  **{name: steps[name].rows(data) for name, data in detail["moved"].items() if name in steps}}
        noted = detail.setdefault(GIVEN_BACK, {})
        changed = False
        for kind, ids in given.items():
            theirs = set(listed.get(kind, [])) & set(ids)
            if theirs - set(noted.get(kind, [])):
                noted[kind] = sorted(theirs | set(noted.get(kind, [])))
                changed = True
        if changed:
            BeneficiaryMerge.update(detail=json.dumps(detail, default=str)).where(
                BeneficiaryMerge.id == later.id).execute()


def _chain(survivor):
    """The merges (still in force) that took the survivor, then its survivor, and so on, into another record."""
    links, seen = [], {survivor.id}
    current = survivor.id
    while True:
        link = (BeneficiaryMerge.select().where((BeneficiaryMerge.duplicate == current)
                                                & BeneficiaryMerge.undone_at.is_null())
                .order_by(BeneficiaryMerge.id.desc()).first())
        if link is None or link.survivor_id in seen:
            return links
        links.append(link)
        seen.add(link.survivor_id)
        current = link.survivor_id


def _repoint_back(ids, duplicate, holders):
    """The records the merge re-pointed point at the duplicate again, where they still point into the chain."""
    back = [b.id for b in Beneficiary.select(Beneficiary.id).where(
        Beneficiary.id.in_(ids or [0]) & (Beneficiary.status == "merged") & Beneficiary.merged_into.in_(holders))]
    if back:
        Beneficiary.update(merged_into=duplicate, updated_at=utcnow()).where(Beneficiary.id.in_(back)).execute()
    return back


def _clear_filled(filled, survivor, links):
    """Clear the values the merge copied into the survivor, and down the chain where later merges copied them on.

    A value someone changed since is kept. Returns [(record, [field names])] of the records changed.
    """
    records = [survivor, *(Beneficiary.get_by_id(link.survivor_id) for link in links)]
    carried = [json.loads(link.detail).get("filled", {}) for link in links]
    cleared = {}
    for name, copied in filled.items():
        for index, record in enumerate(records):
            if index and carried[index - 1].get(name) != copied:
                break  # the next merge did not carry this value on
            if _plain(editable_values(record)[name]) != copied:
                break  # changed by someone since the merge
            setattr(record, name, None if Beneficiary._meta.fields[name].null else "")
            cleared.setdefault(index, []).append(name)
    for index, names in cleared.items():
        _save_with_keys(records[index])
    return [(records[index], names) for index, names in sorted(cleared.items())]
