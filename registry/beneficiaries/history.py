"""A participant's history: who changed what, when, from the audit log."""
import json

from registry.audit.models import AuditEvent
from registry.beneficiaries.models import Beneficiary, BeneficiaryMerge

# Views are audited too, but they are not changes: the profile lists changes only.
CHANGE_ACTIONS = ("beneficiary.create", "beneficiary.update", "beneficiary.archive", "beneficiary.restore",
                  "beneficiary.merge", "beneficiary.merged_into", "beneficiary.merge_undone",
                  "beneficiary.duplicate_override", "beneficiary.consent_given", "beneficiary.consent_withdrawn")


def profile_history(beneficiary):
    """The changes to a record, newest first, with their details decoded."""
    events = (AuditEvent.with_actors()
              .where((AuditEvent.object_type == "beneficiary") & (AuditEvent.object_id == str(beneficiary.id))
                     & AuditEvent.action.in_(CHANGE_ACTIONS))
              .order_by(AuditEvent.id.desc()))
    return [(event, json.loads(event.detail)) for event in events]


def merges_of(beneficiary):
    """The merges this record took part in, either side, and those of the records merged into it; newest first.

    A merged record's profile leads to its final survivor, so after A into B and B into C, C's profile
    lists both merges: either can be undone from there.
    """
    merged_here = Beneficiary.select(Beneficiary.id).where(Beneficiary.merged_into == beneficiary)
    return (BeneficiaryMerge.select()
            .where((BeneficiaryMerge.survivor == beneficiary) | (BeneficiaryMerge.duplicate == beneficiary)
                   | BeneficiaryMerge.survivor.in_(merged_here) | BeneficiaryMerge.duplicate.in_(merged_here))
            .order_by(BeneficiaryMerge.id.desc()))
