"""The report page and the JSON report: roles, scope, bad input."""
from datetime import date

import pytest

from tests.reports.conftest import results  # noqa: F401


@pytest.mark.parametrize("role, status", [("admin", 200), ("manager", 200), ("officer", 200), ("trainer", 403)])
def test_report_pages_by_role(client, auth, role, status):
    auth.login_as(role)
    assert client.get("/reports/").status_code == status
    assert client.get("/api/v1/reports/indicators?start=2025-10-01&end=2025-12-31").status_code == status


def test_the_page_and_the_json_show_the_same_numbers(client, auth, person, enrolled):
    enrolled(person(1, sex="female"), date(2025, 10, 5))
    enrolled(person(2, sex="male"), date(2025, 11, 5))
    auth.login_as("manager")
    page = client.get("/reports/?period=FY2026-Q1").get_data(as_text=True)
    assert "CUSTOM-1" in page and "GNDR-2" in page and "50.0%" in page
    data = client.get("/api/v1/reports/indicators?start=2025-10-01&end=2025-12-31").get_json()
    gndr = next(i for i in data["indicators"] if i["code"] == "GNDR-2")
    assert (gndr["numerator"], gndr["denominator"], gndr["value"], gndr["kind"]) == (1, 2, 0.5, "percent")
    assert {"by": "sex", "category": "female", "numerator": 1, "denominator": 1, "value": 1.0} in \
        gndr["disaggregations"]


def test_a_scoped_manager_sees_only_their_provinces(client, auth, person, enrolled):
    enrolled(person(1, province="02"), date(2025, 10, 5))
    enrolled(person(2, province="17"), date(2025, 10, 5))
    auth.login_as("manager", provinces={"17"})
    data = client.get("/api/v1/reports/indicators?start=2025-10-01&end=2025-12-31").get_json()
    assert next(i for i in data["indicators"] if i["code"] == "CUSTOM-1")["numerator"] == 1
    assert client.get("/api/v1/reports/indicators?start=2025-10-01&end=2025-12-31&province=02").status_code == 403


@pytest.mark.parametrize("query, field", [("start=2025-13-01&end=2025-12-31", "start"),
                                          ("start=2025-10-01", "end"),
                                          ("start=2025-10-01&end=2025-09-01", "end"),
                                          ("start=2025-10-01&end=2025-12-31&program=abc", "program")])
def test_bad_parameters_get_a_400_naming_the_field(client, auth, query, field):
    auth.login_as("manager")
    response = client.get(f"/api/v1/reports/indicators?{query}")
    assert response.status_code == 400 and field in response.get_json()["fields"]


def test_a_custom_period_that_ends_before_it_starts_says_so(client, auth):
    auth.login_as("manager")
    page = client.get("/reports/?period=custom&start=2026-01-01&end=2025-01-01").get_data(as_text=True)
    assert "The period ends before it starts." in page


def test_the_workbook_holds_the_same_numbers_as_the_json_and_no_names(client, auth, person, enrolled):
    import io

    from openpyxl import load_workbook

    from registry.audit.models import AuditEvent

    enrolled(person(1, sex="female", family_name="Chanthy", phone="+85512345678"), date(2025, 10, 5))
    enrolled(person(2, sex="male"), date(2025, 11, 5))
    auth.login_as("manager")
    response = client.get("/reports/export.xlsx?period=FY2026-Q1")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert {"Summary", "Tracking", "Definitions", "data", "CUSTOM-1", "EG.6-14"} <= set(workbook.sheetnames)
    rows = list(workbook["data"].iter_rows(values_only=True))
    assert rows[0] == ("indicator", "period", "disaggregation", "category", "numerator", "denominator", "value")
    data = client.get("/api/v1/reports/indicators?start=2025-10-01&end=2025-12-31").get_json()
    expected = []
    for i in data["indicators"]:
        expected.append((i["code"], "FY2026 Q1", "total", "total", i["numerator"], i["denominator"], i["value"]))
        expected += [(i["code"], "FY2026 Q1", d["by"], d["category"], d["numerator"], d["denominator"], d["value"])
                     for d in i["disaggregations"]]
    assert rows[1:] == expected
    text = " ".join(str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row)
    assert "Chanthy" not in text and "12345678" not in text
    assert AuditEvent.select().where(AuditEvent.action == "report.export").count() == 1
