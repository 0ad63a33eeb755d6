"""The audit log as a spreadsheet: streamed in write-only mode, user text never a formula.

exports.lists.write_list shows times to the minute; an audit export needs the second, so it has
its own small writer built from the same parts (safe_cell, the sheet title rules).
"""
import datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from exports.cells import safe_cell
from exports.lists import BOLD, CREATOR, sheet_title

TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
CELL_TEXT_MAX = 32_767  # Excel refuses (and "repairs") a cell holding more


def write_events(out, title, headers, rows, widths=()):
    """Stream one sheet of rows to the file-like `out`; return the number of data rows written."""
    workbook = Workbook(write_only=True)
    workbook.properties.creator = CREATOR
    sheet = workbook.create_sheet(sheet_title(title))
    sheet.freeze_panes = "A2"  # layout is taken only before the first row
    for letter, width in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", widths):
        sheet.column_dimensions[letter].width = width
    sheet.append([_header(sheet, header) for header in headers])
    count = 0
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
        count += 1
    workbook.save(out)
    return count


def _clean(text):
    """Text without the control characters XML cannot hold, cut to what a cell takes."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text if len(text) <= CELL_TEXT_MAX else text[:CELL_TEXT_MAX - 1] + "…"


def _header(sheet, header):
    """A bold header cell, always text."""
    cell = WriteOnlyCell(sheet, value=_clean(str(header)))
    cell.data_type = "s"
    cell.font = BOLD
    return cell


def _cell(sheet, value):
    """Text made safe, a timestamp shown to the second, anything else as it is."""
    if isinstance(value, str):
        return safe_cell(sheet, _clean(value))
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
        cell.number_format = TIME_FORMAT
        return cell
    return value
