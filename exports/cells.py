"""Cells that are safe to write: user text is never turned into a formula."""
import re

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# openpyxl writes a str starting with "=" as a formula; Excel and LibreOffice may also
# evaluate text starting with these when a sheet is re-saved or pasted.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Text that needs care: a formula-like start, or a character XML cannot hold. Almost no text does,
# so a long list pays for one search per text cell (NEEDS_CARE.search(text) is None: write it as is).
NEEDS_CARE = re.compile("^[" + re.escape("".join(FORMULA_STARTS)) + "]|" + ILLEGAL_CHARACTERS_RE.pattern)


def looks_like_formula(value):
    """Tell whether a value is text that a spreadsheet could take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_cell(sheet, value):
    """Return what to append to a write-only sheet for a value: formula-like text as a typed string cell.

    The text is kept exactly as entered (no quote prepended): the cell is stored as a string,
    so no reader evaluates it.
    """
    if not looks_like_formula(value):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def safe_row(sheet, values):
    """The values of one row, each made safe with safe_cell."""
    return [safe_cell(sheet, value) for value in values]
