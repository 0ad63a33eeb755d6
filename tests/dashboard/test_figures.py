"""The dashboard's figures on the small registry of conftest.py: people, not records, within the user's scope."""
from datetime import date

import pytest

from registry.dashboard.counts import follow_up_counts, in_training, people_by_province
from registry.dashboard.series import (attendance_by_cohort, employment_at_six_months, last_months,
                                       monthly_flow)
from registry.dashboard.sql import Scope
from registry.reports.indicators import indicator_report
from registry.reports.periods import Period
from tests.dashboard.conftest import SINCE, TODAY

EVERYWHERE = Scope()
BATTAMBANG = Scope(provinces=frozenset({"02"}))
SIEM_REAP = Scope(provinces=frozenset({"17"}))
ELSEWHERE = Scope(provinces=frozenset({"25"}))
NOWHERE = Scope(provinces=frozenset())


def flow_by_month(flow):
    """{(year, month): (enrolled, completed)} of the months with anyone in them."""
    return {(m.first_day.year, m.first_day.month): (m.enrolled, m.completed) for m in flow.months
            if m.enrolled or m.completed}


def test_the_last_12_months_end_with_this_one():
    months = last_months(date(2026, 6, 15))
    assert months[0] == date(2025, 7, 1) and months[-1] == date(2026, 6, 1) and len(months) == 12
    assert last_months(date(2026, 1, 31), 2) == [date(2025, 12, 1), date(2026, 1, 1)]


def test_people_by_province_leave_merged_records_out(world, app_ctx):
    found = {p.code: p.people for p in people_by_province(EVERYWHERE)}
    assert found == {"02": 3, "17": 2}  # Fay and Gus were merged
    battambang = people_by_province(BATTAMBANG)
    assert [(p.code, p.name_en, p.name_km, p.people) for p in battambang] == [("02", "Battambang", "បាត់ដំបង", 3)]


def test_in_training_counts_seated_people_of_cohorts_running_today(world, app_ctx):
    assert in_training(EVERYWHERE, TODAY) == 2  # Ana and Bo; Chea waits; Motorbike ended
    assert in_training(EVERYWHERE, date(2026, 8, 1)) == 0  # after Sewing's end
    # Statuses are today's: of Motorbike only Gus's enrollment is still open, and it counts as Dara's.
    assert in_training(EVERYWHERE, date(2025, 10, 1)) == 1


def test_monthly_flow_counts_people_once_a_month_and_once_over_the_months(world, app_ctx):
    flow = monthly_flow(EVERYWHERE, TODAY)
    assert [m.first_day for m in flow.months] == last_months(TODAY)
    # Chea, on the waitlist, is not enrolled (docs/domain.md#waitlists).
    assert flow_by_month(flow) == {(2025, 9): (2, 0), (2025, 12): (0, 2), (2026, 5): (2, 0)}
    assert (flow.enrolled, flow.completed) == (4, 2)  # Gus is Dara


def test_follow_up_counts_take_each_persons_latest_follow_up_that_reached_them(world, app_ctx):
    assert follow_up_counts(EVERYWHERE, SINCE, TODAY) == (1, 1)  # Dara, self-employed since May
    assert follow_up_counts(EVERYWHERE, SINCE, date(2026, 3, 31)) == (1, 1)  # Dara, wage job since January
    assert follow_up_counts(EVERYWHERE, date(2026, 4, 1), date(2026, 6, 9)) == (0, 0)  # Eng was not reached


def test_a_job_older_than_the_training_is_not_new_employment(world, app_ctx):
    from registry.auth.models import User
    from registry.programs.models import Enrollment
    from tests.dashboard.conftest import follow_up

    eng = Enrollment.get(Enrollment.beneficiary == world.people["Eng"].id)
    follow_up(world.people["Eng"], eng, date(2026, 6, 14), 6, User.get(User.username == "registrar"),
              status="wage_employed", job_started_on=date(2025, 1, 1))
    assert follow_up_counts(EVERYWHERE, SINCE, TODAY) == (2, 1)


