"""Makers for report tests: people, enrollments with chosen dates, follow-ups; the kept rows put back."""
from datetime import date
from decimal import Decimal

import pytest

from registry.db import database
from registry.outcomes.services import record_follow_up
from registry.programs import enrollment as enrolling
from registry.programs.models import Enrollment
from registry.reference.models import Setting
from registry.reports.indicators import indicator_report
from registry.reports.models import Indicator
from registry.reports.periods import Period


@pytest.fixture
def training(officer, create_cohort):
    """A cohort over 2025-2026 with no sessions (so no completion rule blocks the changes: overrides are written)."""
    return create_cohort(start_on=date(2025, 1, 1), end_on=date(2026, 12, 31))


@pytest.fixture
def person(create_beneficiary):
    """A distinct participant each call: person(n, **values)."""
    def make(n, **values):
        return create_beneficiary(given_name=f"Person{n}", date_of_birth=values.pop("born", date(1990, 1, n)),
                                  **values)
    return make


@pytest.fixture
def enrolled(officer, training):
    """enrolled(beneficiary, on, cohort=None, completed_on=None, ended=None, reason=None) -> enrollment."""
    def make(beneficiary, on, cohort=None, completed_on=None, ended=None, pre=None, post=None):
        enrollment = enrolling.enroll(cohort or training, beneficiary, on, officer)
        if pre is not None:
            enrolling.set_assessment(enrollment, {"pre_score": Decimal(pre), "post_score": Decimal(post)}, officer)
        if completed_on:
            enrolling.change_status(enrollment, "completed", completed_on, officer, override_reason="test data")
        elif ended:
            enrolling.change_status(enrollment, ended[0], ended[1], officer, reason="left")
        return Enrollment.get_by_id(enrollment.id)
    return make


@pytest.fixture
def followed(officer):
    """followed(enrollment, on, status="wage_employed", **values) -> follow-up (reached)."""
    def make(enrollment, on, status="wage_employed", reached=True, **values):
        return record_follow_up(enrollment.beneficiary, {"followed_on": on, "reached": reached, "method": "phone",
                                                         "status": status, **values}, officer, enrollment)
    return make


def results(start, end, **filters):
    """{code: result} of the indicator report for a date range."""
    report = indicator_report(Period(start, end, "test"), **filters)
    return {r["code"]: r for r in report["indicators"]}


@pytest.fixture
def kept_rows(app):
    """Put the indicators and settings (rows kept between tests) back as they were; delete indicators made here."""
    with database.connection_context():
        indicators = list(Indicator.select().dicts())
        settings = {row.key: row.value for row in Setting.select()}
    try:
        yield
    finally:
        with database.connection_context(), database.atomic():
            # Their targets go with them (ON DELETE CASCADE).
            Indicator.delete().where(Indicator.id.not_in([row["id"] for row in indicators])).execute()
            for row in indicators:
                values = {name: value for name, value in row.items() if name != "id"}
                Indicator.update(**values).where(Indicator.id == row["id"]).execute()
            Setting.delete().where(Setting.key.not_in(list(settings))).execute()
            for key, value in settings.items():
                Setting.update(value=value).where(Setting.key == key).execute()
