"""The name search behind the participant list: what it finds, and that its index follows every writer."""
from datetime import date

import pytest
from flask_login import login_user
from peewee import SqliteDatabase

from registry.auth.models import User
from registry.beneficiaries import queries
from registry.beneficiaries.duplicates import search_keys
from registry.beneficiaries.merging import merge_beneficiaries, undo_merge
from registry.beneficiaries.models import Beneficiary, format_code
from registry.beneficiaries.name_search import NameIndex
from registry.beneficiaries.services import archive_beneficiary, update_beneficiary
from registry.db import database
from registry.synthetic.register import insert_values
from tests.makers import BASE

TRIGGERS = {"beneficiary_fts_insert", "beneficiary_fts_update", "beneficiary_fts_delete"}


@pytest.fixture
def found(app, registrar):
    """found(text, **filters): the codes the list's search gives an officer of every province, oldest first."""

    def search(text, **filters):
        with app.test_request_context():
            login_user(User.get_by_id(registrar.id))
            return sorted(b.code for b in queries.search(text, **filters))

    return search


@pytest.fixture
def people(create_beneficiary):
    """Sok Chanthy (Latin and Khmer), Chea Dara (Latin only), ស្រី នាង (Khmer only), Ly Pisey; BR-000001 to 4."""
    return [
        create_beneficiary(family_name="Sok", given_name="Chanthy", family_name_km="សុខ", given_name_km="ចាន់ធី",
                           phone="+85512345678", id_document_type="national_id", id_document_number="0123 4567"),
        create_beneficiary(family_name="Chea", given_name="Dara", date_of_birth=date(1990, 1, 1)),
        create_beneficiary(family_name="", given_name="", family_name_km="ស្រី", given_name_km="នាង"),
        create_beneficiary(family_name="Ly", given_name="Pisey", date_of_birth=date(1985, 5, 5)),
    ]


def index_is_consistent():
    """On SQLite, FTS5's own check that its index holds exactly the keys in beneficiary (else it raises)."""
    if isinstance(database.obj, SqliteDatabase):
        database.execute_sql(f"INSERT INTO {NameIndex._meta.table_name} ({NameIndex._meta.table_name}, rank) "
                             "VALUES ('integrity-check', 1)")
    return True


@pytest.mark.parametrize("text, codes", [
    ("chanthy", ["BR-000001"]),
    ("Sok Chanthy", ["BR-000001"]),
    ("chanthy sok", ["BR-000001"]),            # any order
    ("SOK   chanthy", ["BR-000001"]),          # case and spacing
    ("hanth", ["BR-000001"]),                  # part of a word
    ("dara", ["BR-000002"]),
    ("sok dara", []),                          # every word must be in the name
    ("chanthy pisey", []),
    ("សុខ", ["BR-000001"]),                    # Khmer
    ("ចាន់ធី សុខ", ["BR-000001"]),
    ("នាង", ["BR-000003"]),
    ("ស្រី នាង", ["BR-000003"]),
    ("នាង សុខ", []),
    ("Ly", ["BR-000004"]),                     # words too short for a trigram index
    ("ly pisey", ["BR-000004"]),
    ("y", ["BR-000001", "BR-000004"]),
    ("a", ["BR-000001", "BR-000002"]),
    ("ch d", ["BR-000002"]),
    ("Sók", ["BR-000001"]),                    # accents folded as the latin key folds them
    ("Chan-thy", ["BR-000001"]),               # separators too
    ('"sok" OR dara', []),                     # no FTS5 query syntax gets through
    ("sok*", ["BR-000001"]),
    ("NEAR(sok chanthy)", []),
])
def test_every_word_is_found_in_either_script_in_any_order(people, found, text, codes):
    assert found(text) == codes, text


def test_a_khmer_name_typed_in_the_latin_boxes_is_found_by_its_longer_words(create_beneficiary, found):
    # Its latin key keeps the consonants alone (ចនធ សខ). A word's consonants are looked for there only
    # when there are three or more: two (សុខ) are left to the Khmer key, which a trigram index can serve.
    create_beneficiary(family_name="សុខ", given_name="ចាន់ធី")
    assert found("ចាន់ធី") == ["BR-000001"]
    assert found("សុខ") == []


@pytest.mark.parametrize("text", ["BR-000001", "br-000001", "012 345 678", "+85512345678", "01234567", "0123-4567"])
def test_code_phone_and_id_number_still_find_the_person(people, found, text):
    assert found(text) == ["BR-000001"], text


def test_filters_still_narrow_a_name_search(people, found):
    assert found("a", sex="female") == ["BR-000001", "BR-000002"]
    assert found("a", province="17") == []
    assert found("a", age_band="30+", today=date(2026, 3, 1)) == ["BR-000002"]


