"""Every indicator, worked by hand against the rules of docs/domain.md#indicator-rules."""
from datetime import date
from decimal import Decimal

import pytest

from registry.beneficiaries import merging
from registry.outcomes import currency
from tests.reports.conftest import results

Q1 = (date(2025, 10, 1), date(2025, 12, 31))  # FY2026 Q1
Q2 = (date(2026, 1, 1), date(2026, 3, 31))
FY = (date(2025, 10, 1), date(2026, 9, 30))


def by(result, dimension):
    """{category: (numerator, denominator)} of one disaggregation."""
    return {d["category"]: (d["numerator"], d["denominator"]) for d in result["disaggregations"] if d["by"] == dimension}


def test_a_person_in_two_cohorts_counts_once(person, enrolled, create_cohort):
    other = create_cohort(name="Second", start_on=date(2025, 1, 1), end_on=date(2026, 12, 31))
    someone = person(1)
    enrolled(someone, date(2025, 10, 5))
    enrolled(someone, date(2025, 11, 5), cohort=other)
    assert results(*Q1)["CUSTOM-1"]["numerator"] == 1
    assert results(*Q1)["CUSTOM-1"]["value"] == 1 and results(*Q1)["CUSTOM-1"]["denominator"] is None


def test_a_fiscal_year_is_not_the_sum_of_its_quarters(person, enrolled, create_cohort):
    other = create_cohort(name="Second", start_on=date(2025, 1, 1), end_on=date(2026, 12, 31))
    someone = person(1)
    enrolled(someone, date(2025, 10, 5))
    enrolled(someone, date(2026, 2, 5), cohort=other)
    quarters = results(*Q1)["CUSTOM-1"]["numerator"] + results(*Q2)["CUSTOM-1"]["numerator"]
    assert (quarters, results(*FY)["CUSTOM-1"]["numerator"]) == (2, 1)


def test_completion_rate_counts_people_whose_enrollment_ended(person, enrolled):
    enrolled(person(1), date(2025, 10, 1), completed_on=date(2025, 11, 1))
    enrolled(person(2), date(2025, 10, 1), ended=("dropped_out", date(2025, 11, 2)))
    enrolled(person(3), date(2025, 10, 1), ended=("withdrawn", date(2026, 1, 5)))  # next quarter
    enrolled(person(4), date(2025, 10, 1))  # still open
    rate = results(*Q1)["EG.6-14"]
    assert (rate["numerator"], rate["denominator"], rate["value"]) == (1, 2, 0.5)
    assert results(*Q1)["CUSTOM-2"]["numerator"] == 1


def test_age_is_taken_on_the_enrollment_date_with_an_estimated_birth_year(person, enrolled):
    enrolled(person(1, born=date(2006, 10, 6)), date(2025, 10, 5))  # 18 on that day, 19 the day after
    enrolled(person(2, born=None, birth_year=1996), date(2025, 10, 5))  # 1 July 1996: 29
    enrolled(person(3, born=None, birth_year=None), date(2025, 10, 5))
    enrolled(person(4, born=date(1995, 10, 5)), date(2025, 10, 5))  # 30 on the day
    result = results(*Q1)
    assert by(result["CUSTOM-1"], "age_band") == {"15-19": (1, None), "25-29": (1, None), "unknown": (1, None),
                                                   "30+": (1, None)}
    youth = result["YOUTH-3"]
    assert (youth["numerator"], youth["denominator"], youth["value"]) == (2, 4, 0.5)


def test_female_share(person, enrolled):
    enrolled(person(1, sex="female"), date(2025, 10, 5))
    enrolled(person(2, sex="male"), date(2025, 10, 5))
    enrolled(person(3, sex="other"), date(2025, 10, 5))
    gndr = results(*Q1)["GNDR-2"]
    assert (gndr["numerator"], gndr["denominator"], gndr["value"]) == (1, 3, 0.3333)
    assert by(gndr, "sex") == {"female": (1, 1), "male": (0, 1), "other": (0, 1)}


