"""The dashboard's figures are computed once per state of the data, and never outlive a change."""
from datetime import date

from registry.audit.models import AuditEvent
from registry.dashboard.cache import Kept, data_state
from tests.test_query_counts import counted


def registered_tile(client):
    """The number on the "Registered" tile of the home page."""
    page = client.get("/").get_data(as_text=True)
    tile = page.split('data-tile="registered"', 1)[1] if 'data-tile="registered"' in page else page
    return page, tile


def statements(client):
    with counted() as calls:
        assert client.get("/").status_code == 200
    return len(calls)


def test_a_second_visit_reuses_the_figures_and_a_change_refreshes_them(client, auth, create_beneficiary):
    create_beneficiary(given_name="Dara", date_of_birth=date(1990, 1, 1))
    auth.login_as("officer")
    first = statements(client)
    again = statements(client)
    assert again < first  # the figures were kept
    before = client.get("/").get_data(as_text=True)
    create_beneficiary(given_name="Sokha", date_of_birth=date(1991, 1, 1))  # audited: the state changes
    assert statements(client) == first
    assert client.get("/").get_data(as_text=True) != before


def test_users_of_other_provinces_never_get_figures_kept_for_another_scope(client, auth, create_beneficiary):
    for n in range(3):
        create_beneficiary(given_name=f"Person{n}", date_of_birth=date(1990, 1, n + 1), province="02")
    auth.login_as("officer", provinces={"02"})
    mine = client.get("/").get_data(as_text=True)
    client.post("/logout")
    auth.login_as("officer", provinces={"17"}, username="outsider")
    theirs = client.get("/").get_data(as_text=True)
    assert "Person0" not in theirs
    assert theirs != mine


def test_the_state_of_the_data_follows_the_audit_chain(app_ctx, create_beneficiary):
    empty = data_state()
    create_beneficiary(given_name="Dara")
    after = data_state()
    assert after != empty and after[1] == AuditEvent.select().order_by(AuditEvent.id.desc()).first().id


def test_the_store_keeps_the_most_recently_used():
    store, computed = Kept(size=2), []

    def compute(value):
        return lambda: computed.append(value) or value

    assert store.get("a", compute("a")) == "a"
    assert store.get("b", compute("b")) == "b"
    assert store.get("a", compute("a2")) == "a"  # kept
    store.get("c", compute("c"))  # drops b, the least recently used
    assert store.get("b", compute("b2")) == "b2"
    assert computed == ["a", "b", "c", "b2"]
