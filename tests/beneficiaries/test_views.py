"""Participant pages over HTTP: roles, scope, audit, the register-merge flow."""
import io
import re
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from registry.audit.models import AuditEvent
from registry.auth.models import User
from registry.beneficiaries.merging import merge_beneficiaries
from registry.beneficiaries.models import Beneficiary

FORM = {"family_name": "Sok", "given_name": "Chanthy", "sex": "female", "date_of_birth": "2001-03-15",
        "province": "02", "category": "returned_migrant", "destination_country": "Thailand",
        "phone": "012 345 678", "consent_data_use": "y", "consent_on": "2026-03-01"}


def listed(client, query=""):
    """The codes in the rows of the participant list for a query string."""
    return re.findall(r'<td[^>]*><a href="/beneficiaries/(BR-\d+)">', client.get("/beneficiaries/?" + query).get_data(
        as_text=True))


@pytest.mark.parametrize("role", ["trainer", "manager"])
@pytest.mark.parametrize("url", ["/beneficiaries/", "/beneficiaries/new", "/beneficiaries/BR-000001",
                                 "/beneficiaries/BR-000001/edit", "/beneficiaries/BR-000001/merge",
                                 "/beneficiaries/import/", "/beneficiaries/import/template.xlsx"])
def test_participant_pages_refuse_trainers_and_managers(client, auth, role, url):
    auth.login_as(role)
    assert client.get(url).status_code == 403


def test_register_then_find_then_profile(client, auth):
    auth.login_as("officer", provinces={"02"})
    response = client.post("/beneficiaries/new", data=FORM)
    assert response.location == "/beneficiaries/BR-000001"
    stored = Beneficiary.get(Beneficiary.code == "BR-000001")
    assert stored.phone == "+85512345678" and stored.destination_country == "Thailand"
    for search in ("chanthy", "SOK", "BR-000001", "br-000001", "012345678", "+855%2012%20345%20678"):
        assert listed(client, "q=" + search) == ["BR-000001"], search
    assert listed(client, "q=dara") == []
    assert listed(client, "q=sok%20chanthy") == listed(client, "q=Chanthy%20Sok") == ["BR-000001"]
    assert listed(client, "q=sok%20dara") == []
    page = client.get("/beneficiaries/BR-000001").get_data(as_text=True)
    assert "Sok Chanthy" in page and "012 345 678" in page and "Thailand" in page


def test_every_profile_view_is_audited(client, auth):
    officer = auth.login_as("officer")
    client.post("/beneficiaries/new", data=FORM)
    client.get("/beneficiaries/BR-000001")
    client.get("/beneficiaries/BR-000001")
    views = AuditEvent.select().where(AuditEvent.action == "beneficiary.view")
    assert [(e.user_id, e.object_type) for e in views] == [(officer.id, "beneficiary")] * 2


