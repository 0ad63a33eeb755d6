"""Lists are streamed to a workbook: values survive the round trip and text never becomes a formula."""
import datetime
import io

import pytest
from openpyxl import load_workbook

from exports.lists import CELL_TEXT_MAX, SECONDS_FORMAT, sheet_title, write_list

HEADERS = ["Name", "Born on", "Phone", "Note"]


def written(rows, **options):
    """Write rows with write_list and load the result back with openpyxl."""
    buffer = io.BytesIO()
    count = write_list(buffer, options.pop("title", "Participants"), options.pop("headers", HEADERS),
                       rows, **options)
    buffer.seek(0)
    return count, load_workbook(buffer)


def test_values_come_back_as_written():
    count, workbook = written([
        ["សុខ ចាន់ធី", datetime.date(1998, 4, 13), "012 345 678", None],
        ["Dara", None, 855123456, 2.5],
    ])
    sheet = workbook.active
    assert count == 2
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet["A2"].value == "សុខ ចាន់ធី"
    assert sheet["B2"].value == datetime.datetime(1998, 4, 13)
    assert sheet["B2"].is_date and sheet["B2"].number_format == "yyyy-mm-dd"
    assert sheet["C2"].value == "012 345 678"
    assert sheet["D2"].value is None and sheet["B3"].value is None
    assert sheet["C3"].value == 855123456 and sheet["D3"].value == 2.5


@pytest.mark.parametrize("text", ["=1+2", "@SUM(A1)", "-5", "+855 12 345 678", '=HYPERLINK("http://x")'])
def test_formula_like_text_stays_text(text):
    _count, workbook = written([[text, None, None, None]])
    cell = workbook.active["A2"]
    assert cell.value == text
    assert cell.data_type == "s"


def test_header_is_bold_frozen_and_columns_have_widths():
    _count, workbook = written([], column_widths=[30, 12, None, 40])
    sheet = workbook.active
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 30
    assert sheet.column_dimensions["D"].width == 40


def test_header_can_be_left_unfrozen():
    _count, workbook = written([], freeze=False)
    assert workbook.active.freeze_panes is None


def test_date_columns_show_timestamps_as_dates():
    at = datetime.datetime(2026, 3, 1, 14, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    _count, workbook = written([[at, at]], headers=["Registered", "Registered at"], date_columns=[0])
    sheet = workbook.active
    assert sheet["A2"].number_format == "yyyy-mm-dd"
    assert sheet["B2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["B2"].value == datetime.datetime(2026, 3, 1, 14, 30)  # wall-clock time kept


def test_a_log_shows_timestamps_to_the_second():
    at = datetime.datetime(2026, 3, 1, 14, 30, 5)
    _count, workbook = written([[at]], headers=["At"], datetime_format=SECONDS_FORMAT)
    assert workbook.active["A2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert workbook.active["A2"].value == at


def test_text_longer_than_a_cell_takes_is_cut_with_an_ellipsis():
    _count, workbook = written([["a" * (CELL_TEXT_MAX + 10), "=b" * CELL_TEXT_MAX]], headers=["Detail", "Formula"])
    detail, formula = workbook.active["A2"].value, workbook.active["B2"].value
    assert (len(detail), detail[-1], len(formula), formula[:2]) == (CELL_TEXT_MAX, "…", CELL_TEXT_MAX, "=b")


def test_control_characters_are_dropped_instead_of_failing_the_export():
    _count, workbook = written([["Sok\x0bha\x00", None, None, None]])
    assert workbook.active["A2"].value == "Sokha"


def test_formula_like_text_with_control_characters_is_cleaned_and_kept_as_text():
    _count, workbook = written([["=1+2\x0b", "\x00@SUM(A1)", None, None]])
    sheet = workbook.active
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("=1+2", "s")
    assert (sheet["B2"].value, sheet["B2"].data_type) == ("@SUM(A1)", "s")


def test_a_row_longer_than_the_headers_is_written_whole():
    at = datetime.datetime(2026, 3, 1, 14, 30)
    _count, workbook = written([["Sok", at, "x", "y", "=extra", at]], headers=["Name", "Registered"], date_columns=[1])
    sheet = workbook.active
    assert [cell.value for cell in sheet[2]] == ["Sok", at, "x", "y", "=extra", at]
    assert sheet["E2"].data_type == "s"
    assert sheet["B2"].number_format == "yyyy-mm-dd" and sheet["F2"].number_format == "yyyy-mm-dd hh:mm"


def test_sheet_title_is_made_acceptable_to_excel():
    _count, workbook = written([], title="Participants: Battambang/Pursat [2026] and more")
    title = workbook.sheetnames[0]
    assert len(title) <= 31
    assert not set(title) & set("[]:*?/\\")


@pytest.mark.parametrize("title, expected", [
    ("Attendance", "Attendance"),
    ("a/b", "a b"),
    ("'quoted'", "quoted"),
    ("", "Sheet"),
    ("x" * 40, "x" * 31),
    ("History", "History 1"),
])
def test_sheet_title(title, expected):
    assert sheet_title(title) == expected


def test_workbook_names_its_creator():
    _count, workbook = written([])
    assert workbook.properties.creator == "Beneficiary registry"


def test_a_long_generator_is_streamed():
    rows = ((f"Participant {n}", n) for n in range(50000))
    assert write_list(io.BytesIO(), "Participants", ["Name", "Number"], rows) == 50000
