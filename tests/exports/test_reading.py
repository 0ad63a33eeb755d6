"""Uploaded workbooks are read safely: bad files are refused with a code, good rows come back by header."""
import datetime
import io
import os
import zipfile

import pytest
from openpyxl import Workbook

from exports.import_template import build_import_template
from exports.lists import write_list
from exports.reading import UploadError, parse_date, read_rows

REQUIRED = ["Name", "Sex"]
KNOWN = ["Province", "Born on"]


def xlsx(*rows, title="Participants"):
    """An .xlsx file holding rows; an empty tuple leaves a blank row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload_error(data, **options):
    """The UploadError read_rows raises for data."""
    with pytest.raises(UploadError) as caught:
        read_rows(data, options.pop("required", REQUIRED), KNOWN, **options)
    return caught.value


def test_reads_rows_by_header_with_spreadsheet_row_numbers():
    data = xlsx(["Name", "Sex", "Province", "Born on"],
                ["  សុខ ចាន់ធី ", "F", "02 Battambang", datetime.datetime(1998, 4, 13)],
                ["Dara", "M", "", 35000])
    headers, rows = read_rows(data, REQUIRED, KNOWN)
    assert headers == ["Name", "Sex", "Province", "Born on"]
    assert rows == [
        (2, {"Name": "សុខ ចាន់ធី", "Sex": "F", "Province": "02 Battambang",
             "Born on": datetime.datetime(1998, 4, 13)}),
        (3, {"Name": "Dara", "Sex": "M", "Province": None, "Born on": 35000}),
    ]


@pytest.mark.parametrize("name, sex", [("name", "SEX"), ("  Name ", "S e x"), ("NAME", "sex\u200b")])
def test_headers_match_whatever_their_case_and_spacing(name, sex):
    headers, rows = read_rows(xlsx([name, sex], ["Sok", "F"]), REQUIRED, KNOWN)
    assert headers == ["Name", "Sex"]
    assert rows == [(2, {"Name": "Sok", "Sex": "F", "Province": None, "Born on": None})]


def test_unknown_columns_are_ignored_but_listed():
    data = xlsx(["Name", "Comments", "Sex", None], ["Sok", "kind", "F", "x"])
    headers, rows = read_rows(data, REQUIRED, KNOWN)
    assert headers == ["Name", "Comments", "Sex"]
    assert "Comments" not in rows[0][1]


def test_missing_required_column_is_named():
    error = upload_error(xlsx(["Name", "Province"], ["Sok", "01 Banteay Meanchey"]))
    assert error.code == "missing_columns"
    assert error.params == {"columns": ["Sex"]}
    assert "Sex" in str(error)


def test_empty_rows_are_skipped_and_row_numbers_stay_right():
    data = xlsx((), ["Name", "Sex"], ["Sok", "F"], (), ["  ", None], ["Dara", "M"])
    _headers, rows = read_rows(data, REQUIRED)
    assert [(number, row["Name"]) for number, row in rows] == [(3, "Sok"), (6, "Dara")]


def test_only_headers_is_empty():
    assert upload_error(xlsx(["Name", "Sex"], (), [None, " "])).code == "empty"


def test_blank_sheet_is_empty():
    assert upload_error(xlsx()).code == "empty"


def test_too_many_rows_are_refused():
    data = xlsx(["Name", "Sex"], *[[f"P{n}", "F"] for n in range(11)])
    error = upload_error(data, max_rows=10)
    assert error.code == "too_many_rows" and error.params == {"limit": 10}
    assert len(read_rows(data, REQUIRED, max_rows=11)[1]) == 11


def test_named_sheet_is_read_else_the_first():
    workbook = Workbook()
    workbook.active.title = "Notes"
    workbook.active.append(["Bring the sign-in sheet back to the office."])
    workbook.create_sheet("Sign-in").append(["Name", "Sex"])
    workbook["Sign-in"].append(["Sok", "F"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_rows(buffer.getvalue(), REQUIRED, sheet_name="sign-in")[1][0][1]["Name"] == "Sok"
    assert upload_error(buffer.getvalue(), sheet_name="Missing").code == "missing_columns"


def test_rows_past_a_wrong_sheet_size_are_still_read():
    original = xlsx(["Name", "Sex"], ["Sok", "F"], ["Dara", "M"], ["Vanna", "F"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b'<dimension ref="A1:B4"', b'<dimension ref="A1:A2"')
            target.writestr(item, content)
    _headers, rows = read_rows(buffer.getvalue(), REQUIRED)
    assert [row["Name"] for _number, row in rows] == ["Sok", "Dara", "Vanna"]
    assert rows[-1] == (4, {"Name": "Vanna", "Sex": "F"})


def test_formulas_are_not_evaluated():
    _headers, rows = read_rows(xlsx(["Name", "Sex"], ["=1+2", "F"]), REQUIRED)
    assert rows[0][1]["Name"] is None  # no cached value: openpyxl computes nothing


def test_random_bytes_are_not_xlsx():
    assert upload_error(os.urandom(2048)).code == "not_xlsx"


def test_a_zip_that_is_not_a_workbook_is_not_xlsx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("report.docx.xml", "<w/>")
    assert upload_error(buffer.getvalue()).code == "not_xlsx"


def test_a_broken_workbook_is_not_xlsx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not a workbook")
    assert upload_error(buffer.getvalue()).code == "not_xlsx"


def zip_of_zeros(size):
    """A zip claiming to be a workbook with one entry of `size` zero bytes, written in chunks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            chunk = bytes(1024 * 1024)
            for _ in range(size // len(chunk)):
                entry.write(chunk)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_parsing():
    data = zip_of_zeros(150 * 1024 * 1024)
    assert len(data) < 1024 * 1024
    assert upload_error(data).code == "zip_bomb"


def test_a_small_entry_that_compresses_too_well_is_refused():
    assert upload_error(zip_of_zeros(2 * 1024 * 1024)).code == "zip_bomb"


def test_total_uncompressed_size_is_limited():
    assert upload_error(xlsx(["Name", "Sex"], ["Sok", "F"]), max_uncompressed=1000).code == "zip_bomb"


def test_file_size_is_limited():
    data = xlsx(["Name", "Sex"], ["Sok", "F"])
    error = upload_error(data, max_bytes=100)
    assert error.code == "too_large"
    assert error.params == {"limit": 100, "limit_mb": 0, "size": len(data)}
    assert upload_error(bytes(10 * 1024 * 1024 + 1)).code == "too_large"  # 10 MB by default


def test_reads_back_a_list_we_exported():
    buffer = io.BytesIO()
    write_list(buffer, "Participants", ["Name", "Sex"], iter([["=cmd", "F"], ["Sok", None]]))
    _headers, rows = read_rows(buffer.getvalue(), REQUIRED)
    assert rows == [(2, {"Name": "=cmd", "Sex": "F"}), (3, {"Name": "Sok", "Sex": None})]


def test_reads_a_filled_import_template():
    buffer = io.BytesIO()
    columns = [("Name", 20, True, None), ("Sex", 6, True, None), ("Province", 20, False, None)]
    build_import_template(buffer, columns, {"Sex": ["F", "M"]}, ["Fill it in."],
                          example_row=["Sok", "F", None])
    headers, rows = read_rows(buffer.getvalue(), REQUIRED, KNOWN, sheet_name="Participants")
    assert headers == ["Name", "Sex", "Province"]
    assert rows == [(2, {"Name": "Sok", "Sex": "F", "Province": None, "Born on": None})]


def test_upload_error_has_code_params_and_english_text():
    error = UploadError("too_many_rows", limit=20000)
    assert (error.code, error.params) == ("too_many_rows", {"limit": 20000})
    assert str(error) == "The sheet has more than 20000 rows."
    missing = UploadError("missing_columns", columns=["Name", "Sex"])
    assert str(missing) == "Required columns are missing: Name, Sex."


def test_upload_error_text_survives_unexpected_params():
    assert "too_large" in str(UploadError("too_large", limit=5))


@pytest.mark.parametrize("value, expected", [
    (datetime.date(2026, 3, 1), datetime.date(2026, 3, 1)),
    (datetime.datetime(2026, 3, 1, 9, 30), datetime.date(2026, 3, 1)),
    (45352, datetime.date(2024, 3, 1)),
    (45352.75, datetime.date(2024, 3, 1)),
    ("2026-03-01", datetime.date(2026, 3, 1)),
    ("2026/03/01", datetime.date(2026, 3, 1)),
    ("01/03/2026", datetime.date(2026, 3, 1)),
    ("1/3/2026", datetime.date(2026, 3, 1)),
    ("01-03-2026", datetime.date(2026, 3, 1)),
    (" 13/04/1998 ", datetime.date(1998, 4, 13)),
    ("០១/០៣/២០២៦", datetime.date(2026, 3, 1)),
])
def test_parse_date_accepts(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", [
    "13/13/2026", "31/02/2026", "yesterday", "", "2026-03", "01/03/26", "01/03-2026", "2026-03-01T00:00",
    None, True, 0, -1, 1990, 2026, 10 ** 9, float("nan"), float("inf"), [2026, 3, 1],
])
def test_parse_date_rejects(value):
    with pytest.raises(ValueError):
        parse_date(value)
