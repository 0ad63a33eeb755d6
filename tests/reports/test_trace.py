"""The trace behind "changes since submission": which audited changes can move a locked period, and who sees them."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from registry.beneficiaries import merging
from registry.outcomes import services as outcomes
from registry.reports.periods import fiscal_quarter
from registry.reports.trace import traced_changes
from registry.timeutil import utcnow

Q1 = fiscal_quarter(2026, 1, 10)  # 1 October to 31 December 2025


@pytest.fixture
def graduate(person, enrolled):
    """A person of province 02 who completed in the quarter and was followed up in it, employed."""
    enrollment = enrolled(person(1, province="02"), date(2025, 8, 1), completed_on=date(2025, 10, 20))
    return enrollment


def _actions(changes):
    return [(c.action, c.code, c.reason) for c in changes]


def test_only_changes_after_the_submission_that_can_move_the_period_are_traced(
        app_ctx, officer, person, enrolled, followed, graduate):
    before = followed(graduate, date(2025, 11, 5), job_started_on=date(2025, 11, 1), monthly_income=Decimal(200),
                      currency="USD")
    submitted_at = utcnow()
    code = graduate.beneficiary.code
    outcomes.delete_follow_up(before, officer, "the wrong person was called")
    followed(graduate, date(2026, 2, 1), job_started_on=date(2025, 11, 1))  # next quarter: not this period's
    late = enrolled(person(2, province="02"), date(2025, 12, 1))  # a late record of the quarter
    changes, more = traced_changes(submitted_at, Q1, None)
    assert not more
    assert _actions(changes) == [("enrollment.create", late.beneficiary.code, ""),
                                 ("follow_up.delete", code, "the wrong person was called")]
    assert traced_changes(utcnow(), Q1, None) == ([], False)


def test_a_correction_is_traced_when_the_follow_up_was_or_becomes_the_periods(
        app_ctx, officer, followed, graduate):
    follow_up = followed(graduate, date(2026, 1, 15), job_started_on=date(2025, 11, 1))
    submitted_at = utcnow()
    values = {"followed_on": date(2025, 12, 20), "reached": True, "method": "phone", "status": "unemployed",
              "monthly_income": Decimal(0)}
    outcomes.update_follow_up(follow_up, values, officer, "the date was typed wrong", graduate)
    assert _actions(traced_changes(submitted_at, Q1, None)[0]) == [
        ("follow_up.update", graduate.beneficiary.code, "the date was typed wrong")]
    after = utcnow()
    outcomes.update_follow_up(follow_up, {**values, "monthly_income": Decimal(10), "currency": "USD"}, officer,
                              "income heard wrong", graduate)
    assert len(traced_changes(after, Q1, None)[0]) == 1  # its date, unchanged, is in the period


def test_merges_and_counted_details_are_traced_and_other_details_are_not(app_ctx, officer, person, graduate):
    from registry.beneficiaries.services import update_beneficiary

    submitted_at = utcnow()
    other = person(3, province="02")
    merging.merge_beneficiaries(graduate.beneficiary, other, officer)
    update_beneficiary(other.__class__.get_by_id(graduate.beneficiary.id), {"village": "Kouk Chen"}, officer)
    changes = traced_changes(submitted_at, Q1, None)[0]
    assert [c.action for c in changes] == ["beneficiary.merge"]
    update_beneficiary(other.__class__.get_by_id(graduate.beneficiary.id), {"sex": "male"}, officer)
    assert [c.action for c in traced_changes(submitted_at, Q1, None)[0]][0] == "beneficiary.update"


def test_a_scoped_user_sees_the_changes_of_their_provinces_only(app_ctx, officer, person, enrolled):
    submitted_at = utcnow()
    enrolled(person(1, province="02"), date(2025, 12, 1))
    theirs = enrolled(person(2, province="17"), date(2025, 12, 1))
    assert len(traced_changes(submitted_at, Q1, None)[0]) == 2
    assert [c.code for c in traced_changes(submitted_at, Q1, {"17"})[0]] == [theirs.beneficiary.code]


def test_at_most_the_latest_are_shown(app_ctx, officer, person, enrolled):
    submitted_at = utcnow() - timedelta(seconds=1)
    for n in range(1, 4):
        enrolled(person(n), date(2025, 12, n))
    changes, more = traced_changes(submitted_at, Q1, None, limit=2)
    assert more and len(changes) == 2


def test_a_migration_that_corrected_stored_data_is_traced_for_everyone(app_ctx):
    from registry.audit.migration_note import note_correction
    from registry.db import database

    submitted_at = utcnow()
    note_correction(database.obj, "0016_waitlist", {"never_admitted": 3, "why": "waitlists"})
    for provinces in (None, {"17"}):
        [change] = traced_changes(submitted_at, Q1, provinces)[0]
        assert (change.action, change.username, change.code) == ("data.corrected", "migration:0016_waitlist", "")
