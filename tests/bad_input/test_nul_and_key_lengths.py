"""NUL anywhere in a request is refused with a 400, and keys that grow when upper-cased still fit their column.

Both ended in a 500 on PostgreSQL only (SQLite stores NUL and over-long text without a word).
"""
import pytest

from registry.beneficiaries.models import Beneficiary
from tests.makers import PERSON


@pytest.mark.parametrize("path", ["/beneficiaries/?q=Sok%00", "/beneficiaries/BR-000001%00",
                                  "/beneficiaries/BR-000001%00/edit", "/follow-ups/?province=%00"])
def test_nul_in_a_url_answers_400(signed_in_officer, path):
    assert signed_in_officer.get(path).status_code == 400


def test_nul_in_the_sign_in_form_answers_400(client):
    assert client.post("/login", data={"username": "admin\x00", "password": "x"}).status_code == 400


def test_nul_in_an_api_path_answers_400_as_json(api):
    response = api("officer").get("/api/v1/beneficiaries/BR-000001%00")
    assert response.status_code == 400 and response.get_json()["fields"] == {"path": "Remove the control characters."}


def test_nul_in_an_api_query_names_the_parameter(api):
    response = api("officer").get("/api/v1/beneficiaries?q=Sok%00")
    assert response.status_code == 400 and set(response.get_json()["fields"]) == {"q"}


def test_nul_in_a_trainer_username_answers_422(api, create_program):
    body = {"program": create_program().id, "name": "Sewing", "province": "02", "start_on": "2026-03-02",
            "end_on": "2026-05-29", "trainers": ["sophea\x00"]}
    response = api("officer").post("/api/v1/cohorts", json=body)
    assert response.status_code == 422 and "trainers" in response.get_json()["fields"]


def test_an_id_number_that_grows_when_upper_cased_is_saved_and_found(api):
    officer = api("officer")
    response = officer.post("/api/v1/beneficiaries", json={**PERSON, "id_document_type": "passport",
                                                           "id_document_number": "ß" * 40})
    assert response.status_code == 201
    assert len(Beneficiary.get(Beneficiary.code == response.get_json()["code"]).id_number_key) == 40
    assert officer.get("/api/v1/beneficiaries", query_string={"q": "ß" * 40}).get_json()["total"] == 1
