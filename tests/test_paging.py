"""Page numbers from the query string never break a list."""
import pytest

from registry.web.paging import MAX_PAGE


@pytest.mark.parametrize("url", ["/beneficiaries/", "/follow-ups/", "/audit/"])
@pytest.mark.parametrize("page", ["²", "١", "99999999999999999999", str(MAX_PAGE + 1), "-3", "0", "1.5", "x"])
def test_odd_page_numbers_show_the_first_page(client, auth, url, page):
    auth.login_as("admin")
    assert client.get(url, query_string={"page": page}).status_code == 200


def test_a_page_past_the_end_is_empty_not_an_error(client, auth):
    auth.login_as("admin")
    assert client.get("/beneficiaries/?page=500").status_code == 200
