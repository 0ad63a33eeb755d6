"""The import template: a data sheet with drop-downs, instructions, and a hidden sheet of lists."""
import datetime
import io

import pytest
from openpyxl import load_workbook

from exports.import_template import build_import_template

PROVINCES = [f"{n:02d} Province {n}" for n in range(1, 26)]
COLUMNS = [
    ("Name", 30, True, "Full name, family name first."),
    ("Sex", 8, True, None),
    ("Province", 24, False, "Province of residence."),
    ("Born on", 12, False, "Day/month/year, e.g. 01/03/1998."),
]
CHOICES = {"Sex": ["F", "M", "X"], "Province": PROVINCES}
INSTRUCTIONS = ["Fill one row per participant.", "Orange columns are required.", "=not a formula"]


def template(columns=COLUMNS, choices=CHOICES, **options):
    """Build the template and load it back."""
    buffer = io.BytesIO()
    build_import_template(buffer, columns, choices, INSTRUCTIONS, **options)
    buffer.seek(0)
    return load_workbook(buffer)


def validation_for(sheet, cell):
    """The data validation covering a cell."""
    return next(v for v in sheet.data_validations.dataValidation if cell in v.sqref)


def test_has_data_instructions_and_hidden_lists_sheets():
    workbook = template()
    assert workbook.sheetnames == ["Participants", "Instructions", "Lists"]
    assert workbook["Lists"].sheet_state == "hidden"
    assert workbook.active.title == "Participants"
    assert workbook["Participants"].sheet_state == "visible"


def test_header_row_is_bold_frozen_and_sized():
    sheet = template()["Participants"]
    assert [cell.value for cell in sheet[1]] == ["Name", "Sex", "Province", "Born on"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 30


def test_required_headers_are_marked_and_notes_are_comments():
    sheet = template()["Participants"]
    name, sex, province, _born = sheet[1]
    assert name.fill.fgColor.rgb == sex.fill.fgColor.rgb != province.fill.fgColor.rgb
    assert name.comment.text == "Full name, family name first."
    assert sex.comment is None


def test_province_column_has_a_drop_down_over_the_hidden_list():
    workbook = template()
    validation = validation_for(workbook["Participants"], "C2")
    assert validation.type == "list"
    assert "C10001" in validation.sqref and "C10002" not in validation.sqref
    assert validation.formula1 == "'Lists'!$B$1:$B$25"
    assert validation.showErrorMessage and validation.error
    listed = workbook["Lists"].iter_rows(min_col=2, max_col=2, values_only=True)
    assert [row[0] for row in listed] == PROVINCES


def test_columns_without_choices_have_no_drop_down():
    sheet = template()["Participants"]
    assert not any("A2" in v.sqref or "D2" in v.sqref for v in sheet.data_validations.dataValidation)


def test_error_message_can_be_given():
    validation = validation_for(template(error_message="ជ្រើសពីបញ្ជី")["Participants"], "B2")
    assert validation.error == "ជ្រើសពីបញ្ជី"


def test_instructions_are_one_wrapped_paragraph_per_row():
    sheet = template()["Instructions"]
    cells = [row[0] for row in sheet.iter_rows()]
    assert [cell.value for cell in cells] == INSTRUCTIONS
    assert all(cell.alignment.wrap_text for cell in cells)
    assert cells[2].data_type == "s"


def test_example_row_goes_in_row_two():
    example = ["Sok Chanthy", "F", PROVINCES[1], datetime.date(1998, 4, 13)]
    sheet = template(example_row=example)["Participants"]
    assert [cell.value for cell in sheet[2]][:3] == example[:3]
    assert sheet["D2"].value.date() == datetime.date(1998, 4, 13)


def test_titles_are_passed_in_and_quoted_in_references():
    workbook = template(sheet_title="អ្នកចូលរួម", instructions_title="ការណែនាំ", lists_title="Chef's lists")
    assert workbook.sheetnames == ["អ្នកចូលរួម", "ការណែនាំ", "Chef's lists"]
    assert validation_for(workbook["អ្នកចូលរួម"], "B2").formula1 == "'Chef''s lists'!$A$1:$A$3"


def test_formula_like_choices_stay_text():
    workbook = template(choices={"Sex": ["=1+2", "-"]})
    assert [cell.data_type for cell in workbook["Lists"]["A"]] == ["s", "s"]


def test_choices_for_an_unknown_column_are_refused():
    with pytest.raises(ValueError):
        template(choices={"District": ["x"]})


def test_instructions_in_two_languages_sit_side_by_side():
    buffer = io.BytesIO()
    build_import_template(buffer, COLUMNS, CHOICES, [("One row per participant.", "មួយជួរសម្រាប់អ្នកចូលរួមម្នាក់។"),
                                                     ("=1+2", "ឧទាហរណ៍")])
    buffer.seek(0)
    sheet = load_workbook(buffer)["Instructions"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["One row per participant.", "មួយជួរសម្រាប់អ្នកចូលរួមម្នាក់។"], ["=1+2", "ឧទាហរណ៍"]]
    assert sheet["A2"].data_type == "s" and sheet["B1"].alignment.wrap_text
    assert sheet.column_dimensions["A"].width == sheet.column_dimensions["B"].width == 60
