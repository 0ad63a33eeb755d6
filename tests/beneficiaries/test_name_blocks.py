"""The stored block keys of a participant's names (name_blocks): computed, kept right by every writer, migrated."""
import json
from datetime import date

import pytest
from peewee import SqliteDatabase

from registry.beneficiaries import merging, services
from registry.beneficiaries.duplicates import name_blocks
from registry.beneficiaries.models import Beneficiary, BeneficiaryMerge
from registry.db import migration_runner, open_database
from tests.beneficiaries.sheets import person, sheet
from tests.beneficiaries.test_import import upload
from tests.makers import BASE, PERSON

KHMER = {"family_name_km": "សុខ", "given_name_km": "ចាន់ធី"}  # Sok Chanthy


def stored_blocks(code):
    """The name_blocks column of a participant, read again from the database."""
    return Beneficiary.get(Beneficiary.code == code).name_blocks


@pytest.mark.parametrize("names, blocks", [
    ({"given_name": "Chanthy", "family_name": "Sok"}, " scan ssok "),
    ({"given_name": "Chanthi", "family_name": "Sokh"}, " scan ssok "),  # the same first sounds
    ({"given_name": "", "family_name": "", **KHMER}, " kចា kសុ scan ssok "),  # romanised, and raw Khmer
    ({"given_name": "Dara", "family_name": "Chea"}, " scea sdar "),
    ({"given_name": "", "family_name": " - "}, ""),
])
def test_name_blocks_are_the_block_keys_between_spaces(names, blocks):
    assert name_blocks(names) == blocks


def test_register_and_edit_keep_the_blocks(officer):
    person = services.register_beneficiary(BASE, officer)
    assert stored_blocks(person.code) == " scan ssok "
    services.update_beneficiary(person, {**BASE, "family_name": "Chea", **KHMER}, officer)
    assert stored_blocks(person.code) == " kចា kសុ scan scea ssok "
    services.update_beneficiary(person, {**BASE, "given_name": "", "family_name": "", **KHMER}, officer)
    assert stored_blocks(person.code) == name_blocks(KHMER) == " kចា kសុ scan ssok "


def test_merge_and_undo_keep_the_survivors_blocks(officer):
    survivor = services.register_beneficiary({**BASE, "given_name": "", "family_name": "Sok"}, officer)
    duplicate = services.register_beneficiary({**BASE, "given_name": "", "family_name": "", **KHMER}, officer,
                                              allow_duplicate=True)
    merge = merging.merge_beneficiaries(survivor, duplicate, officer)
    assert json.loads(merge.detail)["filled"] == KHMER
    assert stored_blocks(survivor.code) == " kចា kសុ scan ssok "
    merging.undo_merge(BeneficiaryMerge.get_by_id(merge.id), officer)
    assert stored_blocks(survivor.code) == " ssok "
    assert stored_blocks(duplicate.code) == " kចា kសុ scan ssok "


def test_an_import_stores_the_blocks_of_new_and_corrected_people(officer_client, create_beneficiary):
    create_beneficiary(given_name="Dara", family_name="Chea", date_of_birth=date(1990, 1, 1), province="02")
    job = upload(officer_client, sheet(person(), {"Code": "BR-000001", "Given name": "Vuthy", "Sex": "male",
                                                  "Province": "02", "Category": "at_risk"}))
    officer_client.post(f"/beneficiaries/import/{job.id}/confirm")
    assert stored_blocks("BR-000001") == " scea svot "
    assert stored_blocks("BR-000002") == " scan ssok "


def test_the_api_stores_the_blocks_on_register_edit_and_merge(api):
    officer = api("officer")
    created = officer.post("/api/v1/beneficiaries", json=PERSON).get_json()
    assert stored_blocks(created["code"]) == " scan ssok "
    officer.patch(f"/api/v1/beneficiaries/{created['code']}", json={"family_name": "Chea"})
    assert stored_blocks(created["code"]) == " scan scea "
    other = officer.post("/api/v1/beneficiaries", json={**PERSON, "given_name": "", "family_name": "", **KHMER,
                                                        "allow_duplicate": True}).get_json()
    officer.post(f"/api/v1/beneficiaries/{created['code']}/merge", json={"duplicate": other["code"]})
    assert stored_blocks(created["code"]) == " kចា kសុ scan scea ssok "  # សុខ reads Sok


def _insert(db, number, given, family, given_km="", family_km=""):
    """A participant row as it stood before 0013, written with plain SQL."""
    db.execute_sql(
        "INSERT INTO beneficiary (code, given_name, family_name, given_name_km, family_name_km, sex, phone, district,"
        " commune, village, id_document_number, category, destination_country, sector_abroad, consent_data_use,"
        " consent_follow_up, consent_photos, status, registered_on, created_at, updated_at, latin_key, phonetic_key,"
        " khmer_key, id_number_key) VALUES (?, ?, ?, ?, ?, 'female', '', '', '', '', '', 'at_risk', '', '', ?, ?, ?,"
        " 'active', '2026-03-01', '2026-03-01', '2026-03-01', '', '', '', '')".replace(
            "?", "%s" if not isinstance(db, SqliteDatabase) else "?"),
        (f"BR-{number:06d}", given, family, given_km, family_km, False, False, False))


def test_the_migration_fills_the_blocks_of_existing_people_in_batches(fresh_database_url):
    db = open_database(fresh_database_url)
    with db.connection_context():
        runner = migration_runner(db)
        before = [m for m in runner.migrations() if m.name < "0013_name_blocks"]
        runner.up(before[-1].name)
        people = [("Chanthy", "Sok", "", ""), ("Dara", "Chea", "", ""), ("", "", "ចាន់ធី", "សុខ"), ("", "", "", "")]
        for number in range(1, 8):  # more rows than a batch, and a last batch that is not full
            _insert(db, number, *people[number % len(people)])
        migration = next(m for m in runner.migrations() if m.name == "0013_name_blocks").load()
        migration.BATCH = 3
        with db.atomic():
            migration.up(runner.migrator, db)
        stored = dict(db.execute_sql("SELECT code, name_blocks FROM beneficiary").fetchall())
        assert stored == {f"BR-{n:06d}": name_blocks(dict(zip(("given_name", "family_name", "given_name_km",
                                                                 "family_name_km"), people[n % len(people)])))
                          for n in range(1, 8)}
        assert stored["BR-000003"] == "" and stored["BR-000001"] == " scea sdar "
        _insert(db, 9, "Vuthy", "Lim")  # a writer that does not know the column gets the default
        assert db.execute_sql("SELECT name_blocks FROM beneficiary WHERE code = 'BR-000009'").fetchone() == ("",)
    db.close()