def test_an_officer_finds_only_people_in_their_provinces(client, auth, create_beneficiary):
    create_beneficiary(family_name="Sok", given_name="Chanthy", province="02")
    create_beneficiary(family_name="Sok", given_name="Chanthy", province="17")
    auth.login_as("officer", provinces={"17"})
    page = client.get("/beneficiaries/?q=sok+chanthy").get_data(as_text=True)
    assert "BR-000002" in page and "BR-000001" not in page


def test_a_renamed_person_is_found_by_the_new_name_only(app, people, found, registrar):
    with app.app_context():
        update_beneficiary(Beneficiary.get_by_id(people[1].id),
                           {"family_name": "Meas", "given_name": "Sophal", "given_name_km": "សុផល"},
                           User.get_by_id(registrar.id))
        assert index_is_consistent()
    assert found("sophal meas") == found("សុផល") == ["BR-000002"]
    assert found("dara") == found("chea") == []


def test_rows_written_by_plain_sql_are_indexed(app, people, found):
    values = {**BASE, "family_name": "Keo", "given_name": "Sreymom", "province": None}
    defaults = {f.name: f.default for f in Beneficiary._meta.sorted_fields if f.default is not None
                and not callable(f.default)}  # peewee's defaults, which the table does not have
    row = {**defaults, **values, **search_keys(values), "code": format_code(90), "created_at": date(2026, 3, 1),
           "updated_at": date(2026, 3, 1)}
    row = {name: value for name, value in row.items() if name in Beneficiary._meta.columns}
    with app.app_context():
        marks = ", ".join([database.param] * len(row))
        database.execute_sql(f"INSERT INTO beneficiary ({', '.join(row)}) VALUES ({marks})", list(row.values()))
        assert found("sreymom keo") == ["BR-000090"]
        database.execute_sql("UPDATE beneficiary SET latin_key = 'keo sreyneang' WHERE code = " + database.param,
                             [format_code(90)])
        assert found("sreyneang") == ["BR-000090"] and found("sreymom") == []
        database.execute_sql("DELETE FROM beneficiary WHERE code = " + database.param, [format_code(90)])
        assert found("keo") == []
        assert index_is_consistent()


def test_rows_of_the_bulk_loader_are_indexed(app, people, found, registrar):
    with app.app_context():
        records = [{**BASE, "family_name": "Nuon", "given_name": name, "family_name_km": "នួន"}
                   for name in ("Vanna", "Rithy", "Vannak")]
        assert insert_values(records, registrar.id) == 3
        assert index_is_consistent()
    assert found("nuon vanna") == ["BR-000005", "BR-000007"]
    assert found("នួន") == ["BR-000005", "BR-000006", "BR-000007"]


def test_an_archived_person_is_still_found_and_a_merged_one_is_not(app, people, found, registrar,
                                                                   create_beneficiary):
    twin = create_beneficiary(family_name="Sok", given_name="Chanthi", family_name_km="សុខ")
    with app.app_context():
        user = User.get_by_id(registrar.id)
        archive_beneficiary(Beneficiary.get_by_id(people[3].id), user)
        assert found("pisey") == ["BR-000004"] and found("pisey", status="active") == []
        merge = merge_beneficiaries(Beneficiary.get_by_id(people[0].id), Beneficiary.get_by_id(twin.id), user)
        assert index_is_consistent()
        # Chanthy is one letter from "chanthi" (search forgives it); the merged Chanthi is not listed.
        assert found("chanthi") == ["BR-000001"] and found("sok") == ["BR-000001"]
        undo_merge(merge, user)
        assert index_is_consistent()
    assert found("chanthi") == ["BR-000001", "BR-000005"] and found("sok") == ["BR-000001", "BR-000005"]


def test_the_list_page_finds_by_name_over_http(client, auth, people):
    auth.login_as("officer")
    page = client.get("/beneficiaries/?q=%E1%9E%9F%E1%9F%92%E1%9E%9A%E1%9E%B8").get_data(as_text=True)  # ស្រី
    assert "BR-000003" in page and "BR-000001" not in page


def test_the_index_and_its_triggers_are_made_by_the_migrations(app):
    db = database.obj
    database.connect(reuse_if_open=True)
    if isinstance(db, SqliteDatabase):
        # A later migration that rebuilds beneficiary (peewee does for some column changes on SQLite)
        # drops its triggers: this says so before the index silently goes stale.
        names = {name for (name,) in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                                    "AND tbl_name = 'beneficiary'")}
        assert TRIGGERS <= names
    else:
        indexes = {index.name for index in db.get_indexes("beneficiary")}
        assert {"beneficiary_latin_key_trgm", "beneficiary_khmer_key_trgm"} <= indexes
