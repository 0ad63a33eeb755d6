"""The follow-up form under hostile input: saved as sent, or refused next to the field, never a 5xx.

Inputs tried per run: 25 (any field) + 20 (the text fields) = 45 generated, and 8 that once failed.
"""
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.audit.models import AuditEvent
from registry.outcomes.models import FollowUp, FollowUpDue
from tests.bad_input.conftest import counts
from tests.bad_input.pages import error_messages, explained, invalid_fields, refused_before_the_form
from tests.bad_input.strategies import answered, budget, has_control, hostile_text, hostile_value

TODAY = date.today()
CENT = Decimal("0.01")  # incomes are kept to the cent, halves rounded away from zero as PostgreSQL does
GOOD = {"followed_on": TODAY.isoformat(), "reached": "yes", "method": "visit", "status": "migrated_abroad",
        "job_started_on": "2026-01-05", "employer": "Garment Co", "sector": "garment", "monthly_income": "250",
        "currency": "USD", "hours_per_week": "48", "country": "Thailand", "regular_channels": "yes", "note": "Well."}
FIELDS = ["enrollment", "window", "job_before_training", *GOOD]
TEXT_FIELDS = ["employer", "sector", "country", "note"]
# The rules across fields, and the checks of the service, name these fields for others.
DEPENDS = {"status": {"reached"}, "currency": {"monthly_income"}, "country": {"status"},
           "followed_on": {"enrollment", "window"}, "monthly_income": {"reached"},
           "job_started_on": {"reached", "status", "job_before_training", "enrollment", "followed_on"}}
TABLES = (FollowUp, FollowUpDue)
VIEWED = "follow_up.form"  # the form shows a phone number: every view of it is audited, refused or not


@pytest.fixture
def trained(completer):
    """The code of a participant who completed a training (the database outlives examples)."""
    return completer(date(2025, 6, 30)).beneficiary.code


def mutations(fields, values):
    """One to four fields of the form, each with a hostile value."""
    return st.dictionaries(st.sampled_from(fields), values, min_size=1, max_size=4)


@budget(25)
@given(sent=mutations(FIELDS, hostile_value()))
def test_a_follow_up_is_saved_as_sent_or_the_field_is_named(signed_in_officer, trained, tried, sent):
    check_follow_up(signed_in_officer, trained, tried, sent)


@budget(20)
@given(sent=mutations(TEXT_FIELDS, hostile_text()))
def test_employer_sector_country_and_note_are_saved_as_sent_or_refused(signed_in_officer, trained, tried, sent):
    check_follow_up(signed_in_officer, trained, tried, sent)


@pytest.mark.parametrize("sent", [{"monthly_income": "1e-20000"}, {"hours_per_week": "1e-20000"},
                                  {"note": "Met at home.\x00"}, {"employer": "\x1b[2J"}, {"window": "\r"},
                                  {"status": " "}, {"note": "\x0c"}, {"monthly_income": "NaN", "currency": ""}])
def test_inputs_that_once_failed_are_saved_or_refused(signed_in_officer, trained, tried, sent):
    check_follow_up(signed_in_officer, trained, tried, sent)


def changes():
    """The audit events but the views of the form."""
    return AuditEvent.select().where(AuditEvent.action != VIEWED).count()


def check_follow_up(signed_in_officer, code, tried, sent):
    """Post the form with some fields changed: saved as sent, or refused naming a field, nothing written."""
    tried()
    before = {**counts(*TABLES), "changes": changes()}
    response = signed_in_officer.post(f"/follow-ups/new/{code}", data={**GOOD, **sent})
    answered(response)
    if refused_before_the_form(response, sent):
        assert {**counts(*TABLES), "changes": changes()} == before
        return
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        page = response.get_data(as_text=True)
        marked = invalid_fields(page)
        assert marked and error_messages(page), "the form came back without saying what is wrong"
        assert explained(marked, sent, DEPENDS), (marked, sorted(sent))
        assert {**counts(*TABLES), "changes": changes()} == before
        return
    assert counts(FollowUp)["follow_up"] == before["follow_up"] + 1
    saved = FollowUp.select().order_by(FollowUp.id.desc()).get()
    for name in TEXT_FIELDS:
        assert not has_control(getattr(saved, name)), name
        if name in sent and getattr(saved, name):
            assert getattr(saved, name) == sent[name].strip(), name
    if "monthly_income" in sent and saved.monthly_income is not None:
        assert Decimal(saved.monthly_income) == Decimal(sent["monthly_income"]).quantize(CENT, ROUND_HALF_UP)
