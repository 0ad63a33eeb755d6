"""A user scoped to one province can neither read, find, count nor export people of another.

The people live in province 02; the callers are an officer and a manager of province 17 (and, for
contrast, the same roles in 02, who do see them). The API's scope is tested in tests/api/test_access.py.
"""
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from registry.auth.models import User
from registry.programs import enrollment as enrolling
from registry.programs.models import Enrollment
from tests.access_world import CROSS_SECRETS

TODAY = date.today()
RESULT_LINK = 'href="/beneficiaries/BR-000001"'  # a row of the results (the search box may hold the code)
SEARCHES = ("Chanthy", "chanthy sok", "+85512345678", "012 345 678", "BR-000001", "N123456")


@pytest.fixture
def people_in_02(app, create_beneficiary, create_cohort, enroll, registrar):
    """Sok Chanthy in 02, with a phone and ID number, who completed a cohort 100 days ago (follow-ups due)."""
    person = create_beneficiary(phone="+85512345678", id_document_type="national_id",
                                id_document_number="N123456")
    ended = TODAY - timedelta(days=100)
    cohort = create_cohort(start_on=ended - timedelta(days=30), end_on=ended)
    enrollment = enroll(cohort, person, on=ended - timedelta(days=30))
    with app.app_context():
        enrolling.change_status(Enrollment.get_by_id(enrollment.id), "completed", ended,
                                User.get_by_id(registrar.id), override_reason="test")
    return person


def _xlsx_codes(data):
    sheet = load_workbook(io.BytesIO(data)).active
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize("province, found", [("17", False), ("02", True)])
def test_the_list_search_finds_people_only_in_the_officers_provinces(client, auth, people_in_02, province, found):
    auth.login_as("officer", provinces={province})
    for text in SEARCHES:
        page = client.get("/beneficiaries/", query_string={"q": text}).get_data(as_text=True)
        assert (RESULT_LINK in page) is found, text
    assert (RESULT_LINK in client.get("/beneficiaries/?province=02").get_data(as_text=True)) is found


@pytest.mark.parametrize("role, kind, search", [("officer", "named", "&q=Chanthy"),
                                                ("manager", "deidentified", "&sex=female")])
def test_exports_hold_only_the_users_provinces(client, auth, people_in_02, role, kind, search):
    auth.login_as(role, provinces={"17"})
    response = client.get(f"/beneficiaries/export.xlsx?kind={kind}{search}")
    assert response.status_code == 200 and _xlsx_codes(response.data) == []
    assert _xlsx_codes(client.get(f"/beneficiaries/export.xlsx?kind={kind}").data) == []


def test_reports_count_only_the_users_provinces(client, auth, people_in_02, bearer):
    start, end = (TODAY - timedelta(days=365)).isoformat(), TODAY.isoformat()
    for provinces, expected in (({"17"}, 0), ({"02"}, 1)):
        user = auth.login_as("manager", provinces=provinces)
        data = client.get(f"/api/v1/reports/indicators?start={start}&end={end}", headers=bearer(user)).get_json()
        assert next(i for i in data["indicators"] if i["code"] == "CUSTOM-1")["numerator"] == expected
        people = client.get(f"/reports/people?period=custom&start={start}&end={end}&indicator=CUSTOM-1"
                            "&part=numerator").get_data(as_text=True)
        assert ("BR-000001" in people) is bool(expected)
        workbook = client.get(f"/reports/export.xlsx?period=custom&start={start}&end={end}")
        data_sheet = load_workbook(io.BytesIO(workbook.data))["data"]
        totals = [r[4] for r in data_sheet.iter_rows(min_row=2, values_only=True)
                  if r[0] == "CUSTOM-1" and r[2] == "total"]
        assert totals == [expected]
        auth.logout()


def test_a_scoped_manager_cannot_ask_for_another_province(client, auth, people_in_02):
    auth.login_as("manager", provinces={"17"})
    start, end = (TODAY - timedelta(days=365)).isoformat(), TODAY.isoformat()
    response = client.get(f"/reports/?period=custom&start={start}&end={end}&province=02")
    assert response.status_code in (403, 404) or "BR-000001" not in response.get_data(as_text=True)


@pytest.mark.parametrize("province, found", [("17", False), ("02", True)])
def test_the_follow_up_list_and_the_home_count_hold_only_the_users_provinces(client, auth, people_in_02,
                                                                              province, found):
    auth.login_as("officer", provinces={province})
    assert ("BR-000001" in client.get("/follow-ups/").get_data(as_text=True)) is found
    assert ("BR-000001" in client.get("/follow-ups/?bucket=overdue").get_data(as_text=True)) is found


def test_the_enroll_page_offers_no_one_from_another_province(client, auth, people_in_02, create_cohort):
    cohort = create_cohort(province="17", name="Kampot")
    auth.login_as("officer", provinces={"17"})
    for text in SEARCHES:
        page = client.get(f"/cohorts/{cohort.id}/enroll", query_string={"q": text}).get_data(as_text=True)
        assert 'name="picked" value="BR-000001"' not in page, text
    client.post(f"/cohorts/{cohort.id}/enroll", data={"codes": "BR-000001", "enrolled_on": TODAY.isoformat()})
    assert Enrollment.select().where(Enrollment.cohort == cohort.id).count() == 0


