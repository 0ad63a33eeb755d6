"""Follow-ups can be corrected and deleted: with a reason, audited, a deleted one counted nowhere (domain functions)."""
import json
from datetime import date
from decimal import Decimal

import pytest

from registry.audit.models import AuditEvent
from registry.outcomes import queries, services
from registry.outcomes.models import FollowUp

COMPLETED = date(2025, 3, 31)
JOB = {"followed_on": date(2025, 7, 1), "reached": True, "method": "phone", "status": "wage_employed",
       "job_started_on": date(2025, 5, 2), "employer": "Garment Co", "monthly_income": Decimal("250"),
       "currency": "USD"}


@pytest.fixture
def recorded(officer, completer):
    """A wage job recorded at 3 months (the follow-up, fresh from the database)."""
    enrollment = completer(COMPLETED, baseline_monthly_income=Decimal("100"), baseline_income_currency="USD")
    follow_up = services.record_follow_up(enrollment.beneficiary, JOB, officer, enrollment, 3)
    return FollowUp.get_by_id(follow_up.id)


def last_event(action):
    event = AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id.desc()).get()
    return event, json.loads(event.detail)


def test_a_correction_stores_the_new_values_and_audits_each_change_with_the_reason(officer, recorded):
    changes = services.update_follow_up(recorded, {**JOB, "monthly_income": Decimal("180"), "employer": ""},
                                        officer, "  Misheard the income  ", recorded.enrollment, 3)
    assert changes == {"monthly_income": [Decimal("250"), Decimal("180")], "employer": ["Garment Co", ""]}
    stored = FollowUp.get_by_id(recorded.id)
    assert (stored.monthly_income, stored.employer, stored.updated_by_id) == (Decimal("180"), "", officer.id)
    assert stored.updated_at is not None and stored.recorded_by_id == officer.id
    event, detail = last_event("follow_up.update")
    assert event.object_type == "beneficiary" and event.object_id == str(recorded.beneficiary_id)
    assert detail == {"follow_up": recorded.id, "reason": "Misheard the income",
                      "changes": {"monthly_income": ["250", "180"], "employer": ["Garment Co", ""]}}


def test_a_correction_to_someone_not_reached_clears_the_job(officer, recorded):
    services.update_follow_up(recorded, {"followed_on": JOB["followed_on"], "reached": False, "method": "phone"},
                              officer, "Spoke to a neighbour, not to her", recorded.enrollment, 3)
    stored = FollowUp.get_by_id(recorded.id)
    assert (stored.reached, stored.status, stored.job_started_on, stored.employer, stored.monthly_income,
            stored.currency) == (False, None, None, "", None, None)
    _event, detail = last_event("follow_up.update")
    assert detail["changes"]["status"] == ["wage_employed", None] and detail["changes"]["reached"] == [True, False]


def test_the_same_values_again_change_nothing_and_write_nothing(officer, recorded):
    events = AuditEvent.select().count()
    assert services.update_follow_up(recorded, dict(JOB), officer, "Checked", recorded.enrollment, 3) == {}
    assert AuditEvent.select().count() == events and FollowUp.get_by_id(recorded.id).updated_at is None


@pytest.mark.parametrize("values, field, message", [
    ({"followed_on": date(2025, 3, 1)}, "followed_on", "before the training was completed"),
    ({"job_before_training": True}, "job_started_on", "correct the date or the choice"),
])
def test_a_correction_follows_the_rules_of_recording(officer, recorded, values, field, message):
    with pytest.raises(services.FollowUpError, match=message) as refused:
        services.update_follow_up(recorded, {**JOB, **values}, officer, "Fix", recorded.enrollment, 3)
    assert refused.value.field == field
    assert FollowUp.get_by_id(recorded.id).updated_at is None


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_correction_or_a_deletion_needs_a_reason(officer, recorded, reason):
    with pytest.raises(services.FollowUpError, match="Say why") as refused:
        services.update_follow_up(recorded, {**JOB, "employer": "Other"}, officer, reason, recorded.enrollment, 3)
    assert refused.value.field == "reason"
    with pytest.raises(services.FollowUpError, match="Say why"):
        services.delete_follow_up(recorded, officer, reason)
    assert FollowUp.live().count() == 1


