"""The indicator pages (admins): list, create, edit, retire, targets, the fiscal year's first month; all audited."""
import json
from datetime import date
from decimal import Decimal

import pytest

from registry.audit.models import AuditEvent
from registry.reference.models import Setting
from registry.reports import admin_services
from registry.reports.indicators import target_of
from registry.reports.models import Indicator, IndicatorTarget
from registry.reports.periods import fiscal_quarter, fiscal_year

ALL = "sex,age_band,category,province,disability,program"
# The tests here change indicators and settings, rows kept between tests: put them back after each.
pytestmark = pytest.mark.usefixtures("kept_rows")


def indicator(code):
    """A default indicator by its code."""
    return Indicator.get(Indicator.code == code)


def events(action):
    """The audit details of an action, oldest first."""
    return [json.loads(e.detail) for e in AuditEvent.select().where(AuditEvent.action == action)
            .order_by(AuditEvent.id)]


def indicator_form(**changes):
    """The indicator form's fields as a browser posts them; a value None leaves the field out (an unticked box)."""
    data = {"code": "TEST-1", "title": "Test indicator", "definition": "For the tests.", "computation": "enrolled",
            "disaggregations": ["sex", "province"], "baseline": "", "position": "500", "active": "y", **changes}
    return {name: value for name, value in data.items() if value is not None}


def target_form(year="2026", quarter="0", value="80"):
    """The target form's fields (prefixed, as it shares the indicator's page)."""
    return {"target-fiscal_year": year, "target-quarter": quarter, "target-value": value}


@pytest.mark.parametrize("role", ["manager", "officer", "trainer"])
def test_only_admins_open_the_indicator_pages(client, auth, role):
    auth.login_as(role)
    eg = indicator("EG.6-14").id
    for url in ("/indicators/", "/indicators/new", f"/indicators/{eg}"):
        assert client.get(url).status_code == 403, url
    for url, data in ((f"/indicators/{eg}", indicator_form()), ("/indicators/fiscal-year", {"month": "1"}),
                      (f"/indicators/{eg}/targets", target_form()), (f"/indicators/{eg}/targets/1/remove", {})):
        assert client.post(url, data=data).status_code == 403, url
    assert Setting.get_value("fiscal_year_first_month", None) == "10" and not IndicatorTarget.select().exists()


def test_anonymous_users_are_sent_to_sign_in(client):
    assert client.get("/indicators/").location.startswith("/login")


def test_the_list_shows_reported_indicators_first_in_report_order(client, auth):
    Indicator.update(active=False).where(Indicator.code == "CUSTOM-1").execute()
    auth.login_as("admin")
    page = client.get("/indicators/").get_data(as_text=True)
    assert page.index("CUSTOM-2") < page.index("EG.6-14") < page.index("CTIP-REMIG") < page.index("CUSTOM-1")
    assert "People newly enrolled in training (Count)" in page and "Left out of the report" in page
    assert '<option selected value="10">October</option>' in page


def test_an_admin_adds_an_indicator_from_the_computations(client, auth):
    admin = auth.login_as("admin")
    response = client.post("/indicators/new", data=indicator_form(computation="female_share",
                                                                 disaggregations=["province", "sex"], baseline="42.5"))
    created = Indicator.get(Indicator.code == "TEST-1")
    assert response.location == f"/indicators/{created.id}"
    assert (created.computation, created.disaggregations, created.baseline) == ("female_share", "sex,province",
                                                                                Decimal("0.425"))
    assert created in Indicator.reported()
    page = client.get(f"/indicators/{created.id}").get_data(as_text=True)
    assert 'value="42.5"' in page and "targets as percentages: 80 means 80%" in page
    [detail] = events("indicator.create")
    assert detail["code"] == [None, "TEST-1"] and detail["baseline"] == [None, "0.4250"]
    assert AuditEvent.get(AuditEvent.action == "indicator.create").username == admin.username


def test_an_indicator_may_have_no_disaggregation(client, auth):
    auth.login_as("admin")
    client.post("/indicators/new", data=indicator_form(disaggregations=None))
    assert Indicator.get(Indicator.code == "TEST-1").disaggregation_list() == []