def test_a_duplicate_in_another_province_shows_the_code_only(client, auth, people_in_02):
    auth.login_as("officer", provinces={"17"})
    page = client.post("/beneficiaries/new", data={
        "given_name": "Chanthy", "family_name": "Sok", "sex": "female", "date_of_birth": "2001-03-15",
        "province": "17", "category": "at_risk", "phone": "012 345 678"}).get_data(as_text=True)
    assert "BR-000001" in page  # the officer must know a record exists, to ask its province's officer
    assert "N123456" not in page and "Battambang" not in page  # nothing of the record but its code


def test_the_profile_and_its_pages_answer_404_outside_the_scope(client, auth, people_in_02):
    auth.login_as("officer", provinces={"17"})
    for url in ("/beneficiaries/BR-000001", "/beneficiaries/BR-000001/edit", "/beneficiaries/BR-000001/merge",
                "/follow-ups/new/BR-000001"):
        assert client.get(url).status_code == 404, url


def _cross_pages(world):
    """Every page and sheet that lists the people of the province-17 cohort of cross_world."""
    cohort, session = world["cohort"].id, world["session"].id
    return (f"/cohorts/{cohort}", f"/cohorts/{cohort}/grid", f"/sessions/{session}",
            f"/cohorts/{cohort}/signin", f"/cohorts/{cohort}/signin?session={session}",
            f"/cohorts/{cohort}/signin.xlsx", f"/cohorts/{cohort}/sessions/{session}/signin.xlsx",
            f"/cohorts/{cohort}/signin/upload", f"/cohorts/{cohort}/enrollments/{world['away_enrollment'].id}",
            f"/cohorts/{cohort}/enrollments/{world['waiting_enrollment'].id}", f"/cohorts/{cohort}/enroll",
            f"/cohorts/{cohort}/enroll?sex=female", f"/cohorts/{cohort}/enroll?province=02")


def _text(response):
    """A page's text, or every cell of a workbook as text."""
    if response.mimetype.endswith("spreadsheetml.sheet"):
        book = load_workbook(io.BytesIO(response.data))
        return " ".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                        for v in row if v is not None)
    return response.get_data(as_text=True)


def test_an_officer_of_the_cohorts_province_sees_people_of_another_by_code_only(client, auth, cross_world):
    auth.login(cross_world["officer17"].username)
    for url in _cross_pages(cross_world):
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text(response)
        assert [secret for secret in CROSS_SECRETS if secret in text] == [], url
        if "enroll" not in url and "upload" not in url:
            assert cross_world["away"].code in text, url  # the person is there, by code
    roster = client.get(f"/cohorts/{cross_world['cohort'].id}").get_data(as_text=True)
    assert "Keo Sophea" in roster and cross_world["waiting"].code in roster  # their own province: named
    assert "Another province: code only" in roster  # the empty name says why


def test_the_cohorts_trainer_sees_every_name_in_it(client, auth, cross_world):
    auth.login(cross_world["trainer"].username)
    cohort, session = cross_world["cohort"].id, cross_world["session"].id
    for url in (f"/cohorts/{cohort}", f"/cohorts/{cohort}/grid", f"/sessions/{session}", f"/cohorts/{cohort}/signin",
                f"/cohorts/{cohort}/signin.xlsx"):
        assert "Chanthy" in _text(client.get(url)), url
    assert "ចន្ធី" in _text(client.get(f"/cohorts/{cohort}/signin.xlsx"))


def test_an_officer_of_both_provinces_sees_the_names(client, auth, cross_world):
    auth.login_as("officer", provinces={"02", "17"})
    assert "Chanthy" in client.get(f"/cohorts/{cross_world['cohort'].id}").get_data(as_text=True)
    assert "Dara" in client.get(f"/cohorts/{cross_world['cohort'].id}").get_data(as_text=True)  # the waitlist


@pytest.mark.parametrize("provinces, enrolled", [({"17"}, False), ({"02"}, False), ({"02", "17"}, True)])
def test_enrolling_someone_of_02_in_a_cohort_of_17_needs_both_provinces(client, auth, cross_world,
                                                                        create_beneficiary, provinces, enrolled):
    newcomer = create_beneficiary(given_name="Vanna", date_of_birth=date(1999, 1, 1))  # province 02
    auth.login_as("officer", provinces=provinces)
    cohort = cross_world["cohort"].id
    response = client.post(f"/cohorts/{cohort}/enroll", data={"codes": newcomer.code,
                                                               "enrolled_on": TODAY.isoformat(), "confirm": "y",
                                                               "waitlist": newcomer.code})
    exists = Enrollment.select().where((Enrollment.cohort == cohort) & (Enrollment.beneficiary == newcomer.id))
    assert exists.exists() is enrolled
    if provinces == {"17"}:  # the officer opens the cohort's page, but finds nobody of 02: refused, named
        assert response.status_code == 422
        assert (f"No participant in your provinces with these codes: {newcomer.code}. Nothing was saved."
                in response.get_data(as_text=True))
    elif provinces == {"02"}:
        assert response.status_code == 404  # the cohort is outside their provinces
