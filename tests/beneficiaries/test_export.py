"""Participant list exports: named only for officers and admins, consented records only, always audited."""
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from registry.audit.models import AuditEvent
from registry.timeutil import add_years


def rows_of(response):
    """The rows of an exported workbook, header first."""
    assert response.status_code == 200, response.status_code
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return [list(r) for r in load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True)]


def test_named_export_has_consented_people_in_scope_only(client, auth, create_beneficiary):
    create_beneficiary(given_name="Chanthy", phone="+85512345678")
    create_beneficiary(given_name="Dara", consent_data_use=False)
    create_beneficiary(given_name="Vuthy", province="17")
    auth.login_as("officer", provinces={"02"})
    rows = rows_of(client.get("/beneficiaries/export.xlsx"))
    assert rows[0][:3] == ["Code", "Family name", "Given name"]
    assert [r[2] for r in rows[1:]] == ["Chanthy"]
    assert "+85512345678" in rows[1]
    [event] = AuditEvent.select().where(AuditEvent.action == "beneficiary.export")
    assert json.loads(event.detail)["kind"] == "named" and json.loads(event.detail)["rows"] == 1


def test_the_export_follows_the_list_filters(client, auth, create_beneficiary):
    create_beneficiary(given_name="Chanthy", sex="female")
    create_beneficiary(given_name="Dara", sex="male")
    auth.login_as("officer")
    rows = rows_of(client.get("/beneficiaries/export.xlsx?sex=male"))
    assert [r[2] for r in rows[1:]] == ["Dara"]


def test_deidentified_export_has_no_names_phones_or_ids(client, auth, create_beneficiary):
    create_beneficiary(given_name="Chanthy", family_name="Sok", phone="+85512345678", date_of_birth=add_years(
        date.today(), -22), id_document_type="national_id", id_document_number="0102345")
    auth.login_as("officer")
    rows = rows_of(client.get("/beneficiaries/export.xlsx?kind=deidentified"))
    assert rows[0] == ["Code", "Sex", "Age", "Province", "Category", "Status", "Registration date"]
    flat = " ".join(str(v) for row in rows for v in row)
    for secret in ("Chanthy", "Sok", "12345678", "0102345"):
        assert secret not in flat
    assert rows[1][:4] == ["BR-000001", "Female", "20–24", "02"]


def test_managers_get_the_deidentified_list_and_never_the_named_one(client, auth, create_beneficiary):
    create_beneficiary()
    auth.login_as("manager")
    assert rows_of(client.get("/beneficiaries/export.xlsx"))[0][1] == "Sex"
    assert client.get("/beneficiaries/export.xlsx?kind=named").status_code == 403


@pytest.mark.parametrize("role", ["trainer"])
def test_trainers_cannot_export(client, auth, role):
    auth.login_as(role)
    assert client.get("/beneficiaries/export.xlsx").status_code == 403


def test_formula_like_text_comes_back_as_text(client, auth, create_beneficiary):
    create_beneficiary(given_name="=HYPERLINK(\"http://evil.example\")", family_name="@SUM(A1)", village="-5+3")
    auth.login_as("officer")
    workbook = load_workbook(io.BytesIO(client.get("/beneficiaries/export.xlsx").data))
    cells = {c.value: c.data_type for c in workbook.active[2]}
    assert cells["=HYPERLINK(\"http://evil.example\")"] == "s"
    assert cells["@SUM(A1)"] == "s" and cells["-5+3"] == "s"
