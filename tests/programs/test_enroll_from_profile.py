"""Enroll from a profile: offered to officers and admins; the cohort chosen opens with the person ticked."""
import re
from datetime import date, timedelta

import pytest

TODAY = date.today()


@pytest.fixture
def person_and_cohorts(create_cohort, create_beneficiary, enroll):
    """Chanthy of Battambang (02), not enrolled; an open cohort there, an ended one, an open one in Kampot (07)."""
    chanthy = create_beneficiary(given_name="Chanthy")
    open_one = create_cohort(name="Sewing open", start_on=TODAY, end_on=TODAY + timedelta(days=60))
    ended = create_cohort(name="Sewing ended", start_on=TODAY - timedelta(days=90), end_on=TODAY - timedelta(days=1))
    kampot = create_cohort(name="Sewing Kampot", province="07", start_on=TODAY, end_on=TODAY + timedelta(days=60))
    return chanthy, open_one, ended, kampot


def test_a_profile_without_training_offers_to_enroll(client, auth, person_and_cohorts):
    chanthy = person_and_cohorts[0]
    auth.login_as("officer", provinces={"02"})
    page = client.get(f"/beneficiaries/{chanthy.code}").get_data(as_text=True)
    assert "Not enrolled in any training yet." in page
    assert f'href="/cohorts/for/{chanthy.code}">Enroll in a cohort</a>' in page


def test_the_choice_lists_the_open_cohorts_of_the_users_provinces(client, auth, person_and_cohorts, enroll,
                                                                  create_cohort):
    chanthy, open_one, ended, kampot = person_and_cohorts
    joined = create_cohort(name="Cooking joined", start_on=TODAY, end_on=TODAY + timedelta(days=30))
    enroll(joined, chanthy, on=TODAY)
    auth.login_as("officer", provinces={"02"})
    page = client.get(f"/cohorts/for/{chanthy.code}").get_data(as_text=True)
    assert "Sewing open" in page and "Cooking joined" in page
    assert "Sewing ended" not in page and "Sewing Kampot" not in page
    assert f'href="/cohorts/{open_one.id}/enroll?q={chanthy.code}&amp;picked={chanthy.code}"' in page
    assert f"/cohorts/{joined.id}/enroll" not in page and "Already in this cohort" in page


def test_the_enroll_page_opens_with_the_person_ticked_and_enrolls_them(client, auth, person_and_cohorts):
    chanthy, open_one = person_and_cohorts[:2]
    auth.login_as("officer", provinces={"02"})
    page = client.get(f"/cohorts/{open_one.id}/enroll?q={chanthy.code}&picked={chanthy.code}").get_data(as_text=True)
    assert re.search(rf'<input[^>]*name="picked" value="{chanthy.code}" checked>', page)
    assert page.count('name="picked"') == 1
    saved = client.post(f"/cohorts/{open_one.id}/enroll",
                        data={"picked": chanthy.code, "enrolled_on": TODAY.isoformat()})
    assert saved.location == f"/cohorts/{open_one.id}"
    profile = client.get(f"/beneficiaries/{chanthy.code}").get_data(as_text=True)
    assert "Sewing open" in profile and "Not enrolled in any training yet." not in profile


@pytest.mark.parametrize("role, status", [("trainer", 403), ("manager", 403)])
def test_only_officers_and_admins_choose_a_cohort(client, auth, person_and_cohorts, role, status):
    auth.login_as(role, provinces={"02"})
    assert client.get(f"/cohorts/for/{person_and_cohorts[0].code}").status_code == status


def test_a_person_outside_the_officers_provinces_is_not_found(client, auth, person_and_cohorts):
    auth.login_as("officer", provinces={"07"})
    assert client.get(f"/cohorts/for/{person_and_cohorts[0].code}").status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, person_and_cohorts):
    assert "/login" in client.get(f"/cohorts/for/{person_and_cohorts[0].code}").location


def test_an_archived_record_is_not_offered_a_cohort(client, auth, person_and_cohorts):
    chanthy = person_and_cohorts[0]
    auth.login_as("admin")
    client.post(f"/beneficiaries/{chanthy.code}/archive")
    assert "Enroll in a cohort" not in client.get(f"/beneficiaries/{chanthy.code}").get_data(as_text=True)
    page = client.get(f"/cohorts/for/{chanthy.code}").get_data(as_text=True)
    assert "Only an active record can be enrolled" in page and "Sewing open" not in page
