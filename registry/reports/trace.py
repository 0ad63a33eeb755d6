"""The trace behind "changes since submission": the audited changes to the records that can move a locked period.

A locked period keeps its figures; when the records give other figures now, an M&E officer must
be able to say why before the donor asks. The audit log already holds every change with who,
when and why. This module picks out of it the changes made after the submission that can move
that period's figures: records of the period added late (an enrollment, a status change or a
follow-up dated in it), follow-ups of the period corrected or deleted, merges and their undoing,
changes to a person's counted values (sex, birth, place, category, disability, baseline), scores,
and exchange rates. Each is shown with the participant's code only: the page is a manager's too.
"""
import json
from dataclasses import dataclass
from datetime import date, datetime

from registry.audit.models import AuditEvent
from registry.beneficiaries.models import Beneficiary
from registry.i18n import N_
from registry.outcomes.models import FollowUp
from registry.programs.models import Enrollment

# The audited actions that can move an indicator, and what the page calls them.
TRACED = {
    "enrollment.create": N_("Enrolled or put on a waitlist"),
    "enrollment.status": N_("Enrollment status changed"),
    "enrollment.assessment": N_("Scores or assessment changed"),
    "follow_up.create": N_("Follow-up recorded"),
    "follow_up.update": N_("Follow-up corrected"),
    "follow_up.delete": N_("Follow-up deleted"),
    "beneficiary.merge": N_("Records merged"),
    "beneficiary.merge_undone": N_("Merge undone"),
    "beneficiary.update": N_("Participant's details changed"),
    "exchange_rate.set": N_("Exchange rate changed"),
    "exchange_rate.default": N_("Exchange rate changed"),
    "data.corrected": N_("Stored records corrected by an upgrade"),  # registry.audit.migration_note
}
# The participant fields the indicators read: a change to any other one moves no figure.
COUNTED_FIELDS = {"sex", "date_of_birth", "birth_year", "province", "category", "disability",
                  "baseline_monthly_income", "baseline_income_currency", "registered_on"}
SHOWN = 200  # events on the page, newest first
BATCH = 500  # events read at a time while looking for those of the period and scope


@dataclass
class TracedChange:
    """One audited change since the submission, as the page shows it."""

    at: datetime
    username: str
    action: str
    label: str
    code: str  # the participant's registry code, "" when the change is not about one person
    reason: str


def traced_changes(submitted_at, period, provinces, limit=SHOWN):
    """(changes, more): the audited changes after `submitted_at` that can move the period's figures.

    Newest first, at most `limit`; `more` tells whether there are others. Changes about a person
    outside `provinces` (None: all) are left out; exchange rates concern everyone.
    """
    query = (AuditEvent.select(AuditEvent.id, AuditEvent.at, AuditEvent.username, AuditEvent.action,
                               AuditEvent.object_type, AuditEvent.object_id, AuditEvent.detail)
             .where((AuditEvent.at > submitted_at) & AuditEvent.action.in_(list(TRACED)))
             .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    found, page = [], 1
    while True:
        events = list(query.paginate(page, BATCH))
        people = _people_of(events)
        for event in events:
            detail = _detail(event)
            person = people.get((event.object_type, event.object_id))
            if _in_scope(person, provinces, event) and _moves(event, detail, period):
                if len(found) == limit:
                    return found, True
                found.append(TracedChange(event.at, event.username, event.action, TRACED[event.action],
                                          person.code if person else "", _reason(detail)))
        if len(events) < BATCH:
            return found, False
        page += 1


def _detail(event):
    try:
        detail = json.loads(event.detail or "{}")
    except ValueError:
        return {}
    return detail if isinstance(detail, dict) else {}


def _people_of(events):
    """{(object type, object id): the participant} for a batch of events, in two queries."""
    ids = {"beneficiary": set(), "enrollment": set()}
    for event in events:
        if event.object_type in ids and event.object_id.isdigit():
            ids[event.object_type].add(int(event.object_id))
    people = {("beneficiary", str(b.id)): b for b in Beneficiary.select(
        Beneficiary.id, Beneficiary.code, Beneficiary.province).where(Beneficiary.id.in_(ids["beneficiary"] or [0]))}
    for e in (Enrollment.select(Enrollment.id, Beneficiary.id, Beneficiary.code, Beneficiary.province)
              .join(Beneficiary).where(Enrollment.id.in_(ids["enrollment"] or [0]))):
        people[("enrollment", str(e.id))] = e.beneficiary
    return people


def _in_scope(person, provinces, event):
    if person is None:
        return event.object_type not in ("beneficiary", "enrollment")  # a rate: everyone's; a person gone: no one's
    return provinces is None or person.province_id in provinces


def _moves(event, detail, period):
    """Whether an event can move the period's figures: a dated record of the period, or a change of every period."""
    action = event.action
    if action in ("enrollment.create", "enrollment.status", "follow_up.create"):
        return _within(detail.get("on"), period)
    if action == "follow_up.update":
        dates = (detail.get("changes") or {}).get("followed_on") or [_follow_up_day(detail.get("follow_up"))]
        return any(_within(day, period) for day in dates)
    if action == "follow_up.delete":
        return _within((detail.get("follow_up_said") or {}).get("followed_on"), period)
    if action == "beneficiary.update":
        return bool(COUNTED_FIELDS & set(detail))
    return True  # merges, undos, scores and rates can move any period


def _within(day, period):
    """Whether an ISO date (or a date) falls in the period; an unreadable one is kept, to be safe."""
    try:
        day = day if isinstance(day, date) else date.fromisoformat(str(day)[:10])
    except ValueError:
        return True
    return period.start <= day <= period.end


def _follow_up_day(follow_up_id):
    follow_up = FollowUp.get_or_none(FollowUp.id == follow_up_id)
    return follow_up.followed_on if follow_up else None


def _reason(detail):
    """The reason the change gave, when it gave one (a correction, a deletion, leaving, an override)."""
    return str(detail.get("reason") or detail.get("override") or "")
