"""The report page and the JSON report: roles, scope, bad input."""
from datetime import date

import pytest


JSON_REPORT = "/api/v1/reports/indicators?start=2025-10-01&end=2025-12-31"


@pytest.mark.parametrize("role, status", [("admin", 200), ("manager", 200), ("officer", 200), ("trainer", 403)])
def test_report_pages_by_role(bearer, client, auth, role, status):
    user = auth.login_as(role)
    assert client.get("/reports/").status_code == status
    assert client.get(JSON_REPORT, headers=bearer(user)).status_code == status


def test_the_page_and_the_json_show_the_same_numbers(bearer, client, auth, person, enrolled):
    enrolled(person(1, sex="female"), date(2025, 10, 5))
    enrolled(person(2, sex="male"), date(2025, 11, 5))
    user = auth.login_as("manager")
    page = client.get("/reports/?period=FY2026-Q1").get_data(as_text=True)
    assert "CUSTOM-1" in page and "GNDR-2" in page and "50.0%" in page
    data = client.get(JSON_REPORT, headers=bearer(user)).get_json()
    gndr = next(i for i in data["indicators"] if i["code"] == "GNDR-2")
    assert (gndr["numerator"], gndr["denominator"], gndr["value"], gndr["kind"]) == (1, 2, 0.5, "percent")
    assert {"by": "sex", "category": "female", "numerator": 1, "denominator": 1, "value": 1.0} in \
        gndr["disaggregations"]


def test_a_scoped_manager_sees_only_their_provinces(bearer, client, auth, person, enrolled):
    enrolled(person(1, province="02"), date(2025, 10, 5))
    enrolled(person(2, province="17"), date(2025, 10, 5))
    user = auth.login_as("manager", provinces={"17"})
    data = client.get(JSON_REPORT, headers=bearer(user)).get_json()
    assert next(i for i in data["indicators"] if i["code"] == "CUSTOM-1")["numerator"] == 1
    assert client.get(JSON_REPORT + "&province=02", headers=bearer(user)).status_code == 403


@pytest.mark.parametrize("query, field", [("start=2025-13-01&end=2025-12-31", "start"),
                                          ("start=2025-10-01", "end"),
                                          ("start=2025-10-01&end=2025-09-01", "end"),
                                          ("start=2025-10-01&end=2025-12-31&program=abc", "program"),
                                          ("start=2025-10-01&end=2025-12-31&province=%D9%A0%D9%A2", "province")])
def test_bad_parameters_get_a_400_naming_the_field(bearer, client, auth, query, field):
    user = auth.login_as("manager")
    response = client.get(f"/api/v1/reports/indicators?{query}", headers=bearer(user))
    assert response.status_code == 400 and field in response.get_json()["fields"]


def test_a_custom_period_that_ends_before_it_starts_says_so(client, auth):
    auth.login_as("manager")
    page = client.get("/reports/?period=custom&start=2026-01-01&end=2025-01-01").get_data(as_text=True)
    assert "The period ends before it starts." in page


def test_the_workbook_holds_the_same_numbers_as_the_json_and_no_names(bearer, client, auth, person, enrolled):
    import io

    from openpyxl import load_workbook

    from registry.audit.models import AuditEvent

    enrolled(person(1, sex="female", family_name="Chanthy", phone="+85512345678"), date(2025, 10, 5))
    enrolled(person(2, sex="male"), date(2025, 11, 5))
    user = auth.login_as("manager")
    response = client.get("/reports/export.xlsx?period=FY2026-Q1")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert {"Summary", "Tracking", "Definitions", "data", "CUSTOM-1", "EG.6-14"} <= set(workbook.sheetnames)
    rows = list(workbook["data"].iter_rows(values_only=True))
    assert rows[0] == ("indicator", "period", "disaggregation", "category", "numerator", "denominator", "value")
    data = client.get(JSON_REPORT, headers=bearer(user)).get_json()
    expected = []
    for i in data["indicators"]:
        expected.append((i["code"], "FY2026 Q1", "total", "total", i["numerator"], i["denominator"], i["value"]))
        expected += [(i["code"], "FY2026 Q1", d["by"], d["category"], d["numerator"], d["denominator"], d["value"])
                     for d in i["disaggregations"]]
    assert rows[1:] == expected
    text = " ".join(str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row)
    assert "Chanthy" not in text and "12345678" not in text
    assert AuditEvent.select().where(AuditEvent.action == "report.export").count() == 1


def test_each_count_links_to_the_people_behind_it(client, auth, person, enrolled):
    enrolled(person(1, sex="female", family_name="Lim"), date(2025, 10, 5))
    enrolled(person(2, sex="male", family_name="Chea"), date(2025, 11, 5))
    auth.login_as("officer")
    page = client.get("/reports/?period=FY2026-Q1").get_data(as_text=True)
    assert "/reports/people?indicator=GNDR-2" in page
    listed = client.get("/reports/people?period=FY2026-Q1&indicator=GNDR-2&part=numerator").get_data(as_text=True)
    assert "Lim" in listed and "Chea" not in listed and "1 person" in listed
    by_sex = client.get("/reports/people?period=FY2026-Q1&indicator=CUSTOM-1&by=sex&category=male")
    assert "Chea" in by_sex.get_data(as_text=True)
    auth.logout()
    auth.login_as("manager")
    coded = client.get("/reports/people?period=FY2026-Q1&indicator=CUSTOM-1").get_data(as_text=True)
    assert "BR-000001" in coded and "Lim" not in coded and "Chea" not in coded  # managers see codes only
    assert client.get("/reports/people?period=FY2026-Q1&indicator=NOPE").status_code == 404
    assert client.get("/reports/people?period=FY2026-Q1&indicator=CUSTOM-1&by=shoe_size").status_code == 404


