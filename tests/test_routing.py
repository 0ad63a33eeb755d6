"""Record ids in URLs: a number no table can hold is no match (404) for every method, never a 405 or a 500."""
import random
import re

import pytest

from registry.web.routing import MAX_ID, digits_at_most


@pytest.mark.parametrize("n", [0, 7, 10, 25, 100, 2019, MAX_ID])
def test_digits_at_most_matches_exactly_the_numbers_up_to_n(n):
    pattern = re.compile(f"(?:{digits_at_most(n)})")
    rng = random.Random(n)
    numbers = list(range(0, 300)) + [n - 1, n, n + 1, 10 * n + 9] + [rng.randrange(20 * n + 20) for _ in range(2000)]
    wrong = [x for x in numbers if x >= 0 and bool(pattern.fullmatch(str(x))) != (x <= n)]
    assert not wrong


@pytest.mark.parametrize("number", [MAX_ID + 1, 9_999_999_999, 37444491162886176768])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_record_id_too_large_for_the_database_is_404_whatever_the_method(client, create_user, bearer, method,
                                                                          number):
    # POST used to be 405: werkzeug matched the path, refused the number, and remembered the GET of the same path.
    response = client.open(f"/api/v1/cohorts/{number}/enrollments", method=method, json={},
                           headers=bearer(create_user("admin")))
    assert response.status_code == 404
