"""The report in one pass: the tracking's quarters are the quarters' own reports, in a fixed number of statements."""
from datetime import date
from decimal import Decimal

import pytest

from registry.beneficiaries import merging
from registry.outcomes import currency
from registry.programs.models import Program
from registry.reports.indicators import fiscal_year_reports, indicator_report, people_behind
from registry.reports.models import Indicator
from registry.reports.periods import fiscal_quarter, fiscal_year
from registry.reports.workbook import _tracking, indicator_workbook
from tests.reports.conftest import results
from tests.reports.test_indicators import by
from tests.test_query_counts import counted as counting

QUARTER_STARTS = [date(2025, 10, 1), date(2026, 1, 1), date(2026, 4, 1), date(2026, 7, 1)]  # FY2026
QUARTER_ENDS = [date(2025, 12, 31), date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30)]
FIGURES = ("numerator", "denominator", "value")


@pytest.fixture
def world(officer, person, enrolled, followed, create_cohort, create_program):
    """world(first, count): people numbered from `first` spread over FY2026 and the year before.

    Each quarter gets enrollments, completions, dropouts and follow-ups of every kind; some people
    are in two programs, with scores, incomes in both currencies, unreached calls and one merge.
    """
    currency.set_rate(date(2024, 9, 1), Decimal("4000"), officer)
    currency.set_rate(date(2026, 2, 1), Decimal("4100"), officer)
    other = create_cohort(name="Motorbike", program=create_program(name="Motorbike repair"), province="17",
                          start_on=date(2024, 9, 1), end_on=date(2026, 12, 31))
    statuses = ("wage_employed", "in_training_or_education", "migrated_abroad", "self_employed", "unemployed")

    def make(first, count):
        for n in range(first, first + count):
            quarter = QUARTER_STARTS[n % 4]
            someone = person(n % 28 + 1, sex=("female", "male", "other")[n % 3], province=("02", "17", "12")[n % 3],
                             born=None if n % 5 == 0 else date(1985 + n % 25, 1 + n % 12, 1 + n % 28),
                             birth_year=1999 if n % 5 == 0 else None, disability=(True, False, None)[n % 3],
                             baseline_monthly_income=Decimal(100 * (n % 4)), baseline_income_currency="USD",
                             registered_on=date(2024, 9, 2))
            early = enrolled(someone, date(2024, 9, 10 + n % 10), cohort=other, completed_on=quarter.replace(day=3),
                             pre=40 + n % 3, post=41)
            if n % 4 != 3:  # a second training, in the quarter after: completed on its last day, or dropped
                later = QUARTER_STARTS[(n + 1) % 4]
                enrolled(someone, later, completed_on=QUARTER_ENDS[(n + 1) % 4] if n % 2 else None,
                         ended=None if n % 2 else ("dropped_out", later.replace(day=25)))
            calls = ((quarter.replace(month=quarter.month + 1, day=3), True), (QUARTER_ENDS[n % 4], n % 4 != 1))
            for call, (on, reached) in enumerate(calls, 1):  # the second on the quarter's last day, maybe unanswered
                status = statuses[(n + call) % len(statuses)]
                abroad = {"country": "Thailand", "regular_channels": n % 2 == 0} if status == "migrated_abroad" else {}
                followed(early, on, status=status, reached=reached, job_started_on=date(2024, 12, 1),
                         monthly_income=Decimal(150 + 10 * n), currency=("USD", "KHR")[n % 2], **abroad)
        if count > 3:  # the first two of this call are one person
            merging.merge_beneficiaries(person.made[-count], person.made[-count + 1], officer)
    return make


@pytest.fixture
def person(person):
    """The conftest maker, remembering who it made."""
    def make(n, **values):
        made = person(n, **values)
        make.made.append(made)
        return made
    make.made = []
    return make


def totals(report):
    """{code: (numerator, denominator, value)} of a report."""
    return {i["code"]: tuple(i[k] for k in FIGURES) for i in report["indicators"]}


