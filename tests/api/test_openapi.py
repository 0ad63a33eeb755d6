"""The OpenAPI document: it covers every API route, renders as a page, and every answer conforms to it."""
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from registry.api.openapi import document


def _api_routes(app):
    """{(METHOD, /path/{param})} of the app's API routes."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
            routes |= {(method, path) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_the_document_describes_every_api_route_and_nothing_else(app):
    documented = {(method.upper(), path) for path, ops in document()["paths"].items() for method in ops}
    assert documented == _api_routes(app)


def test_the_document_is_served_without_a_token(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json()["openapi"].startswith("3.")


def test_the_page_renders_the_document_with_no_outside_assets(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "POST /api/v1/beneficiaries" in page and "allow_duplicate" in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)


@pytest.fixture
def admin_headers(api, create_beneficiary, create_cohort, enroll):
    """An admin's token, with a participant, a cohort with a session and an enrollment to find."""
    person = create_beneficiary()
    cohort = create_cohort(days=[])
    enroll(cohort, person)
    return api("admin").headers


schema = schemathesis.openapi.from_dict(document())


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_every_answer_conforms_to_the_document(case, app, admin_headers):
    case.call_and_validate(app=app, headers=admin_headers, checks=[
        not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance])