@pytest.mark.parametrize("completed, followed_on, counted", [
    (date(2025, 3, 31), date(2026, 3, 31), True),   # the same day a year later is inside
    (date(2025, 3, 30), date(2026, 3, 31), False),  # a day past the window
    (date(2024, 2, 29), date(2025, 2, 28), True),   # from 29 February, 28 February
    (date(2024, 2, 29), date(2025, 3, 1), False),
])
def test_the_12_month_window_edges(person, enrolled, followed, create_cohort, completed, followed_on, counted):
    cohort = create_cohort(name="Old", start_on=date(2024, 1, 1), end_on=date(2025, 12, 31))
    enrollment = enrolled(person(1), date(2024, 1, 10), cohort=cohort, completed_on=completed)
    followed(enrollment, followed_on, job_started_on=date(2024, 6, 1))
    result = results(date(2025, 1, 1), date(2026, 12, 31))["EG.6-12"]
    assert result["denominator"] == (1 if counted else 0)


def test_the_latest_follow_up_in_the_period_wins(person, enrolled, followed):
    enrollment = enrolled(person(1), date(2025, 10, 1), completed_on=date(2025, 11, 1))
    followed(enrollment, date(2026, 1, 10), status="wage_employed", job_started_on=date(2025, 12, 1))
    followed(enrollment, date(2026, 3, 10), status="in_training_or_education")
    q2 = results(*Q2)
    assert (q2["EG.6-12"]["numerator"], q2["EG.6-12"]["denominator"]) == (0, 1)
    assert q2["EG.6-15"]["numerator"] == 1


def test_new_employment_needs_a_start_on_or_after_enrolling(person, enrolled, followed):
    older = enrolled(person(1), date(2025, 10, 1), completed_on=date(2025, 11, 1))
    followed(older, date(2026, 1, 10), job_started_on=date(2025, 9, 1))  # the job came before the training
    newer = enrolled(person(2), date(2025, 10, 1), completed_on=date(2025, 11, 1))
    followed(newer, date(2026, 1, 10), job_started_on=date(2025, 10, 1))
    nostart = enrolled(person(3), date(2025, 10, 1), completed_on=date(2025, 11, 1))
    followed(nostart, date(2026, 1, 10))
    result = results(*Q2)["EG.6-12"]
    assert (result["numerator"], result["denominator"]) == (1, 3)


def test_earnings_change_in_usd_at_each_months_rate(officer, person, enrolled, followed):
    currency.set_rate(date(2025, 9, 1), Decimal("4000"), officer)
    currency.set_rate(date(2026, 1, 1), Decimal("4000"), officer)
    a = enrolled(person(1, baseline_monthly_income=Decimal("400000"), baseline_income_currency="KHR",
                        registered_on=date(2025, 9, 15)), date(2025, 10, 1), completed_on=date(2025, 11, 1))
    followed(a, date(2026, 1, 10), monthly_income=Decimal("150"), currency="USD")  # 100 -> 150: +0.5
    b = enrolled(person(2, baseline_monthly_income=Decimal("100"), baseline_income_currency="USD",
                        registered_on=date(2025, 9, 15)), date(2025, 10, 1), completed_on=date(2025, 11, 1))
    followed(b, date(2026, 1, 10), monthly_income=Decimal("0"), currency="USD")  # zero counts: -1
    c = enrolled(person(3, baseline_monthly_income=Decimal("0"), baseline_income_currency="USD",
                        registered_on=date(2025, 9, 15)), date(2025, 10, 1), completed_on=date(2025, 11, 1))
    followed(c, date(2026, 1, 10), monthly_income=Decimal("400000"), currency="KHR")  # no baseline: beside
    result = results(*Q2)["EG.6-11"]
    assert (result["numerator"], result["denominator"], result["value"]) == (-0.5, 2, -0.25)
    assert result["notes"]["no_baseline_now_earning"] == 1