@pytest.mark.parametrize("filters", [{}, {"provinces": {"17"}}, {"programs": ["Motorbike repair"]}])
def test_the_tracking_quarters_are_each_quarters_own_report(world, filters):
    world(1, 12)
    if filters.get("programs"):
        filters = {"programs": [Program.get(Program.name == name).id for name in filters["programs"]]}
    quarters = [indicator_report(fiscal_quarter(2026, q), **filters) for q in (1, 2, 3, 4)]
    year = indicator_report(fiscal_year(2026), **filters)
    assert any(i["numerator"] for q in quarters for i in q["indicators"])  # the world is not empty
    in_one_pass = fiscal_year_reports(2026, filters.get("programs"), filters.get("provinces"))
    assert fiscal_year_reports(2026, filters.get("programs"), filters.get("provinces"), known=year)[4] is year
    assert [totals(r) for r in in_one_pass] == [totals(q) for q in quarters] + [totals(year)]
    for known in (None, year, quarters[1]):
        tracking = _tracking(2026, filters.get("programs"), filters.get("provinces"), known=known)
        for n, row in enumerate(tracking["rows"]):
            assert [row[f"q{q}"] for q in (1, 2, 3, 4)] == [quarters[q]["indicators"][n]["value"] for q in range(4)]
            assert (row["fy_actual"], row["fy_target"]) == (year["indicators"][n]["value"],
                                                            year["indicators"][n]["target"])


def test_a_fiscal_year_report_is_its_one_pass_total_with_every_disaggregation(world):
    world(1, 12)
    year = indicator_report(fiscal_year(2026))
    assert totals(year) == totals(fiscal_year_reports(2026)[4])
    for indicator in year["indicators"]:
        for dimension in ("sex", "age_band", "category", "province", "disability", "program"):
            rows = by(indicator, dimension)
            assert sum(n for n, _d in rows.values()) == pytest.approx(indicator["numerator"]), indicator["code"]
            if indicator["denominator"] is not None:
                assert sum(d for _n, d in rows.values()) == indicator["denominator"], indicator["code"]


def test_the_qualifying_enrollment_is_the_earliest_enrolled_not_the_earliest_ended(person, enrolled, create_cohort,
                                                                                   create_program):
    """Each indicator reads the program from the earliest enrolled of its own enrollments, whatever ended first."""
    first = create_cohort(name="First", program=create_program(name="Sewing"), start_on=date(2025, 1, 1),
                          end_on=date(2026, 12, 31))
    second = create_cohort(name="Second", program=create_program(name="Hospitality"), start_on=date(2025, 1, 1),
                           end_on=date(2026, 12, 31))
    both, left = person(1), person(2)
    enrolled(both, date(2025, 9, 1), cohort=first, completed_on=date(2025, 12, 20), pre=50, post=60)
    enrolled(both, date(2025, 10, 5), cohort=second, completed_on=date(2025, 11, 1), pre=50, post=40)
    enrolled(left, date(2025, 9, 1), cohort=first, ended=("dropped_out", date(2025, 11, 15)))
    enrolled(left, date(2025, 10, 5), cohort=second, completed_on=date(2025, 12, 1), pre=50, post=60)
    q1 = results(date(2025, 10, 1), date(2025, 12, 31))
    sewing, hospitality = str(first.program_id), str(second.program_id)
    assert by(q1["EG.6-14"], "program") == {sewing: (2, 2)}  # both ended first in sewing; both completed one
    assert by(q1["CUSTOM-2"], "program") == {sewing: (1, None), hospitality: (1, None)}
    assert by(q1["EG.6-13"], "program") == {sewing: (1, 1), hospitality: (1, 1)}  # the first's own scores
    period = fiscal_quarter(2026, 1)
    custom_2 = Indicator.get(Indicator.code == "CUSTOM-2")
    assert people_behind(custom_2, period, by="program", category=hospitality) == [left.id]
    assert people_behind(custom_2, period, by="program", category=sewing) == [both.id]


def counted(action):
    """The SQL statements an action sends."""
    with counting() as calls:
        action()
    return calls


def test_the_report_and_its_workbook_run_a_fixed_number_of_statements(app_ctx, world):
    def statements():
        report = {}
        compute = counted(lambda: report.update(indicator_report(fiscal_year(2026))))
        with app_ctx.test_request_context():  # the workbook's labels are translated
            export = counted(lambda: indicator_workbook(report, [], None, ["Programs: all"]))
        quarter = counted(lambda: indicator_report(fiscal_quarter(2026, 2)))
        return len(compute), len(export), len(quarter), compute

    world(1, 3)
    few = statements()
    world(20, 12)
    many = statements()
    assert many[:3] == few[:3]
    # The figures of every indicator come from one statement: the only one that reads the enrollments.
    assert len([sql for sql in many[3] if "enrollment" in sql]) == 1


def test_the_pages_run_a_fixed_number_of_statements(client, auth, world):
    auth.login_as("manager")
    urls = ["/reports/?period=FY2026-Q2", "/reports/?period=FY2026", "/reports/export.xlsx?period=FY2026"]

    def statements():
        client.get(urls[0])  # seals the audit events of the world just made, a statement each
        return [len(counted(lambda: client.get(url))) for url in urls]

    world(1, 3)
    few = statements()
    world(20, 12)
    assert statements() == few
