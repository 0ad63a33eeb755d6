"""Merge chains flattened: every merged record points at its final survivor, a record that is not itself merged.

Before this migration, merging B (into which A had been merged) into C left A pointing at B, and the
reports and the dashboard, which follow merged_into one step, counted A and C as two people. The
merge now re-points A to C and keeps A's id in the merge's detail ("repointed"), so that undoing
it puts A back; this migration does the same to the chains already in the data.

It goes round by round, each round reading the pointers as they stood at its start: a record that
points at a merged record takes that record's own pointer, and its id is written into the merge
that made that record merged (the latest merge in force with it as the duplicate), which is where
the merge itself would have written it. A chain of n merges is flat after n - 1 rounds, and each
merge ends up with the same list as if it had been made after this change.

down() leaves the data as it is: flat pointers are what the code before this change reads right too,
and it ignores the "repointed" lists.
"""
import json

from peewee import CharField, DateTimeField, IntegerField, Model, TextField

from registry.audit.migration_note import note_correction

MAX_ROUNDS = 1000  # a chain can be no longer than the merges made; a loop (never made by the app) stops here


def up(migrator, db):
    beneficiary, merge = _frozen_models(db)
    repointed = set()
    for _round in range(MAX_ROUNDS):
        links = _links(beneficiary)
        if not links:
            if repointed:  # these records counted twice in past figures: the audit log says why they move
                note_correction(db, "0017_merge_chains", {
                    "repointed": len(repointed), "records": sorted(repointed)[:1000],
                    "why": "a record merged into a record later merged into a third now counts as that third "
                           "record, its final survivor, instead of as a second person"})
            return
        for via, (target, ids) in links.items():
            beneficiary.update(merged_into_id=target).where(beneficiary.id.in_(ids)).execute()
            _record(merge, via, ids)
            repointed.update(ids)
    raise RuntimeError("Merged records point at each other in a loop: fix merged_into by hand, then migrate.")


def _frozen_models(db):
    """The participant and merge tables as this migration knows them."""

    class Beneficiary(Model):
        status = CharField(max_length=10)
        merged_into_id = IntegerField(null=True)

        class Meta:
            database = db
            table_name = "beneficiary"

    class BeneficiaryMerge(Model):
        duplicate_id = IntegerField()
        detail = TextField()
        undone_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "beneficiary_merge"

    return Beneficiary, BeneficiaryMerge


def _links(beneficiary):
    """{merged record pointed at: (its own pointer, [ids of the merged records pointing at it])} as they stand."""
    pointer = beneficiary.alias("via")
    query = (beneficiary.select(beneficiary.id, pointer.id, pointer.merged_into_id)
             .join(pointer, on=(pointer.id == beneficiary.merged_into_id))
             .where((beneficiary.status == "merged") & (pointer.status == "merged")
                    & pointer.merged_into_id.is_null(False) & (pointer.merged_into_id != beneficiary.id))
             .order_by(pointer.id, beneficiary.id))
    links = {}
    for record_id, via, target in query.tuples():
        links.setdefault(via, (target, []))[1].append(record_id)
    return links


def _record(merge, via, ids):
    """Add the re-pointed ids to the merge in force that made `via` merged, where an undo reads them."""
    made = (merge.select().where((merge.duplicate_id == via) & merge.undone_at.is_null())
            .order_by(merge.id.desc()).first())
    if made is None:
        return  # merged by hand, with no merge to undo: the pointer is flattened all the same
    detail = json.loads(made.detail or "{}")
    detail["repointed"] = sorted(set(detail.get("repointed", [])) | set(ids))
    merge.update(detail=json.dumps(detail, default=str)).where(merge.id == made.id).execute()


def down(migrator, db):
    pass