def test_soft_skills_improved(person, enrolled):
    enrolled(person(1), date(2025, 10, 1), completed_on=date(2025, 12, 1), pre=40, post=60)
    enrolled(person(2), date(2025, 10, 1), completed_on=date(2025, 12, 1), pre=50, post=50)
    enrolled(person(3), date(2025, 10, 1), completed_on=date(2025, 12, 1))  # no scores: not counted
    result = results(*Q1)["EG.6-13"]
    assert (result["numerator"], result["denominator"]) == (1, 2)


def test_irregular_remigration_is_a_count(person, enrolled, followed):
    a = enrolled(person(1), date(2025, 10, 1), completed_on=date(2025, 11, 1))
    followed(a, date(2026, 1, 10), status="migrated_abroad", country="Thailand", regular_channels=False)
    b = enrolled(person(2), date(2025, 10, 1), completed_on=date(2025, 11, 1))
    followed(b, date(2026, 1, 10), status="migrated_abroad", country="Korea", regular_channels=True)
    result = results(*Q2)["CTIP-REMIG"]
    assert (result["numerator"], result["denominator"], result["value"]) == (1, None, 1)


def test_a_merged_duplicate_counts_once_as_its_survivor(officer, person, enrolled, create_cohort):
    other = create_cohort(name="Second", start_on=date(2025, 1, 1), end_on=date(2026, 12, 31))
    survivor, duplicate = person(1, sex="female"), person(2, sex="male")
    enrolled(survivor, date(2025, 10, 5))
    enrolled(duplicate, date(2025, 10, 6), cohort=other)
    merging.merge_beneficiaries(survivor, duplicate, officer)
    result = results(*Q1)["CUSTOM-1"]
    assert result["numerator"] == 1 and by(result, "sex") == {"female": (1, None)}


def test_missing_values_go_to_an_unknown_row_and_every_disaggregation_adds_up(person, enrolled):
    enrolled(person(1, disability=True), date(2025, 10, 5))
    enrolled(person(2, disability=None), date(2025, 10, 5))
    enrolled(person(3, disability=False, province="17"), date(2025, 10, 5))
    result = results(*Q1)
    assert by(result["CUSTOM-1"], "disability") == {"yes": (1, None), "unknown": (1, None), "no": (1, None)}
    for indicator in result.values():
        for dimension in ("sex", "age_band", "category", "province", "disability", "program"):
            rows = by(indicator, dimension)
            assert sum(n for n, _d in rows.values()) == pytest.approx(indicator["numerator"]), indicator["code"]
            if indicator["denominator"] is not None:
                assert sum(d for _n, d in rows.values()) == indicator["denominator"], indicator["code"]


def test_filters_by_program_and_province(person, enrolled, create_cohort, create_program):
    other = create_cohort(name="Other", program=create_program(name="Motorbike"), start_on=date(2025, 1, 1),
                          end_on=date(2026, 12, 31))
    enrolled(person(1, province="02"), date(2025, 10, 5))
    enrolled(person(2, province="17"), date(2025, 10, 5), cohort=other)
    assert results(*Q1, provinces={"17"})["CUSTOM-1"]["numerator"] == 1
    assert results(*Q1, programs=[other.program_id])["CUSTOM-1"]["numerator"] == 1
    assert results(*Q1, provinces=set())["CUSTOM-1"]["numerator"] == 0


def test_fiscal_periods():
    from registry.reports.periods import fiscal_quarter, fiscal_year, fiscal_year_of, parse_period

    assert (fiscal_quarter(2026, 1, 10).start, fiscal_quarter(2026, 1, 10).end) == (date(2025, 10, 1),
                                                                                   date(2025, 12, 31))
    assert (fiscal_quarter(2026, 4, 10).start, fiscal_quarter(2026, 4, 10).end) == (date(2026, 7, 1),
                                                                                   date(2026, 9, 30))
    assert (fiscal_year(2026, 10).start, fiscal_year(2026, 10).end) == (date(2025, 10, 1), date(2026, 9, 30))
    assert (fiscal_year(2026, 1).start, fiscal_year(2026, 1).end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert fiscal_year_of(date(2025, 10, 1), 10) == 2026 and fiscal_year_of(date(2025, 9, 30), 10) == 2025
    with pytest.raises(ValueError):
        parse_period("next year")