def test_invalid_form_shows_messages_and_saves_nothing(client, auth):
    auth.login_as("officer")
    response = client.post("/beneficiaries/new", data={**FORM, "family_name": "", "given_name": "",
                                                       "phone": "12", "date_of_birth": "2999-01-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Give a name in Latin letters or in Khmer." in page
    assert "Not a phone number." in page and "cannot be in the future" in page
    assert Beneficiary.select().count() == 0


def test_duplicate_warning_then_register_anyway(client, auth):
    auth.login_as("officer")
    client.post("/beneficiaries/new", data=FORM)
    similar = {**FORM, "family_name": "Sokh", "given_name": "Chanthi", "phone": ""}
    page = client.post("/beneficiaries/new", data=similar).get_data(as_text=True)
    assert "This person may already be registered" in page
    assert "similar name in Latin letters, same date of birth" in page
    assert Beneficiary.select().count() == 1
    response = client.post("/beneficiaries/new", data={**similar, "allow_duplicate": "1"})
    assert response.location == "/beneficiaries/BR-000002"
    assert AuditEvent.select().where(AuditEvent.action == "beneficiary.duplicate_override").count() == 1


def test_a_match_outside_the_officers_provinces_shows_its_code_only(client, auth, create_user):
    auth.login_as("officer", provinces={"17"})
    client.post("/beneficiaries/new", data={**FORM, "province": "17"})
    auth.logout()
    auth.login_as("officer", provinces={"02"})
    page = client.post("/beneficiaries/new", data=FORM).get_data(as_text=True)
    assert "BR-000001" in page and "outside yours" in page
    assert "Chanthy" not in page.split("This person may already be registered")[1].split("</table>")[0]


def test_an_officer_never_sees_another_provinces_participants(client, auth):
    auth.login_as("officer", provinces={"17"})
    client.post("/beneficiaries/new", data={**FORM, "province": "17"})
    auth.logout()
    auth.login_as("officer", provinces={"02"})
    assert listed(client, "q=sok") == [] and listed(client) == []
    for url in ("/beneficiaries/BR-000001", "/beneficiaries/BR-000001/edit", "/beneficiaries/BR-000001/merge"):
        assert client.get(url).status_code == 404, url
    assert client.post("/beneficiaries/BR-000001/archive").status_code == 404
    workbook = load_workbook(io.BytesIO(client.get("/beneficiaries/export.xlsx").data))
    assert workbook.active.max_row == 1  # the header only


def test_an_officer_cannot_register_outside_their_provinces(client, auth):
    auth.login_as("officer", provinces={"02"})
    page = client.post("/beneficiaries/new", data={**FORM, "province": "17"}).get_data(as_text=True)
    assert "Not a valid choice" in page
    assert Beneficiary.select().count() == 0


def test_edit_is_audited_field_by_field_and_shown_in_history(client, auth):
    auth.login_as("officer")
    client.post("/beneficiaries/new", data=FORM)
    assert client.get("/beneficiaries/BR-000001/edit").status_code == 200
    response = client.post("/beneficiaries/BR-000001/edit", data={**FORM, "village": "Kouk Khmum"})
    assert response.location == "/beneficiaries/BR-000001"
    page = client.get("/beneficiaries/BR-000001").get_data(as_text=True)
    assert re.search(r"Village:</span> — → Kouk Khmum", page)


def test_the_history_names_who_changed_the_record_and_when_in_the_office_time_zone(app, client, auth):
    auth.login_as("officer", full_name="Dara Sok")
    client.post("/beneficiaries/new", data=FORM)
    with app.app_context():
        person = Beneficiary.get(Beneficiary.code == "BR-000001")
        AuditEvent.create(at=datetime(2026, 3, 1, 20, 0), user=None, username="cli:root", action="beneficiary.update",
                          object_type="beneficiary", object_id=str(person.id), detail='{"village": [null, "Kok"]}')
    page = client.get("/beneficiaries/BR-000001").get_data(as_text=True)
    history = page.split("History of changes")[1]
    assert "<td>Dara Sok</td>" in history and "<td>The command line (root)</td>" in history
    assert "Mar 2, 2026, 3:00:00\u202fAM" in history  # 20:00 UTC on 1 March, in Phnom Penh


def test_archive_and_restore_over_http(client, auth):
    auth.login_as("officer")
    client.post("/beneficiaries/new", data=FORM)
    client.post("/beneficiaries/BR-000001/archive")
    assert Beneficiary.get(Beneficiary.code == "BR-000001").status == "archived"
    assert listed(client, "status=archived") == ["BR-000001"]
    assert listed(client, "status=active") == []
    client.post("/beneficiaries/BR-000001/restore")
    assert Beneficiary.get(Beneficiary.code == "BR-000001").status == "active"


def test_merge_and_undo_over_http(client, auth):
    auth.login_as("officer")
    client.post("/beneficiaries/new", data=FORM)
    client.post("/beneficiaries/new", data={**FORM, "given_name": "Chanthi", "phone": "", "allow_duplicate": "1"})
    suggestions = client.get("/beneficiaries/BR-000001/merge").get_data(as_text=True)
    assert "BR-000002" in suggestions
    compare = client.get("/beneficiaries/BR-000001/merge?other=BR-000002").get_data(as_text=True)
    assert "Keep BR-000002" in compare
    response = client.post("/beneficiaries/BR-000001/merge", data={"other": "BR-000002", "survivor": "BR-000002"})
    assert response.location == "/beneficiaries/BR-000002"
    assert client.get("/beneficiaries/BR-000001").location == "/beneficiaries/BR-000002"
    page = client.get("/beneficiaries/BR-000002").get_data(as_text=True)
    assert "BR-000001 merged into BR-000002" in page
    merge_id = re.search(r"/beneficiaries/merges/(\d+)/undo", page).group(1)
    client.post(f"/beneficiaries/merges/{merge_id}/undo")
    assert client.get("/beneficiaries/BR-000001").status_code == 200
    assert Beneficiary.get(Beneficiary.code == "BR-000001").status == "active"


@pytest.mark.parametrize("band, years_ago, expected", [
    ("20-24", 22, True), ("15-19", 22, False), ("25-29", 22, False), ("unknown", None, True), ("20-24", None, False),
])
def test_age_band_filter(client, auth, band, years_ago, expected):
    from registry.timeutil import add_years

    auth.login_as("officer")
    born = add_years(date.today(), -years_ago).isoformat() if years_ago else ""
    client.post("/beneficiaries/new", data={**FORM, "date_of_birth": born})
    assert (listed(client, f"age_band={band}") == ["BR-000001"]) is expected


def test_the_program_filter_lists_people_admitted_to_a_cohort_of_the_program(app, client, auth, create_beneficiary,
                                                                            create_program, create_cohort,
                                                                            enroll):
    sewing, motorbike = create_program(name="Sewing"), create_program(name="Motorbike repair")
    spring, engines = create_cohort(name="Spring", program=sewing, capacity=1), create_cohort(program=motorbike)
    chanthy, dara, vuthy, again = (create_beneficiary(given_name=name) for name in ("Chanthy", "Dara", "Vuthy", "Vy"))
    enroll(spring, chanthy)
    enroll(spring, dara)  # the cohort is full: Dara waits on its list
    enroll(engines, dara)
    enroll(engines, vuthy)
    enroll(engines, again)
    with app.app_context():  # Vy is Vuthy: Vy's seat in Engines stays with Vy's record, and counts as Vuthy's
        merge_beneficiaries(Beneficiary.get_by_id(vuthy.id), Beneficiary.get_by_id(again.id),
                            User.get(User.username == "registrar"))
    auth.login_as("officer")
    assert listed(client, f"program={sewing.id}") == ["BR-000001"]
    assert listed(client, f"program={motorbike.id}") == ["BR-000003", "BR-000002"]  # newest first
    assert listed(client, f"program={motorbike.id}&q=vuthy") == ["BR-000003"]
    page = client.get("/beneficiaries/").get_data(as_text=True)
    assert ">All programs</option>" in page and f'<option value="{sewing.id}">Sewing</option>' in page


def test_a_program_filter_that_is_not_valid_says_so_under_its_list(client, auth, create_beneficiary):
    create_beneficiary()
    auth.login_as("officer")
    page = client.get("/beneficiaries/?program=999").get_data(as_text=True)
    assert 'aria-describedby="program-error"' in page
    assert re.search(r'<div class="invalid-feedback" id="program-error">Not a valid choice\.?</div>', page)
    assert listed(client, "program=999") == ["BR-000001"]  # not filtered, and it says so
