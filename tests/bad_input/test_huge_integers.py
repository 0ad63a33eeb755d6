"""An integer past 64 bits in a filter answers 400 naming it (or is no filter a page reads), never a 500.

SQLite refuses such a number with an error instead of finding no row: /follow-ups/?program=2**63 and
?officer= answered 500. Every page and API list of the URL map gets every integer filter of the app,
with numbers just past both ends of 64 bits.
"""
import pytest

from tests.bad_input.conftest import url_of

# Every integer parameter a page or an API list reads from the query string (and some that none reads).
INT_PARAMS = ["program", "officer", "session", "enrollment", "window", "mask", "page", "per_page", "record", "cohort",
              "user", "beneficiary", "quarter", "fiscal_year", "year", "id", "other"]
HUGE = [str(2**63), str(-2**63 - 1)]  # just past both ends of SQLite's integer


def list_routes(app):
    """Every rule answering GET, but the static files."""
    return sorted((rule for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and not rule.endpoint.endswith("static")), key=lambda rule: rule.rule)


def _get(client, admin, url, args):
    if url.startswith("/api/"):
        return admin.get(url, query_string=args)
    return client.get(url, query_string=args)


@pytest.mark.parametrize("number", HUGE)
def test_no_page_or_api_list_fails_on_a_huge_integer_in_any_filter(app, world, client, auth, number):
    """All the parameters at once; where that is refused (a 400), each one alone, so that none hides another."""
    values, admin = world
    auth.login_as("admin")
    for rule in list_routes(app):
        url = url_of(rule, values)
        response = _get(client, admin, url, {name: number for name in INT_PARAMS})
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code == 400:
            for name in INT_PARAMS:
                alone = _get(client, admin, url, {name: number})
                assert alone.status_code < 500, (url, name, alone.status_code)


@pytest.mark.parametrize("name", ["program", "officer"])
@pytest.mark.parametrize("number", HUGE + ["1" + "0" * 30, "9" * 5000, "١٢", "3x"])
def test_the_follow_up_list_refuses_a_filter_that_is_no_record_number(client, auth, name, number):
    auth.login_as("officer")
    response = client.get("/follow-ups/", query_string={name: number})
    assert response.status_code == 400
    assert f"Give {name} as a record number" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/reports/", "/reports/export.xlsx", "/reports/changes", "/reports/people"])
def test_the_report_refuses_a_program_that_is_no_record_number_instead_of_dropping_it(client, auth, path):
    """A program filter dropped would show the figures of every program under the filter asked for."""
    auth.login_as("admin")
    response = client.get(path, query_string={"program": str(2**63)})
    assert response.status_code == 400 and "Give program as a record number" in response.get_data(as_text=True)


def test_an_empty_filter_is_no_filter(client, auth):
    auth.login_as("officer")
    assert client.get("/follow-ups/", query_string={"program": "", "officer": " "}).status_code == 200


@pytest.mark.parametrize("number", HUGE + ["3x"])
def test_the_api_report_refuses_a_program_that_is_no_record_number(api, number):
    response = api("admin").get("/api/v1/reports/indicators",
                                query_string={"start": "2026-01-01", "end": "2026-03-31", "program": number})
    assert response.status_code == 400 and set(response.get_json()["fields"]) == {"program"}
