"""API test helpers: a client that sends a user's bearer token, and the makers of the other features."""
import pytest

from registry.api.tokens import create_token
from tests.beneficiaries.conftest import create_beneficiary, registrar  # noqa: F401  (fixtures used here)
from tests.programs.conftest import create_cohort, create_program, enroll  # noqa: F401


class ApiClient:
    """The test client with `Authorization: Bearer <token>` on every request."""

    def __init__(self, client, token, user):
        self.client, self.token, self.user = client, token, user
        self.headers = {"Authorization": f"Bearer {token}"}

    def _send(self, method, path, **kwargs):
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self._send("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self._send("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self._send("PATCH", path, **kwargs)

    def put(self, path, **kwargs):
        return self._send("PUT", path, **kwargs)


@pytest.fixture
def api(app, client, create_user):
    """api(role="officer", provinces=None, **account) → an ApiClient acting as a new account of the role."""

    def make(role="officer", provinces=None, **kwargs):
        user = create_user(role, provinces, **kwargs)
        with app.app_context():
            token, _record = create_token(user, "tests")
        return ApiClient(client, token, user)

    return make


PERSON = {"given_name": "Chanthy", "family_name": "Sok", "sex": "female", "date_of_birth": "2001-03-15",
          "province": "02", "category": "at_risk", "consent_data_use": True, "consent_on": "2026-03-01"}