def test_the_counts_are_the_indicator_reports_figures(world, app_ctx):
    """Enrolled, completed, followed up and employed are CUSTOM-1, CUSTOM-2 and EG.6-12 over the same period."""
    for scope, provinces in ((EVERYWHERE, None), (BATTAMBANG, {"02"}), (SIEM_REAP, {"17"})):
        report = {r["code"]: r for r in indicator_report(Period(SINCE, TODAY, "test"),
                                                         provinces=provinces)["indicators"]}
        flow = monthly_flow(scope, TODAY)
        assert flow.enrolled == report["CUSTOM-1"]["numerator"]
        assert flow.completed == report["CUSTOM-2"]["numerator"]
        followed_up, employed = follow_up_counts(scope, SINCE, TODAY)
        assert (followed_up, employed) == (report["EG.6-12"]["denominator"], report["EG.6-12"]["numerator"])


def test_attendance_pools_the_sessions_held_while_each_person_was_enrolled(world, app_ctx):
    rates, total = attendance_by_cohort(EVERYWHERE, TODAY)
    assert total == 1 and [r.name for r in rates] == ["Sewing Battambang"]  # Motorbike ended too long ago
    sewing = rates[0]
    assert (sewing.held, sewing.attended, sewing.marked) == (6, 4, 5)  # Chea, waitlisted, is left out
    assert sewing.rate == pytest.approx(4 / 6) and sewing.unrecorded == pytest.approx(1 / 6)
    assert sewing.min_attendance == pytest.approx(0.8)
    assert attendance_by_cohort(EVERYWHERE, date(2026, 1, 15))[0][0].name == "Motorbike Siem Reap"


def test_attendance_shows_the_cohorts_that_started_last(world, app_ctx, create_cohort):
    for n in range(3):
        create_cohort(name=f"Later {n}", province="02", start_on=date(2026, 6, 1 + n), end_on=date(2026, 9, 30))
    rates, total = attendance_by_cohort(EVERYWHERE, TODAY, limit=2)
    assert total == 4 and sorted(r.name for r in rates) == ["Later 1", "Later 2"]
    assert all(r.rate is None and r.held == 0 for r in rates)  # nothing held yet


def test_employment_at_six_months_takes_the_latest_follow_up_that_reached_each_person(world, app_ctx):
    programs = employment_at_six_months(EVERYWHERE, SINCE, TODAY)
    assert [(p.name, p.people, p.total) for p in programs] == [
        ("Motorbike", {"self_employed": 1, "not_reached": 1}, 2)]
    assert employment_at_six_months(EVERYWHERE, SINCE, date(2026, 6, 9))[0].people == {"not_reached": 1}


def test_an_officer_of_another_province_sees_nothing(world, app_ctx):
    for scope in (ELSEWHERE, NOWHERE):
        assert people_by_province(scope) == []
        assert in_training(scope, TODAY) == 0
        flow = monthly_flow(scope, TODAY)
        assert flow_by_month(flow) == {} and (flow.enrolled, flow.completed) == (0, 0)
        assert follow_up_counts(scope, SINCE, TODAY) == (0, 0)
        assert attendance_by_cohort(scope, TODAY) == ([], 0)
        assert employment_at_six_months(scope, SINCE, TODAY) == []


def test_a_province_sees_its_own_people_and_cohorts(world, app_ctx):
    assert in_training(BATTAMBANG, TODAY) == 2 and in_training(SIEM_REAP, TODAY) == 0
    assert flow_by_month(monthly_flow(SIEM_REAP, TODAY)) == {(2025, 9): (2, 0), (2025, 12): (0, 2)}
    assert follow_up_counts(BATTAMBANG, SINCE, TODAY) == (0, 0)
    assert [r.name for r in attendance_by_cohort(BATTAMBANG, TODAY)[0]] == ["Sewing Battambang"]
    assert attendance_by_cohort(SIEM_REAP, TODAY) == ([], 0)


def test_a_trainer_sees_only_their_cohorts(world, app_ctx, create_user):
    mine = Scope(trainer_id=world.trainer.id)
    assert [r.name for r in attendance_by_cohort(mine, TODAY)[0]] == ["Sewing Battambang"]
    assert flow_by_month(monthly_flow(mine, TODAY)) == {(2026, 5): (2, 0)}  # Chea waits
    assert in_training(mine, TODAY) == 2
    assert [p.code for p in people_by_province(mine)] == ["02"]
    idle = Scope(trainer_id=create_user("trainer").id)
    assert attendance_by_cohort(idle, TODAY) == ([], 0)
    assert monthly_flow(idle, TODAY).enrolled == 0 and people_by_province(idle) == []
