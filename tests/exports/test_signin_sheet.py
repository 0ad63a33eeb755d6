"""The sign-in sheet builder: a header row that reads back, blank cells to mark, a sheet ready to print."""
import datetime
import io

import pytest
from openpyxl import load_workbook

from exports.reading import read_rows
from exports.signin_sheet import CLOSED_FILL, build_signin_sheet

DATES = [datetime.date(2026, 3, 2), datetime.date(2026, 3, 9), datetime.date(2026, 3, 16)]
HEADERS = {"code": "Code", "name": "Name", "name_km": "Name (Khmer)", "signature": "Signature"}
PEOPLE = [("BR-000001", "Sok Chanthy", "សុខ ចន្ធី"), ("BR-000002", "Chea Dara", "")]
LEGEND = ["P = present", "L = late", "E = excused", "A = absent"]


def build(people=PEOPLE, dates=DATES, title="Sewing · Battambang", **options):
    """Build a sheet; return its bytes."""
    out = io.BytesIO()
    build_signin_sheet(out, title, people, dates, HEADERS, LEGEND, **options)
    return out.getvalue()


@pytest.fixture
def workbook():
    """A sheet of two people and three sessions, loaded back."""
    return load_workbook(io.BytesIO(build(instructions=["Write one mark per cell."])))


def test_the_first_row_is_the_header_row_with_iso_dates_as_text(workbook):
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == ["Code", "Name", "Name (Khmer)", "2026-03-02", "2026-03-09",
                                           "2026-03-16", "Signature"]
    assert all(c.data_type == "s" for c in sheet[1])


def test_one_row_per_person_with_blank_mark_cells(workbook):
    sheet = workbook.worksheets[0]
    assert sheet.max_row == 3
    assert [c.value for c in sheet[2]] == ["BR-000001", "Sok Chanthy", "សុខ ចន្ធី", None, None, None, None]
    assert [c.value for c in sheet[3]][:2] == ["BR-000002", "Chea Dara"]


def test_the_sheet_reads_back_with_the_safe_reader():
    headers, rows = read_rows(build(), ["Code"], ["Name", "Name (Khmer)", "Signature"])
    assert headers[:3] == ["Code", "Name", "Name (Khmer)"] and headers[3:6] == [d.isoformat() for d in DATES]
    assert [(number, row["Code"]) for number, row in rows] == [(2, "BR-000001"), (3, "BR-000002")]


def test_frozen_header_and_names_widths_and_tall_rows(workbook):
    sheet = workbook.worksheets[0]
    assert sheet.freeze_panes == "D2"
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFG"]
    assert widths[1] > widths[0] and widths[3] < widths[1] and widths[6] > widths[3]
    assert sheet.row_dimensions[2].height >= 24


def test_printed_landscape_one_page_wide_with_the_header_row_on_every_page(workbook):
    sheet = workbook.worksheets[0]
    assert sheet.page_setup.orientation == "landscape"
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"


def test_the_title_heads_each_printed_page_with_ampersands_kept_literal():
    sheet = load_workbook(io.BytesIO(build(title="Sewing & tailoring"))).worksheets[0]
    assert sheet.oddHeader.center.text == "Sewing && tailoring"  # "&&" prints as one "&"


def test_the_second_sheet_has_the_title_legend_and_instructions(workbook):
    assert len(workbook.sheetnames) == 2
    texts = [c.value for c in workbook.worksheets[1]["A"] if c.value]
    assert texts == ["Sewing · Battambang", *LEGEND, "Write one mark per cell."]


def test_sheet_names_are_made_acceptable_to_excel():
    workbook = load_workbook(io.BytesIO(build(sheet_names=("Sign-in: March/April", "Instructions"))))
    assert workbook.sheetnames == ["Sign-in  March April", "Instructions"]


def test_cells_of_days_a_person_was_not_enrolled_are_shaded():
    sheet = load_workbook(io.BytesIO(build(closed={("BR-000002", DATES[0])}))).worksheets[0]
    assert sheet["D3"].fill.fgColor.rgb == CLOSED_FILL.fgColor.rgb
    assert sheet["E3"].fill.fill_type is None and sheet["D2"].fill.fill_type is None


def test_names_that_look_like_formulas_stay_text():
    sheet = load_workbook(io.BytesIO(build(people=[("BR-000003", "=HYPERLINK(\"x\")", "+855")]))).worksheets[0]
    assert sheet["B2"].value == "=HYPERLINK(\"x\")" and sheet["B2"].data_type == "s"
    assert sheet["C2"].data_type == "s"


def test_control_characters_are_dropped_instead_of_breaking_the_file():
    sheet = load_workbook(io.BytesIO(build(people=[("BR-000004", "Sok\x07 Dara", "")]))).worksheets[0]
    assert sheet["B2"].value == "Sok Dara"


def test_a_sheet_with_no_sessions_has_code_names_and_signature():
    sheet = load_workbook(io.BytesIO(build(dates=[]))).worksheets[0]
    assert [c.value for c in sheet[1]] == ["Code", "Name", "Name (Khmer)", "Signature"]
