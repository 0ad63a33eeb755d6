"""Search that forgives: names with a typo in either script, phones by any six digits, the best matches first."""
import pytest
from flask_login import login_user

from registry.auth.models import User
from registry.beneficiaries import queries
from registry.beneficiaries.models import Beneficiary
from registry.beneficiaries.name_search import near_tokens
from registry.beneficiaries.phones import phone_key, phone_part
from registry.beneficiaries.services import update_beneficiary
from tests.beneficiaries.test_name_search import index_is_consistent


@pytest.fixture
def ranked(app, registrar):
    """ranked(text, user=None): the codes the list's search gives, in the list's order (best first)."""

    def search(text, user=None, **filters):
        with app.test_request_context():
            login_user(User.get_by_id((user or registrar).id))
            return [b.code for b in queries.search(text, **filters)]

    return search


@pytest.fixture
def people(create_beneficiary):
    """BR-000001 Chan Sophep, 2 Meas Sopheap, 3 សុខ សុភាព, 4 Keo Dara (012 345 678), 5 Ly Sodara (+66 81 234 0000)."""
    return [
        create_beneficiary(family_name="Chan", given_name="Sophep"),
        create_beneficiary(family_name="Meas", given_name="Sopheap"),
        create_beneficiary(family_name="", given_name="", family_name_km="សុខ", given_name_km="សុភាព"),
        create_beneficiary(family_name="Keo", given_name="Dara", phone="+85512345678"),
        create_beneficiary(family_name="Ly", given_name="Sodara", phone="+66812340000"),
    ]


@pytest.mark.parametrize("text, codes", [
    ("Sopheap", ["BR-000002", "BR-000001"]),    # as typed first, then one letter away
    ("Sophep", ["BR-000001", "BR-000002"]),     # and the reverse
    ("sopeap", ["BR-000002"]),                  # one letter from Sopheap, two from Sophep
    ("Sophep Chan", ["BR-000001"]),
    ("Sopheap Chan", ["BR-000001"]),            # the typo in one word, the other as typed
    ("Sopheap Chen", []),                       # Chen keeps no three letters of Chan in a row: not a candidate
    ("សុភព", ["BR-000003"]),                    # Khmer with a sign missing
    ("សុភាន", ["BR-000003"]),                   # Khmer with a wrong letter
    ("សុខ សុភព", ["BR-000003"]),
    ("Dara", ["BR-000004", "BR-000005"]),       # a name that begins with the word first, then one that holds it
    ("Kao", []),                                # no typo forgiven under four letters
])
def test_names_are_found_with_a_typo_in_either_script_the_closest_first(people, ranked, text, codes):
    assert ranked(text) == codes, text


@pytest.mark.parametrize("text", ["345678", "012 345 678", "012345", "12345678", "+855 12 345", "855 12 345 678",
                                  "00855 12 345 678", "(012) 345-678"])
def test_a_phone_is_found_by_any_six_digits_in_a_row(people, ranked, text):
    assert ranked(text) == ["BR-000004"], text


@pytest.mark.parametrize("text", ["812340000", "+66 81 234", "6681234"])
def test_a_phone_abroad_is_found_by_its_digits(people, ranked, text):
    assert "BR-000005" in ranked(text), text


@pytest.mark.parametrize("text", ["34567", "5678", "345 67"])
def test_fewer_than_six_digits_find_no_phone(people, ranked, text):
    assert ranked(text) == [], text


def test_a_changed_phone_is_found_by_its_new_digits_only(app, people, ranked, registrar):
    with app.app_context():
        update_beneficiary(Beneficiary.get_by_id(people[3].id), {"phone": "+85597111222"},
                           User.get_by_id(registrar.id))
        assert Beneficiary.get_by_id(people[3].id).phone_key == "097111222"
        assert index_is_consistent()
    assert ranked("111222") == ["BR-000004"] and ranked("345678") == []


def test_similar_names_and_phones_stay_within_the_officers_provinces(create_beneficiary, create_user, ranked):
    create_beneficiary(family_name="Chan", given_name="Sophep", province="02", phone="+85512345678")
    create_beneficiary(family_name="Meas", given_name="Sopheap", province="17", phone="+85512345679")
    officer = create_user(role="officer", provinces={"17"})
    assert ranked("Sophep", user=officer) == ["BR-000002"]
    assert ranked("2345678", user=officer) == []
    assert ranked("234567", user=officer) == ["BR-000002"]


def test_filters_narrow_the_similar_names_too(people, ranked):
    assert ranked("Sopheap", status="archived") == []
    assert ranked("Sopheap", province="17") == []


@pytest.mark.parametrize("key, word, edits, near", [
    ("chan sophep", "sopheap", 1, 1), ("chan sophep", "sopheap", 0, 0), ("chan sophep", "chen", 1, 1),
    ("", "sopheap", 1, 0), (None, "sopheap", 1, 0), ("sopheap", "spohaep", 2, 0), ("sopheap", "sopehap", 2, 1),
    ("សុខ សុភាព", "សុភព", 1, 1),
])
def test_near_tokens_counts_levenshtein_edits_per_token(key, word, edits, near):
    assert near_tokens(key, word, edits) == near


@pytest.mark.parametrize("e164, key", [("+85512345678", "012345678"), ("+66812345678", "66812345678"), ("", ""),
                                       (None, "")])
def test_phone_key_is_the_number_as_dialled_at_home(e164, key):
    assert phone_key(e164) == key


@pytest.mark.parametrize("text, part", [
    ("345678", "345678"), ("012 345 678", "012345678"), ("+855 12 345 678", "012345678"), ("+855 12 345", "012345"),
    ("+85512", ""),
    ("855 12 345 678", "012345678"), ("855123", "855123"), ("00855 12 345 678", "012345678"), ("+66 81 234", "6681234"),
    ("12345", ""), ("Sok 123456", ""), ("BR-000123", ""), ("", ""), ("1" * 60, "1" * 60),
])
def test_phone_part_reads_digits_as_typed(text, part):
    assert phone_part(text) == part