def test_an_admin_edits_a_default_indicator(client, auth):
    auth.login_as("admin")
    custom = indicator("CUSTOM-1")
    assert 'value="CUSTOM-1"' in client.get(f"/indicators/{custom.id}").get_data(as_text=True)
    response = client.post(f"/indicators/{custom.id}", data=indicator_form(
        code="CUSTOM-1", title="Newly enrolled people", definition=custom.definition, disaggregations=["sex"],
        title_km=custom.title_km, definition_km=custom.definition_km, position=str(custom.position),
        baseline="1200"))
    assert response.location == "/indicators/"
    saved = indicator("CUSTOM-1")
    assert (saved.title, saved.disaggregations, saved.baseline, saved.active) == (
        "Newly enrolled people", "sex", Decimal("1200"), True)
    [detail] = events("indicator.update")
    assert detail == {"title": [custom.title, "Newly enrolled people"], "disaggregations": [ALL, "sex"],
                      "baseline": [None, "1200.0000"]}


def test_unticking_reported_retires_an_indicator_and_keeps_its_targets(client, auth):
    auth.login_as("admin")
    custom = indicator("CUSTOM-2")
    client.post(f"/indicators/{custom.id}/targets", data=target_form(value="300"))
    client.post(f"/indicators/{custom.id}", data=indicator_form(
        code=custom.code, title=custom.title, definition=custom.definition, computation=custom.computation,
        title_km=custom.title_km, definition_km=custom.definition_km, disaggregations=ALL.split(","),
        position=str(custom.position), active=None))
    assert not indicator("CUSTOM-2").active
    assert "CUSTOM-2" not in [i.code for i in Indicator.reported()]
    assert IndicatorTarget.get(IndicatorTarget.indicator == custom).target == Decimal(300)
    assert events("indicator.update") == [{"active": [True, False]}]
    assert "This indicator is retired" in client.get(f"/indicators/{custom.id}").get_data(as_text=True)


def test_changing_the_kind_of_an_indicator_with_targets_warns(client, auth):
    auth.login_as("admin")
    eg = indicator("EG.6-14")
    client.post(f"/indicators/{eg.id}/targets", data=target_form(value="80"))
    changed = indicator_form(code=eg.code, title=eg.title, computation="completed")
    page = client.post(f"/indicators/{eg.id}", data=changed, follow_redirects=True).get_data(as_text=True)
    assert "kind changed: check its targets" in page
    assert IndicatorTarget.get(IndicatorTarget.indicator == eg).target == Decimal("0.8")


@pytest.mark.parametrize("changes, message", [
    ({"code": "eg.6-14"}, "An indicator with the code eg.6-14 exists."),
    ({"computation": "drop_table"}, "Choose one of the computations offered."),
    ({"code": "EG 6/14"}, "Use only letters, digits, dots, hyphens and underscores."),
    ({"code": "X" * 33}, "Field cannot be longer than 32 characters."),
    ({"disaggregations": ["sex", "religion"]}, "Choose disaggregations from the list."),
    ({"computation": "completion_rate", "baseline": "120"}, "A percentage is between 0 and 100."),
])
def test_a_new_indicator_is_refused_with_a_message_and_nothing_written(client, auth, changes, message):
    auth.login_as("admin")
    count = Indicator.select().count()
    response = client.post("/indicators/new", data=indicator_form(**changes))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert Indicator.select().count() == count and events("indicator.create") == []


def test_a_code_taken_by_another_indicator_is_refused_on_edit(client, auth):
    auth.login_as("admin")
    custom = indicator("CUSTOM-1")
    response = client.post(f"/indicators/{custom.id}", data=indicator_form(code="EG.6-14", title=custom.title))
    assert "An indicator with the code EG.6-14 exists." in response.get_data(as_text=True)
    assert indicator("CUSTOM-1").title == custom.title and events("indicator.update") == []


def test_the_service_refuses_an_unknown_computation(app_ctx):
    values = {"code": "TEST-1", "title": "T", "definition": "", "computation": "nope", "disaggregations": [],
              "baseline": None, "position": 1, "active": True}
    with pytest.raises(admin_services.IndicatorError) as refused:
        admin_services.save_indicator(None, values, None)
    assert refused.value.field == "computation" and not Indicator.select().where(Indicator.code == "TEST-1").exists()


