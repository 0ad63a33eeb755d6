"""The workbook people fill in to import participants: data sheet, instructions, drop-down lists."""
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from exports.cells import looks_like_formula, safe_row
# Renamed: build_import_template's parameter `sheet_title` would shadow it.
from exports.lists import CREATOR, sheet_title as clean_title

# Rows 2..TEMPLATE_ROWS + 1 get the drop-downs: far more than one import should hold.
TEMPLATE_ROWS = 10000
REQUIRED_FILL = PatternFill(fill_type="solid", start_color="FFF4B183", end_color="FFF4B183")
OPTIONAL_FILL = PatternFill(fill_type="solid", start_color="FFD9E1F2", end_color="FFD9E1F2")
EXAMPLE_FONT = Font(italic=True, color="FF595959")
INSTRUCTIONS_WIDTH = 100
DEFAULT_ERROR = "Please choose a value from the list."


def build_import_template(out, columns, choices, instructions, example_row=None,
                          sheet_title="Participants", instructions_title="Instructions",
                          lists_title="Lists", error_message=None):
    """Write the import template workbook to `out`.

    :param columns: (header, width, required, note) tuples, in sheet order.
    :param choices: {header: [allowed values]} for the columns with a drop-down.
    :param instructions: paragraphs, each a string or a tuple of strings (the same text in several languages).
    :raise ValueError: when `choices` names a header that is not in `columns`.
    """
    workbook = Workbook()
    workbook.properties.creator = CREATOR
    data = workbook.active
    data.title = clean_title(sheet_title, "Participants")
    _write_headers(data, columns)
    if example_row:
        _write_example(data, example_row)
    _write_instructions(workbook.create_sheet(clean_title(instructions_title, "Instructions")), instructions)
    lists = workbook.create_sheet(clean_title(lists_title, "Lists"))
    # Hidden, not very hidden: someone fixing a list by hand can still unhide it.
    lists.sheet_state = "hidden"
    headers = [column[0] for column in columns]
    _add_choices(data, lists, headers, choices, error_message or DEFAULT_ERROR)
    workbook.save(out)


def _write_headers(sheet, columns):
    """Bold, frozen header row: required columns filled in a warm colour, notes as comments."""
    sheet.append(safe_row(sheet, [header for header, _width, _required, _note in columns]))
    sheet.freeze_panes = "A2"
    for index, (_header, width, required, note) in enumerate(columns, 1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if required else OPTIONAL_FILL
        if note:
            cell.comment = Comment(note, CREATOR, width=260, height=120)
        if width:
            sheet.column_dimensions[get_column_letter(index)].width = width


def _write_example(sheet, example_row):
    """The example in row 2, in grey italics so it reads as an example."""
    sheet.append(safe_row(sheet, list(example_row)))
    for cell in sheet[2]:
        cell.font = EXAMPLE_FONT


def _write_instructions(sheet, paragraphs):
    """One paragraph per row, wrapped; a paragraph given as a tuple (one per language) fills columns side by side."""
    rows = [paragraph if isinstance(paragraph, (tuple, list)) else (paragraph,) for paragraph in paragraphs]
    columns = max((len(row) for row in rows), default=1)
    for index in range(1, columns + 1):
        sheet.column_dimensions[get_column_letter(index)].width = INSTRUCTIONS_WIDTH // columns + 10 * (columns > 1)
    for row in rows:
        sheet.append(safe_row(sheet, list(row)))
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _add_choices(data, lists, headers, choices, error_message):
    """One column of the lists sheet per choice column, and a drop-down pointing at it."""
    list_column = 0
    for header, values in choices.items():
        if header not in headers:
            raise ValueError(f"Choices given for {header!r}, which is not a column of the template.")
        if not values:
            continue  # a list validation over an empty range would reject every entry
        list_column += 1
        source = _write_list_column(lists, list_column, values)
        data.add_data_validation(_validation(source, headers.index(header) + 1, error_message))


def _write_list_column(lists, column, values):
    """Write values down one column of the lists sheet; return the absolute reference to them."""
    for row, value in enumerate(values, 1):
        cell = lists.cell(row=row, column=column, value=value)
        if looks_like_formula(value):
            cell.data_type = "s"  # a choice is a value to pick, never a formula
    letter = get_column_letter(column)
    return f"{_quoted(lists.title)}!${letter}$1:${letter}${len(values)}"


def _validation(source, column, error_message):
    """A list validation on rows 2..TEMPLATE_ROWS + 1 of one column."""
    letter = get_column_letter(column)
    # Excel stores the formula without its leading "=".
    validation = DataValidation(type="list", formula1=source, allow_blank=True,
                                showErrorMessage=True, errorStyle="stop", error=error_message)
    validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    return validation


def _quoted(title):
    """A sheet name as formulas write it: in single quotes, inner quotes doubled."""
    return "'" + title.replace("'", "''") + "'"
