"""The sign-in sheet: one row per person, one column per session date, blank cells to mark, ready to print."""
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from exports.cells import safe_row
from exports.lists import CREATOR, sheet_title

CODE_WIDTH, NAME_WIDTH, DATE_WIDTH, SIGNATURE_WIDTH = 13, 28, 11.5, 26
HEADER_HEIGHT, ROW_HEIGHT = 32, 30  # points: tall rows leave room to write or sign by hand
INSTRUCTIONS_WIDTH = 100
THIN = Side(style="thin", color="FF000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFD9D9D9", end_color="FFD9D9D9")
# A cell of a session the person was not enrolled for: shaded so that nobody marks it.
CLOSED_FILL = PatternFill(fill_type="solid", start_color="FFA6A6A6", end_color="FFA6A6A6")
CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(vertical="center", wrap_text=True)


def build_signin_sheet(out, title, people, session_dates, headers, mark_legend, *, instructions=(),
                       sheet_names=("Sign-in", "Instructions"), closed=()):
    """Write the sign-in workbook to `out`: the sheet to fill in, then the legend and instructions.

    The first row is the header row (code, name, Khmer name, one ISO date per session, signature),
    so the filled-in sheet reads back with exports.reading.read_rows.
    :param people: (code, Latin name, Khmer name) tuples, in sheet order.
    :param headers: {"code", "name", "name_km", "signature"}: the column titles, in the user's language.
    :param closed: (code, date) pairs of cells to shade: the person was not enrolled on that day.
    """
    workbook = Workbook()
    workbook.properties.creator = CREATOR
    sheet = workbook.active
    sheet.title = sheet_title(sheet_names[0], "Sign-in")
    _write_table(sheet, people, list(session_dates), headers, frozenset(closed))
    _set_layout(sheet, len(session_dates))
    _set_printing(sheet, title)
    _write_instructions(workbook.create_sheet(sheet_title(sheet_names[1], "Instructions")), title, mark_legend,
                        instructions)
    workbook.save(out)


def _write_table(sheet, people, dates, headers, closed):
    """The header row and one row per person, every cell of the table boxed; unavailable cells shaded."""
    titles = [headers["code"], headers["name"], headers["name_km"]]
    # ISO text, not a date cell: it reads back exactly, whatever the spreadsheet's date settings.
    titles += [day.isoformat() for day in dates] + [headers["signature"]]
    sheet.append(safe_row(sheet, [_clean(t) for t in titles]))
    for cell in sheet[1]:
        cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), HEADER_FILL, GRID, CENTRED
    for code, name, name_km in people:
        sheet.append(safe_row(sheet, [_clean(code), _clean(name), _clean(name_km)]))
        row = sheet.max_row
        for column in range(1, len(titles) + 1):
            cell = sheet.cell(row=row, column=column)
            cell.border = GRID
            cell.alignment = LEFT if column <= 3 else CENTRED
        for index, day in enumerate(dates, 4):
            if (code, day) in closed:
                sheet.cell(row=row, column=index).fill = CLOSED_FILL


def _set_layout(sheet, date_count):
    """Frozen header row and first three columns, widths, tall rows."""
    sheet.freeze_panes = "D2"
    widths = [CODE_WIDTH, NAME_WIDTH, NAME_WIDTH] + [DATE_WIDTH] * date_count + [SIGNATURE_WIDTH]
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[1].height = HEADER_HEIGHT
    for row in range(2, sheet.max_row + 1):
        sheet.row_dimensions[row].height = ROW_HEIGHT


def _set_printing(sheet, title):
    """Landscape A4, one page wide, the header row and names on every page, the title above."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the people need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_title_cols = "A:C"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    # "&" starts a code in page headers (&P is the page number): a literal one is doubled.
    sheet.oddHeader.center.text = _clean(str(title)).replace("&", "&&")
    sheet.oddFooter.right.text = "&P / &N"


def _write_instructions(sheet, title, mark_legend, instructions):
    """The title, the legend of marks, then the instructions: one wrapped paragraph per row."""
    sheet.column_dimensions["A"].width = INSTRUCTIONS_WIDTH
    sheet.append(safe_row(sheet, [_clean(str(title))]))
    sheet["A1"].font = Font(bold=True, size=14)
    for group in (mark_legend, instructions):
        if group:
            sheet.append([])
        for paragraph in group:
            sheet.append(safe_row(sheet, [_clean(str(paragraph))]))
            sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")


def _clean(text):
    """Text without the control characters a workbook cannot hold (they would abort the save)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text) if isinstance(text, str) else text
