"""The list's results alone, fetched as one types: who may fetch them, what they show, the audit, bad input."""
import json

import pytest

from registry.audit.models import AuditEvent


@pytest.fixture
def people(create_beneficiary):
    """BR-000001 Chan Sophep (012 345 678), BR-000002 Meas Sopheap in province 17."""
    return [create_beneficiary(family_name="Chan", given_name="Sophep", phone="+85512345678"),
            create_beneficiary(family_name="Meas", given_name="Sopheap", province="17")]


def test_the_results_of_a_similar_name_come_alone_without_the_page_around_them(client, auth, people):
    auth.login_as("officer")
    answer = client.get("/beneficiaries/search?q=Sopheap")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "<html" not in text and "<form" not in text
    assert text.index("BR-000002") < text.index("BR-000001")  # as typed first, then the similar one
    assert "2 participants" in text


def test_the_results_are_audited_like_the_list(app, client, auth, people):
    auth.login_as("officer")
    client.get("/beneficiaries/search?q=345678")
    with app.app_context():
        event = AuditEvent.select().where(AuditEvent.action == "beneficiary.list").order_by(AuditEvent.id.desc()).get()
    detail = json.loads(event.detail)
    assert detail["shown"] == ["BR-000001"] and detail["via"] == "search_as_you_type"
    assert detail["filters"] == {"text": "345678"}


def test_the_pages_of_the_results_link_to_the_list_itself(client, auth, create_beneficiary):
    for number in range(51):
        create_beneficiary(family_name="Sok", given_name=f"Dara{number}")
    auth.login_as("officer")
    text = client.get("/beneficiaries/search?q=dara").get_data(as_text=True)
    assert 'href="/beneficiaries/?q=dara&amp;page=2"' in text and "/beneficiaries/search?" not in text


def test_the_results_keep_to_the_officers_provinces(client, auth, people):
    auth.login_as("officer", provinces={"02"})
    text = client.get("/beneficiaries/search?q=Sophep").get_data(as_text=True)
    assert "BR-000001" in text and "BR-000002" not in text


@pytest.mark.parametrize("role", ["manager", "trainer"])
def test_only_officers_and_admins_fetch_the_results(client, auth, people, role):
    auth.login_as(role)
    assert client.get("/beneficiaries/search?q=Sopheap").status_code == 403


def test_signed_out_the_results_send_to_the_sign_in_page(client, people):
    answer = client.get("/beneficiaries/search?q=Sopheap")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


@pytest.mark.parametrize("url", ["/beneficiaries/search", "/beneficiaries/"])
def test_a_search_too_long_is_named_and_filters_nothing(client, auth, people, url):
    auth.login_as("officer")
    answer = client.get(url, query_string={"q": "Sopheap " * 200})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "100 characters" in text


@pytest.mark.parametrize("query", ["q=%ED%A0%80", "q=Soph%ED%A0%80ep", "q=%F0%9F%98%80%F0%9F%98%80%F0%9F%98%80",
                                   "q=%22%22%22%22", "q=*****", "q=____", "q=%25%25%25%25", "q=latin_key+:+sok"])
def test_odd_characters_are_searched_as_text(client, auth, people, query):
    auth.login_as("officer")
    for url in ("/beneficiaries/search", "/beneficiaries/"):
        assert client.get(url + "?" + query).status_code == 200, (url, query)


def test_a_nul_in_the_search_is_refused_by_name(client, auth, people):
    auth.login_as("officer")
    assert client.get("/beneficiaries/search?q=Soph%00ep").status_code == 400  # registry/web/input_guard.py


@pytest.mark.parametrize("digits, found", [("345678", True), ("0123456789012345", False), ("12", False),
                                           ("000000", False)])
def test_digits_alone_search_the_phones(client, auth, people, digits, found):
    auth.login_as("officer")
    text = client.get(f"/beneficiaries/search?q={digits}").get_data(as_text=True)
    assert ("BR-000001" in text) is found, digits
