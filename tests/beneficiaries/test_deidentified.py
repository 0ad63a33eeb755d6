"""A list without names cannot be turned into a lookup: no name, phone, ID number or code narrows it.

Pisey Meas (phone 015 481 201, ID N123456) is one of three people in province 02. Each channel a manager
has is tried with each thing that singles her out, as a manager of every province and one of 02: the
de-identified export answers 400 naming the parameter, the participant list and the API list are closed
to managers, and the people behind a report figure are the same whatever is added. Officers and admins
keep their named search.
"""
import io
import json
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from registry.audit.models import AuditEvent
from registry.auth.models import User
from registry.programs import enrollment as enrolling
from registry.programs.models import Enrollment

TODAY = date.today()
LOOKUPS = {"name": "Pisey Meas", "local phone": "015481201", "international phone": "+85515481201",
           "ID number": "N123456"}
MANAGERS = {"manager": None, "scoped manager": {"02"}}


@pytest.fixture
def pisey(app, create_beneficiary, create_cohort, enroll, registrar):
    """Pisey Meas and two others in 02, all three having completed a cohort (so a report counts them)."""
    person = create_beneficiary(given_name="Pisey", family_name="Meas", phone="+85515481201",
                                id_document_type="national_id", id_document_number="N123456")
    others = [create_beneficiary(given_name=name, family_name="Chea") for name in ("Dara", "Vuthy")]
    ended = TODAY - timedelta(days=10)
    cohort = create_cohort(start_on=ended - timedelta(days=30), end_on=ended)
    for someone in [person, *others]:
        enrollment = enroll(cohort, someone, on=ended - timedelta(days=30))
        with app.app_context():
            enrolling.change_status(Enrollment.get_by_id(enrollment.id), "completed", ended,
                                    User.get_by_id(registrar.id), override_reason="test")
    return person


def _codes(response):
    assert response.status_code == 200, response.status_code
    return [row[0] for row in load_workbook(io.BytesIO(response.data)).active.iter_rows(min_row=2, values_only=True)]


def _exports():
    return AuditEvent.select().where(AuditEvent.action == "beneficiary.export").count()


@pytest.mark.parametrize("manager", MANAGERS)
@pytest.mark.parametrize("kind", [{}, {"kind": "deidentified"}], ids=["default", "deidentified"])
@pytest.mark.parametrize("lookup", LOOKUPS)
def test_the_deidentified_export_refuses_a_search_by_name(client, auth, pisey, manager, kind, lookup):
    auth.login_as("manager", provinces=MANAGERS[manager])
    assert len(_codes(client.get("/beneficiaries/export.xlsx?kind=deidentified"))) == 3
    exported = _exports()
    response = client.get("/beneficiaries/export.xlsx", query_string={**kind, "q": LOOKUPS[lookup]})
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "Not accepted: q." in response.get_data(as_text=True)
    assert pisey.code not in response.get_data(as_text=True)
    assert _exports() == exported  # nothing exported
    refused = AuditEvent.select().where(AuditEvent.action == "beneficiary.export_refused").get()
    assert json.loads(refused.detail)["parameters"] == {"q": [LOOKUPS[lookup]]}


@pytest.mark.parametrize("manager", MANAGERS)
@pytest.mark.parametrize("parameter, value", [("name", "Pisey Meas"), ("phone", "015481201"),
                                              ("phone", "+85515481201"), ("id_document_number", "N123456"),
                                              ("code", "BR-000001"), ("search", "Pisey")])
def test_no_other_parameter_narrows_it_either(client, auth, pisey, manager, parameter, value):
    auth.login_as("manager", provinces=MANAGERS[manager])
    response = client.get("/beneficiaries/export.xlsx", query_string={parameter: value, "sex": "female"})
    assert response.status_code == 400 and f"Not accepted: {parameter}." in response.get_data(as_text=True)


def test_a_code_sent_as_the_search_is_refused_too(client, auth, pisey):
    auth.login_as("manager")
    response = client.get("/beneficiaries/export.xlsx", query_string={"q": pisey.code})
    assert response.status_code == 400 and "Not accepted: q." in response.get_data(as_text=True)


@pytest.mark.parametrize("manager", MANAGERS)
def test_the_deidentified_filters_still_work_for_managers(client, auth, pisey, manager):
    auth.login_as("manager", provinces=MANAGERS[manager])
    assert len(_codes(client.get("/beneficiaries/export.xlsx?province=02&sex=female&category=at_risk"
                                 "&status=active&age_band=&q="))) == 3


@pytest.mark.parametrize("manager", MANAGERS)
@pytest.mark.parametrize("lookup", LOOKUPS)
def test_managers_have_no_named_list_to_search(client, auth, bearer, pisey, manager, lookup):
    user = auth.login_as("manager", provinces=MANAGERS[manager])
    assert client.get("/beneficiaries/", query_string={"q": LOOKUPS[lookup]}).status_code == 403
    api = client.get("/api/v1/beneficiaries", query_string={"q": LOOKUPS[lookup]}, headers=bearer(user))
    assert api.status_code == 403 and pisey.code not in api.get_data(as_text=True)


@pytest.mark.parametrize("manager", MANAGERS)
def test_the_people_behind_a_figure_are_not_narrowed_by_a_name(client, auth, pisey, manager):
    auth.login_as("manager", provinces=MANAGERS[manager])
    figure = {"period": "custom", "start": TODAY - timedelta(days=365), "end": TODAY, "indicator": "CUSTOM-1",
              "part": "numerator"}
    everyone = client.get("/reports/people", query_string=figure).get_data(as_text=True)
    assert pisey.code in everyone and "Pisey" not in everyone
    for value in LOOKUPS.values():
        for parameter in ("q", "name", "phone"):
            page = client.get("/reports/people", query_string={**figure, parameter: value}).get_data(as_text=True)
            assert page.count("BR-0000") == everyone.count("BR-0000"), (parameter, value)


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_officers_and_admins_keep_their_named_search(client, auth, pisey, role):
    auth.login_as(role, provinces={"02"} if role == "officer" else None)
    for value in LOOKUPS.values():
        page = client.get("/beneficiaries/", query_string={"q": value}).get_data(as_text=True)
        assert f'href="/beneficiaries/{pisey.code}"' in page and "Chea" not in page, value
        assert _codes(client.get("/beneficiaries/export.xlsx", query_string={"q": value})) == [pisey.code]


def test_their_list_without_names_leaves_the_search_out(client, auth, pisey):
    auth.login_as("officer")
    page = client.get("/beneficiaries/?q=Pisey&sex=female&page=1").get_data(as_text=True)
    assert 'href="/beneficiaries/export.xlsx?kind=deidentified&amp;sex=female"' in page
    assert "leaves out the search text" in page
    refused = client.get("/beneficiaries/export.xlsx?kind=deidentified&q=Pisey")
    assert refused.status_code == 400 and "Not accepted: q." in refused.get_data(as_text=True)
