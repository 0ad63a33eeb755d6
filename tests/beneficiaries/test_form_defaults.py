"""What the registration form starts with: consent recorded today, and the officer's province when they cover one."""
import re
from datetime import date


def _value(page, name):
    field = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    found = re.search(r'value="([^"]*)"', field)
    return found.group(1) if found else ""


def _selected(page, name):
    select = page[page.index(f'name="{name}"'):].split("</select>")[0]
    return re.findall(r'<option selected value="([^"]*)"', select)


def test_an_officer_of_one_province_starts_with_it_and_todays_consent_date(client, auth):
    auth.login_as("officer", provinces={"02"})
    page = client.get("/beneficiaries/new").get_data(as_text=True)
    assert _value(page, "consent_on") == date.today().isoformat()
    assert _selected(page, "province") == ["02"]


def test_an_officer_of_several_provinces_chooses_one(client, auth):
    auth.login_as("officer", provinces={"02", "17"})
    page = client.get("/beneficiaries/new").get_data(as_text=True)
    assert _selected(page, "province") in ([], [""])
    assert _value(page, "consent_on") == date.today().isoformat()


def test_a_date_cleared_by_the_user_stays_empty_and_is_asked_for(client, auth):
    auth.login_as("officer", provinces={"02"})
    page = client.post("/beneficiaries/new", data={
        "given_name": "Dara", "sex": "female", "province": "02", "category": "at_risk", "consent_data_use": "y",
        "consent_on": ""}).get_data(as_text=True)
    assert _value(page, "consent_on") == ""
    assert "Give the date the consent was recorded." in page
    assert 'href="#consent_on"' in page
