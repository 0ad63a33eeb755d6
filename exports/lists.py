"""Long lists streamed to a workbook in write-only mode, so memory stays flat however many rows."""
import datetime
import re

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from exports.cells import NEEDS_CARE, looks_like_formula, safe_cell

CREATOR = "Beneficiary registry"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
SECONDS_FORMAT = "yyyy-mm-dd hh:mm:ss"  # for a log, where the second matters
CELL_TEXT_MAX = 32_767  # Excel refuses (and "repairs") a cell holding more
BOLD = Font(bold=True)

# Excel refuses these in sheet titles and caps titles at 31 characters.
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
TITLE_MAX = 31


def sheet_title(title, default="Sheet"):
    """A sheet title Excel accepts, made from any text."""
    cleaned = _TITLE_FORBIDDEN.sub(" ", str(title or "")).strip()
    # A leading or trailing apostrophe would clash with the quoting of sheet names in formulas.
    cleaned = cleaned[:TITLE_MAX].strip("' ")
    if cleaned.casefold() == "history":
        cleaned += " 1"  # Excel reserves "History" and "repairs" a workbook that uses it
    return cleaned or default


def write_list(out, title, headers, rows, column_widths=None, date_columns=(), freeze=True,
               datetime_format=DATETIME_FORMAT):
    """Stream one sheet of rows to the file-like `out`; return the number of data rows written.

    `rows` is any iterable of sequences, consumed once: a generator over a database cursor keeps
    memory flat. `date_columns` (0-based indexes) show date-and-time values as dates only; plain
    `datetime.date` values are shown as dates in every column; the others show timestamps in
    `datetime_format` (to the minute unless told).
    """
    workbook = Workbook(write_only=True)
    workbook.properties.creator = CREATOR
    sheet = workbook.create_sheet(sheet_title(title))
    # Write-only sheets take their layout only before the first row is appended.
    if freeze:
        sheet.freeze_panes = "A2"
    _set_widths(sheet, column_widths or ())
    sheet.append([_header_cell(sheet, header) for header in headers])
    # One converter per column, chosen once: the loop below runs for every cell of every row.
    width = max([len(headers), *(index + 1 for index in date_columns)])
    converters = [_converter(sheet, DATE_FORMAT if index in date_columns else datetime_format)
                  for index in range(width)]
    count = 0
    for row in rows:
        if len(row) > len(converters):  # a row longer than the headers is written whole
            converters += [_converter(sheet, datetime_format)] * (len(row) - len(converters))
        sheet.append([convert(value) for convert, value in zip(converters, row)])
        count += 1
    workbook.save(out)
    return count


def _set_widths(sheet, widths):
    """Give each column its width; None leaves a column at the default."""
    for index, width in enumerate(widths, 1):
        if width:
            sheet.column_dimensions[get_column_letter(index)].width = width


def _header_cell(sheet, header):
    """A bold header cell; header text is kept as text like any other."""
    text = _clean_text(str(header))
    cell = WriteOnlyCell(sheet, value=text)
    if looks_like_formula(text):
        cell.data_type = "s"
    cell.font = BOLD
    return cell


def _converter(sheet, datetime_format):
    """What to append for one value of a column: text made safe, timestamps formatted, the rest as it is."""
    needs_care = NEEDS_CARE.search

    def convert(value):
        if isinstance(value, str):
            if len(value) <= CELL_TEXT_MAX and needs_care(value) is None:
                return value
            return safe_cell(sheet, _clean_text(value))
        if isinstance(value, datetime.datetime):
            # Excel has no time zones: the caller localises, we keep the wall-clock time.
            return _formatted(sheet, value.replace(tzinfo=None), datetime_format)
        # openpyxl itself shows a plain date as yyyy-mm-dd (DATE_FORMAT), and a raw value
        # costs far less than a styled cell: a third of the time of a long export.
        return value

    return convert


def _formatted(sheet, value, number_format):
    """A cell showing a value with a number format."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def _clean_text(text):
    """Text without the control characters XML cannot hold (they would abort the whole export), cut to what
    a cell takes."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text if len(text) <= CELL_TEXT_MAX else text[:CELL_TEXT_MAX - 1] + "…"
