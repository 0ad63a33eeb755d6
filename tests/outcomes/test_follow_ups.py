"""Follow-ups: when they are due, what a valid one is, how money converts, and merges."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from registry.outcomes import currency, queries, services
from registry.outcomes.models import FollowUp, FollowUpDue
from registry.timeutil import add_months

TODAY = date.today()


@pytest.mark.parametrize("day, months, expected", [
    (date(2026, 8, 31), 3, date(2026, 11, 30)),
    (date(2026, 8, 31), 6, date(2027, 2, 28)),
    (date(2027, 8, 31), 6, date(2028, 2, 29)),  # a leap year
    (date(2026, 8, 31), 12, date(2027, 8, 31)),
    (date(2028, 2, 29), 12, date(2029, 2, 28)),
    (date(2028, 2, 29), 3, date(2028, 5, 29)),
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2026, 11, 15), 3, date(2027, 2, 15)),
])
def test_months_after_a_day_at_month_ends_and_leap_years(day, months, expected):
    assert add_months(day, months) == expected


def test_a_completion_schedules_follow_ups_at_3_6_and_12_months(officer, completer):
    enrollment = completer(date(2026, 8, 31))
    dues = {d.window_months: d.due_on for d in FollowUpDue.select().where(FollowUpDue.enrollment == enrollment)}
    assert dues == {3: date(2026, 11, 30), 6: date(2027, 2, 28), 12: date(2027, 8, 31)}


@pytest.fixture
def signed_in(app, officer):
    """A request in which the all-provinces officer is signed in (the due list reads the user's scope)."""
    from flask_login import login_user

    with app.test_request_context():
        login_user(officer)
        yield officer


def test_the_due_list_buckets_and_a_reached_follow_up_takes_its_window_off(signed_in, officer, completer):
    enrollment = completer(add_months(TODAY, -3) + timedelta(days=3), given_name="Soon")  # 3-month due in 3 days
    late = completer(add_months(TODAY, -3) - timedelta(days=10), given_name="Late", date_of_birth=date(1980, 1, 1))
    listed = {(d.enrollment_id, d.window_months): queries.bucket_of(d.due_on) for d in queries.due_list()}
    assert listed == {(enrollment.id, 3): "week", (late.id, 3): "overdue"}
    assert [d.enrollment_id for d in queries.due_list(bucket="overdue")] == [late.id]
    services.record_follow_up(late.beneficiary, {"followed_on": TODAY, "reached": False, "method": "phone"},
                              officer, late, 3)
    still = {d.enrollment_id: d.last_tried_on for d in queries.due_list()}
    assert still == {late.id: TODAY, enrollment.id: None}  # not reached: still due, and it says when it was tried
    services.record_follow_up(late.beneficiary, {"followed_on": TODAY, "reached": True, "method": "phone",
                                                 "status": "unemployed", "monthly_income": 0}, officer, late, 3)
    assert [d.enrollment_id for d in queries.due_list()] == [enrollment.id]


def test_the_due_list_is_limited_to_the_users_provinces(app, completer, create_user):
    from flask_login import login_user

    completer(add_months(TODAY, -3), province="17")
    with app.test_request_context():
        login_user(create_user("officer", provinces={"02"}))
        assert list(queries.due_list()) == []


def test_the_default_enrollment_is_the_latest_completed_by_the_date(officer, completer, create_cohort, enroll):
    first = completer(date(2026, 3, 31))
    values = {"followed_on": date(2026, 7, 1), "reached": True, "method": "visit", "status": "wage_employed"}
    follow_up = services.record_follow_up(first.beneficiary, values, officer)
    assert follow_up.enrollment_id == first.id and follow_up.window_months == 3
    assert FollowUpDue.get((FollowUpDue.enrollment == first) & (FollowUpDue.window_months == 3)).follow_up_id == \
        follow_up.id


@pytest.mark.parametrize("followed_on, message", [
    (date(2026, 3, 30), "before the training was completed"),
    (TODAY + timedelta(days=1), "in the future"),
])
def test_bad_dates_are_refused(officer, completer, followed_on, message):
    enrollment = completer(date(2026, 3, 31))
    with pytest.raises(services.FollowUpError, match=message):
        services.record_follow_up(enrollment.beneficiary, {"followed_on": followed_on, "reached": False,
                                                           "method": "phone"}, officer, enrollment)
    assert FollowUp.select().count() == 0


def test_someone_who_never_completed_has_no_follow_up(officer, create_beneficiary):
    person = create_beneficiary()
    with pytest.raises(services.FollowUpError, match="No training completed"):
        services.record_follow_up(person, {"followed_on": TODAY, "reached": False, "method": "phone"}, officer)


def test_money_converts_at_the_rate_of_its_month(officer):
    currency.set_rate(date(2026, 3, 17), Decimal("4000"), officer)
    assert currency.to_usd(Decimal("400000"), "KHR", date(2026, 3, 2)) == Decimal("100.00")
    assert currency.to_usd(Decimal("410000"), "KHR", date(2026, 4, 2)) == Decimal("100.00")  # the default, 4100
    assert currency.to_usd(Decimal("120"), "USD", date(2026, 4, 2)) == Decimal("120")
    currency.set_rate(date(2026, 3, 1), Decimal("4050"), officer)  # changed, not doubled
    assert currency.rate_for(date(2026, 3, 31)) == Decimal("4050")


def test_the_timeline_shows_income_change_and_re_migration(officer, completer):
    enrollment = completer(date(2026, 3, 31), baseline_monthly_income=Decimal("100"), baseline_income_currency="USD",
                           registered_on=date(2026, 1, 5))
    person = enrollment.beneficiary
    services.record_follow_up(person, {"followed_on": date(2026, 7, 1), "reached": True, "method": "phone",
                                       "status": "self_employed", "monthly_income": Decimal("615000"),
                                       "currency": "KHR"}, officer)
    services.record_follow_up(person, {"followed_on": date(2026, 10, 1), "reached": True, "method": "phone",
                                       "status": "migrated_abroad", "country": "Thailand",
                                       "regular_channels": False}, officer)
    story = queries.timeline(person)
    assert story["baseline_usd"] == Decimal("100")
    assert story["points"][0].income_usd == Decimal("150.00") and story["points"][0].change == Decimal("0.5")
    assert [p.follow_up.country for p in story["remigrated"]] == ["Thailand"]


def test_a_follow_up_of_a_participant_later_merged_moves_to_the_survivor(officer, completer, create_beneficiary):
    from registry.beneficiaries import merging

    enrollment = completer(date(2026, 3, 31))
    duplicate = enrollment.beneficiary
    follow_up = services.record_follow_up(duplicate, {"followed_on": date(2026, 7, 1), "reached": True,
                                                      "method": "phone", "status": "wage_employed"}, officer)
    survivor = create_beneficiary(given_name="Chanthi")
    merge = merging.merge_beneficiaries(survivor, duplicate, officer)
    assert FollowUp.get_by_id(follow_up.id).beneficiary_id == survivor.id
    assert [p.follow_up.id for p in queries.timeline(survivor)["points"]] == [follow_up.id]
    from registry.beneficiaries.models import BeneficiaryMerge

    merging.undo_merge(BeneficiaryMerge.get_by_id(merge.id), officer)
    assert FollowUp.get_by_id(follow_up.id).beneficiary_id == duplicate.id