def test_a_percent_target_is_typed_in_percent_and_kept_as_a_fraction(client, auth):
    auth.login_as("admin")
    eg = indicator("EG.6-14")
    assert client.post(f"/indicators/{eg.id}/targets", data=target_form(value="80")).location == f"/indicators/{eg.id}"
    assert IndicatorTarget.get(IndicatorTarget.indicator == eg).target == Decimal("0.8")
    client.post(f"/indicators/{eg.id}/targets", data=target_form(value="85.5"))
    [row] = IndicatorTarget.select().where(IndicatorTarget.indicator == eg)
    assert (row.fiscal_year, row.quarter, row.target) == (2026, 0, Decimal("0.855"))
    assert target_of(eg, fiscal_year(2026, 10)) == 0.855  # what the report shows against its value
    assert "85.5%" in client.get(f"/indicators/{eg.id}").get_data(as_text=True)
    client.post(f"/indicators/{eg.id}/targets/{row.id}/remove")
    assert not IndicatorTarget.select().exists()
    assert events("indicator.target") == [
        {"fiscal_year": 2026, "quarter": 0, "target": [None, "0.8000"]},
        {"fiscal_year": 2026, "quarter": 0, "target": ["0.8000", "0.8550"]},
        {"fiscal_year": 2026, "quarter": 0, "target": ["0.8550", None]}]


def test_a_count_target_is_kept_as_the_number(client, auth):
    auth.login_as("admin")
    custom = indicator("CUSTOM-1")
    client.post(f"/indicators/{custom.id}/targets", data=target_form(quarter="2", value="150"))
    row = IndicatorTarget.get(IndicatorTarget.indicator == custom)
    assert (row.fiscal_year, row.quarter, row.target) == (2026, 2, Decimal(150))
    assert target_of(custom, fiscal_quarter(2026, 2, 10)) == 150


@pytest.mark.parametrize("data, message", [
    (target_form(year="1999"), "The fiscal year must be between 2000 and 2100."),
    (target_form(year="2101"), "The fiscal year must be between 2000 and 2100."),
    (target_form(quarter="5"), "The quarter must be 0 (the whole year) or 1 to 4."),
    (target_form(quarter="-1"), "The quarter must be 0 (the whole year) or 1 to 4."),
    (target_form(value="120"), "A percentage is between 0 and 100."),
    (target_form(value="12.345"), "Type at most 2 decimals for a percentage."),
    (target_form(value="eighty"), "Type a number, such as 80 or 1500.5."),
    (target_form(value="NaN"), "Type a number."),
])
def test_a_bad_target_is_refused_next_to_its_field(client, auth, data, message):
    auth.login_as("admin")
    eg = indicator("EG.6-14")
    response = client.post(f"/indicators/{eg.id}/targets", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page and 'value="EG.6-14"' in page
    assert not IndicatorTarget.select().exists() and events("indicator.target") == []


def test_a_target_of_another_indicator_cannot_be_removed_through_this_one(client, auth):
    auth.login_as("admin")
    eg, custom = indicator("EG.6-14"), indicator("CUSTOM-1")
    client.post(f"/indicators/{eg.id}/targets", data=target_form())
    row = IndicatorTarget.get()
    assert client.post(f"/indicators/{custom.id}/targets/{row.id}/remove").status_code == 404
    assert IndicatorTarget.select().count() == 1


def test_an_admin_sets_the_fiscal_years_first_month(client, auth, app):
    auth.login_as("admin")
    assert client.post("/indicators/fiscal-year", data={"month": "1"}).location == "/indicators/"
    assert Setting.get_value("fiscal_year_first_month", None) == "1"
    with app.app_context():
        quarter = fiscal_quarter(2026, 1)
    assert (quarter.start, quarter.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert '<option selected value="1">January</option>' in client.get("/indicators/").get_data(as_text=True)
    client.post("/indicators/fiscal-year", data={"month": "4"})
    assert events("setting.update") == [{"fiscal_year_first_month": ["10", "1"]},
                                        {"fiscal_year_first_month": ["1", "4"]}]


@pytest.mark.parametrize("month", ["0", "13", "October"])
def test_a_month_outside_1_to_12_is_refused(client, auth, month):
    auth.login_as("admin")
    response = client.post("/indicators/fiscal-year", data={"month": month})
    assert response.status_code == 200 and "Choose a month from 1 to 12." in response.get_data(as_text=True)
    assert Setting.get_value("fiscal_year_first_month", None) == "10" and events("setting.update") == []