def test_small_cells_can_be_masked_in_the_workbook(client, auth, person, enrolled):
    import io

    from openpyxl import load_workbook

    for n in range(1, 4):
        enrolled(person(n, sex="female" if n < 3 else "male"), date(2025, 10, 5))
    auth.login_as("manager")
    workbook = load_workbook(io.BytesIO(client.get("/reports/export.xlsx?period=FY2026-Q1&mask=3").data))
    rows = {(r[0], r[2], r[3]): r[4:] for r in workbook["data"].iter_rows(min_row=2, values_only=True)}
    assert rows[("CUSTOM-1", "total", "total")] == (3, None, 3)  # totals are never masked
    assert rows[("CUSTOM-1", "sex", "female")] == (None, None, None)  # 2 people: masked
    unmasked = load_workbook(io.BytesIO(client.get("/reports/export.xlsx?period=FY2026-Q1").data))
    assert (2, None, 2) in [r[4:] for r in unmasked["data"].iter_rows(min_row=2, values_only=True)
                            if r[:4] == ("CUSTOM-1", "FY2026 Q1", "sex", "female")]


def test_a_locked_period_keeps_its_figures_and_shows_the_changes(bearer, client, auth, person, enrolled):
    import io

    from openpyxl import load_workbook

    from registry.reports.models import ReportSubmission

    enrolled(person(1, sex="female"), date(2025, 10, 5))
    user = auth.login_as("manager")
    assert client.post("/reports/lock?period=FY2026-Q1").status_code == 302
    assert ReportSubmission.select().count() == 1
    late = enrolled(person(2, sex="male"), date(2025, 11, 5))  # a late registration of the same quarter
    page = client.get("/reports/?period=FY2026-Q1").get_data(as_text=True)
    assert "Locked as submitted" in page
    data = load_workbook(io.BytesIO(client.get("/reports/export.xlsx?period=FY2026-Q1").data))["data"]
    assert [r[4] for r in data.iter_rows(min_row=2, values_only=True) if r[0] == "CUSTOM-1" and r[2] == "total"] == [1]
    live = client.get(JSON_REPORT, headers=bearer(user)).get_json()
    assert next(i for i in live["indicators"] if i["code"] == "CUSTOM-1")["numerator"] == 2  # the JSON is live
    changes = client.get("/reports/changes?period=FY2026-Q1").get_data(as_text=True)
    assert "CUSTOM-1" in changes and "sex: male" in changes
    trace = changes[changes.index("What was changed in the records"):]
    assert "Enrolled or put on a waitlist" in trace and late.beneficiary.code in trace
    assert "Person2" not in trace  # codes only: the page is a manager's
    assert b"already locked" in client.post("/reports/lock?period=FY2026-Q1", follow_redirects=True).data
    assert ReportSubmission.select().count() == 1


def test_only_managers_and_admins_lock(client, auth):
    auth.login_as("officer")
    assert client.post("/reports/lock?period=FY2026-Q1").status_code == 403
    assert client.get("/reports/changes?period=FY2026-Q1").status_code == 404


def test_the_workbook_headers_read_as_words(client, auth):
    import io

    from openpyxl import load_workbook

    auth.login_as("manager")
    workbook = load_workbook(io.BytesIO(client.get("/reports/export.xlsx?period=FY2026-Q1").data))
    headers = [c for row in workbook["Summary"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "Percent of target" in headers and not any("%%" in h for h in headers)


@pytest.mark.parametrize("language", ["en", "km"])
def test_the_province_breakdown_names_the_provinces_in_the_users_language(client, auth, person, enrolled, language):
    from registry.reference.models import Province

    enrolled(person(1, province="02"), date(2025, 10, 5))
    battambang = Province.get(Province.code == "02")
    auth.login_as("manager", language=language)
    page = client.get("/reports/?period=FY2026-Q1").get_data(as_text=True)
    name = battambang.name_km if language == "km" else battambang.name_en
    assert f"<td>{name}</td>" in page and "<td>02</td>" not in page


def test_the_earnings_change_reads_as_an_average_of_percent_changes(client, auth, person, enrolled, followed):
    from decimal import Decimal

    for n, (baseline, now) in enumerate([(100, 150), (200, 180)], 1):
        enrollment = enrolled(person(n, baseline_monthly_income=Decimal(baseline), baseline_income_currency="USD"),
                              date(2025, 6, 1), completed_on=date(2025, 9, 1))
        followed(enrollment, date(2025, 12, 1), monthly_income=Decimal(now), currency="USD",
                 job_started_on=date(2025, 10, 1))
    auth.login_as("manager")
    page = client.get("/reports/?period=FY2026-Q1").get_data(as_text=True)
    summary = page[page.index("EG.6-11"):]
    summary = summary[:summary.index("</tr>")]
    # +50% and -10%: the sum of the changes is +40%, over 2 people, an average of +20%.
    assert "+40.0% sum of changes" in summary and "2 people" in summary and "+20.0%" in summary
    section = page[page.index('id="EG.6-11"'):]
    assert "People averaged" in section and "Sum of changes" in section and "Average change" in section
