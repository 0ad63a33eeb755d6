"""The participant tests' own client: an officer of Battambang on an app that runs import jobs inline."""
import pytest

from tests.conftest import make_test_config


@pytest.fixture
def officer_client(database_url, app, create_user):
    """A client of an app running import jobs inline, signed in as an officer of Battambang."""
    from registry import create_app

    create_user("officer", provinces={"02"}, username="importer")
    inline = create_app(make_test_config(database_url, IMPORT_INLINE=True))
    client = inline.test_client()
    client.post("/login", data={"username": "importer", "password": "correct horse battery"})
    return client
