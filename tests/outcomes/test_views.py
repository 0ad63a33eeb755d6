"""Outcome pages over HTTP: roles, the due list, the follow-up form, the rates."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from registry.outcomes.models import ExchangeRate, FollowUp
from registry.timeutil import add_months

TODAY = date.today()


@pytest.mark.parametrize("role", ["trainer", "manager"])
def test_follow_up_pages_are_for_officers_and_admins(client, auth, role):
    auth.login_as(role)
    for url in ("/follow-ups/", "/follow-ups/new/BR-000001", "/follow-ups/rates"):
        assert client.get(url).status_code == 403, url


def test_rates_are_for_admins_only(client, auth):
    auth.login_as("officer")
    assert client.get("/follow-ups/rates").status_code == 403
    auth.logout()
    auth.login_as("admin")
    client.post("/follow-ups/rates", data={"month": "2026-03", "khr_per_usd": "4020"})
    assert str(ExchangeRate.get().khr_per_usd) in ("4020", "4020.00")
    page = client.post("/follow-ups/rates", data={"month": "2026-03", "khr_per_usd": "12"}).get_data(as_text=True)
    assert "between 1000 and 10000" in page


def test_the_due_list_leads_to_the_form_and_the_form_takes_it_off(client, auth, completer):
    enrollment = completer(add_months(TODAY, -3) - timedelta(days=2))
    auth.login_as("officer")
    page = client.get("/follow-ups/").get_data(as_text=True)
    link = f"/follow-ups/new/{enrollment.beneficiary.code}?enrollment={enrollment.id}&amp;window=3&amp;back=due"
    assert "Overdue" in page and link in page
    response = client.post(link.replace("&amp;", "&"), data={
        "enrollment": str(enrollment.id), "window": "3", "followed_on": TODAY.isoformat(), "reached": "yes",
        "method": "phone", "status": "wage_employed", "job_started_on": TODAY.isoformat(), "employer": "Garment Co",
        "monthly_income": "800000", "currency": "KHR", "related_to_training": "yes"})
    assert response.location == "/follow-ups/"
    follow_up = FollowUp.get()
    assert (follow_up.status, follow_up.currency, follow_up.related_to_training) == ("wage_employed", "KHR", True)
    assert "Nobody is due a follow-up." in client.get("/follow-ups/").get_data(as_text=True)
    profile = client.get(f"/beneficiaries/{enrollment.beneficiary.code}").get_data(as_text=True)
    assert "Garment Co" in profile and "Wage employed" in profile


GOOD = {"followed_on": TODAY.isoformat(), "reached": "yes", "method": "visit", "status": "self_employed",
        "job_started_on": "2026-04-15", "monthly_income": "100", "currency": "USD"}


@pytest.mark.parametrize("changes, message", [
    ({"followed_on": (TODAY + timedelta(days=2)).isoformat()}, "cannot be dated in the future"),
    ({"status": ""}, "Say what the person"),
    ({"monthly_income": "-5"}, "cannot be negative"),
    ({"currency": ""}, "Choose the currency of the income."),
    ({"job_started_on": (TODAY + timedelta(days=9)).isoformat()}, "The job cannot start in the future."),
    ({"status": "migrated_abroad", "country": ""}, "Give the country the person migrated to."),
    ({"followed_on": "2020-01-01"}, "No training completed on or before this date"),
    ({"job_started_on": ""}, "Give the date the job or business started, or say that it started before the training."),
    ({"monthly_income": ""}, "Give the monthly income: 0 if the person has no work or earnings."),
    ({"status": "unemployed", "job_started_on": "", "monthly_income": ""}, "Give the monthly income"),
    ({"job_before_training": "y", "job_started_on": "2026-03-05"}, "correct the date or the choice"),
])
def test_the_form_names_what_is_wrong_and_saves_nothing(client, auth, completer, changes, message):
    enrollment = completer(date(2026, 3, 31))  # enrolled on 2026-03-01
    auth.login_as("officer")
    page = client.post(f"/follow-ups/new/{enrollment.beneficiary.code}", data={**GOOD, **changes})
    assert message in page.get_data(as_text=True)
    assert FollowUp.select().count() == 0


@pytest.mark.parametrize("changes, stored", [
    ({"status": "unemployed", "job_started_on": "", "monthly_income": "0", "currency": ""},
     ("unemployed", None, False, Decimal("0"), None)),
    ({"job_started_on": "", "job_before_training": "y"}, ("self_employed", None, True, Decimal("100"), "USD")),
    ({"job_started_on": "2025-11-02", "job_before_training": "y"},
     ("self_employed", date(2025, 11, 2), True, Decimal("100"), "USD")),
    ({"status": "in_training_or_education", "job_before_training": "y", "monthly_income": "0", "currency": "KHR"},
     ("in_training_or_education", date(2026, 4, 15), False, Decimal("0"), "KHR")),  # the choice is for a job only
])
def test_no_income_is_0_and_a_job_from_before_the_training_needs_no_date(client, auth, completer, changes, stored):
    enrollment = completer(date(2026, 3, 31))
    auth.login_as("officer")
    response = client.post(f"/follow-ups/new/{enrollment.beneficiary.code}", data={**GOOD, **changes})
    assert response.status_code == 302, response.get_data(as_text=True)
    f = FollowUp.get()
    assert (f.status, f.job_started_on, f.job_before_training, f.monthly_income, f.currency) == stored


def test_the_form_says_why_the_start_date_and_the_income_matter(client, auth, completer):
    enrollment = completer(date(2026, 3, 31))
    auth.login_as("officer")
    page = client.get(f"/follow-ups/new/{enrollment.beneficiary.code}").get_data(as_text=True)
    assert "EG.6-12 counts a job as new only when it started on or after the person enrolled" in page
    assert "The job or business started before the training" in page and "0 if none" in page


def test_someone_not_reached_keeps_no_job_details(client, auth, completer):
    enrollment = completer(date(2026, 3, 31))
    auth.login_as("officer")
    client.post(f"/follow-ups/new/{enrollment.beneficiary.code}", data={
        "followed_on": TODAY.isoformat(), "reached": "no", "method": "phone", "status": "wage_employed",
        "monthly_income": "100", "currency": "USD"})
    follow_up = FollowUp.get()
    assert (follow_up.reached, follow_up.status, follow_up.monthly_income) == (False, None, None)


def test_an_officer_of_another_province_cannot_record(client, auth, completer):
    enrollment = completer(date(2026, 3, 31), province="17")
    auth.login_as("officer", provinces={"02"})
    assert client.get(f"/follow-ups/new/{enrollment.beneficiary.code}").status_code == 404
    assert "Nobody is due" in client.get("/follow-ups/").get_data(as_text=True)