def test_a_job_started_before_the_training_is_stored_and_cannot_contradict_its_date(officer, completer):
    enrollment = completer(COMPLETED)  # enrolled 30 days before completion
    before = services.record_follow_up(enrollment.beneficiary, {**JOB, "job_started_on": None,
                                                                "job_before_training": True}, officer, enrollment)
    assert FollowUp.get_by_id(before.id).job_before_training is True
    dated = services.record_follow_up(enrollment.beneficiary, {**JOB, "job_started_on": date(2024, 1, 1),
                                                               "job_before_training": True}, officer, enrollment)
    assert FollowUp.get_by_id(dated.id).job_started_on == date(2024, 1, 1)
    with pytest.raises(services.FollowUpError, match="not before the training") as refused:
        services.record_follow_up(enrollment.beneficiary, {**JOB, "job_started_on": enrollment.enrolled_on,
                                                           "job_before_training": True}, officer, enrollment)
    assert refused.value.field == "job_started_on"


def test_a_deleted_follow_up_is_kept_with_when_who_and_why_and_audited_with_what_it_said(officer, recorded):
    services.delete_follow_up(recorded, officer, "Recorded for the wrong person")
    stored = FollowUp.get_by_id(recorded.id)
    assert stored.deleted_at is not None and stored.deleted_by_id == officer.id
    assert stored.delete_reason == "Recorded for the wrong person"
    assert FollowUp.live().where(FollowUp.id == recorded.id).count() == 0
    event, detail = last_event("follow_up.delete")
    assert event.object_id == str(recorded.beneficiary_id)
    assert detail["reason"] == "Recorded for the wrong person" and detail["follow_up"] == recorded.id
    assert detail["follow_up_said"]["employer"] == "Garment Co" and detail["follow_up_said"]["monthly_income"] == "250"


def test_deleting_twice_or_correcting_a_deleted_follow_up_is_refused(officer, recorded):
    services.delete_follow_up(recorded, officer, "Duplicate")
    events = AuditEvent.select().count()
    with pytest.raises(services.FollowUpError, match="has been deleted"):
        services.delete_follow_up(recorded, officer, "Duplicate, again")
    with pytest.raises(services.FollowUpError, match="has been deleted"):
        services.update_follow_up(recorded, {**JOB, "employer": "Other"}, officer, "Fix", recorded.enrollment, 3)
    assert AuditEvent.select().count() == events
    assert FollowUp.get_by_id(recorded.id).delete_reason == "Duplicate"


def test_the_timeline_shows_live_follow_ups_and_deleted_ones_apart(officer, recorded):
    later = services.record_follow_up(recorded.beneficiary, {**JOB, "followed_on": date(2025, 10, 1),
                                                             "monthly_income": Decimal("300")},
                                      officer, recorded.enrollment, 6)
    services.delete_follow_up(recorded, officer, "Wrong person")
    story = queries.timeline(recorded.beneficiary)
    assert [p.follow_up.id for p in story["points"]] == [later.id]
    assert story["points"][0].change == Decimal("2")  # 100 → 300 USD
    assert [f.id for f in story["deleted"]] == [recorded.id]
    assert story["deleted"][0].deleted_by.username == officer.username


def test_deleted_follow_ups_count_nowhere_in_python_reads(officer, recorded):
    services.delete_follow_up(recorded, officer, "Wrong person")
    assert FollowUp.live().count() == 0
    assert queries.timeline(recorded.beneficiary)["employed"] == []
    assert queries.timeline(recorded.beneficiary)["remigrated"] == []
