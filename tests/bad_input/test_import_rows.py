"""The participant import under hostile cells: every bad cell named by row and column, nothing written
by the check, and every row the check calls good imported (none making the import fail).

Each example builds a sheet with openpyxl from one to three generated rows, uploads it, lets the
check run (inline), then confirms the import of every good row. An .xlsx cannot hold C0 control
characters (XML 1.0 forbids them; openpyxl refuses to write them), so they are left out of cells.

Inputs tried per run: 25 generated sheets (of one to three rows), and 2 sheets that once failed.
"""
import json
from datetime import datetime

import pytest
from hypothesis import currently_in_test_context, event, given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from registry.beneficiaries.import_columns import COLUMNS
from registry.beneficiaries.models import Beneficiary, ImportJob
from tests.bad_input.conftest import counts
from tests.bad_input.strategies import budget, has_control, hostile_text, hostile_value, stored_name
from tests.beneficiaries.sheets import person, sheet
from tests.beneficiaries.test_import import upload

HEADERS = [str(header) for _field, header, _required in COLUMNS]
NAME_HEADERS = {"Family name": "family_name", "Given name": "given_name", "Family name (Khmer)": "family_name_km",
                "Given name (Khmer)": "given_name_km", "Village": "village"}


def xml_text(strategy):
    """Text a cell can hold: without the control characters XML forbids."""
    return strategy.map(lambda value: ILLEGAL_CHARACTERS_RE.sub("", value))


def cell():
    """A cell's value: hostile text, a number, a date, a boolean or nothing."""
    text = xml_text(hostile_value())
    numbers = st.one_of(st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True))
    moments = st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31))
    return st.one_of(text, text, numbers, moments, st.booleans(), st.none())


def row():
    """A good row with one to three cells replaced: any cell by anything, or the names by hostile text."""
    cells = st.one_of(st.dictionaries(st.sampled_from(HEADERS), cell(), min_size=1, max_size=3),
                      st.dictionaries(st.sampled_from(list(NAME_HEADERS)), xml_text(hostile_text()), min_size=1,
                                      max_size=3))
    return cells.map(lambda changes: person(**changes))


@pytest.fixture
def inline(importer):
    """One client of an app importing inline, for every example of a test."""
    return importer()


@budget(25)
@given(rows=st.lists(row(), min_size=1, max_size=3))
def test_the_check_names_each_bad_cell_and_writes_nothing_and_good_rows_import(inline, tried, rows):
    check_and_import(inline, tried, rows)


# Rows the check called good and PostgreSQL then refused, failing the whole import.
FOUND = [[person(**{"Monthly income at registration": "1e-20000", "Income currency": "USD"})],
         [person(**{"Family name": "a" * 100, "Given name": "b" * 100}), person(**{"Given name": "\ufdfa" * 20})]]


@pytest.mark.parametrize("rows", FOUND)
def test_rows_that_once_failed_the_import_are_imported(inline, tried, rows):
    check_and_import(inline, tried, rows)


def check_and_import(client, tried, rows):
    """Upload the rows and let the check run; then import every row it calls good, which must all go in."""
    tried()
    before = counts(Beneficiary)
    job = upload(client, sheet(*rows, headers=HEADERS))
    if currently_in_test_context():
        event(f"check {job.status}")
    assert job.status in ("checked", "failed"), job.status
    assert counts(Beneficiary) == before, "the check wrote participants"
    if job.status == "failed":
        assert job.message and "could not finish" not in job.message, job.message
        return
    report = json.loads(job.report)
    assert report["rows"] == len(rows)
    for error in report["errors"]:
        assert 2 <= error["row"] <= len(rows) + 1 and error["message"]
        assert error["column"].split(" / ")[0] in HEADERS, error
    good = {row_number for row_number in range(2, len(rows) + 2)} - {e["row"] for e in report["errors"]}
    assert job.good_rows == len(good)
    if currently_in_test_context():
        event(f"{len(good)} good rows of {len(rows)}")
    if not good:
        return
    client.post(f"/beneficiaries/import/{job.id}/confirm", data={"include_duplicates": "y"})
    job = ImportJob.get_by_id(job.id)
    assert (job.status, job.imported_rows) == ("done", len(good)), job.message
    imported = list(Beneficiary.select().order_by(Beneficiary.id.desc()).limit(len(good)))[::-1]
    for number, record in zip(sorted(good), imported):
        for header, name in NAME_HEADERS.items():
            value = rows[number - 2].get(header)
            if isinstance(value, str):
                assert getattr(record, name) == stored_name(value), name
            assert not has_control(getattr(record, name)), name
