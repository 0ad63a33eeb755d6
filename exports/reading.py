"""Safe reading of uploaded .xlsx files: size and zip-bomb checks first, then rows by header."""
import datetime
import io
import math
import re
import unicodedata
import zipfile

from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

MAX_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED = 100 * 1024 * 1024
# A spreadsheet part rarely compresses better than ~100:1; a bomb does far better.
MAX_RATIO = 200
RATIO_MIN_SIZE = 1024 * 1024

MESSAGES = {
    "not_xlsx": "The file is not an Excel workbook (.xlsx).",
    "too_large": "The file is larger than {limit_mb} MB.",
    "zip_bomb": "The file expands to too much data to be read safely.",
    "no_sheet": "The workbook has no worksheet.",
    "missing_columns": "Required columns are missing: {columns}.",
    "too_many_rows": "The sheet has more than {limit} rows.",
    "empty": "The sheet has no data rows.",
}


class UploadError(Exception):
    """An upload that cannot be read; `code` and `params` let the caller write the message."""

    def __init__(self, code, **params):
        self.code = code
        self.params = params
        super().__init__(self._english())

    def _english(self):
        """The message in English, for logs."""
        shown = {key: ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else value
                 for key, value in self.params.items()}
        try:
            return MESSAGES.get(self.code, self.code).format(**shown)
        except (KeyError, IndexError):
            return f"{self.code} {self.params}"


def read_rows(data, required_headers, known_headers=None, max_rows=20000,
              max_uncompressed=MAX_UNCOMPRESSED, sheet_name=None, max_bytes=MAX_BYTES):
    """Read an uploaded workbook; return (headers, [(row_number, {header: value})]).

    :raise UploadError: with one of the codes in MESSAGES.
    """
    _check_archive(data, max_bytes, max_uncompressed)
    workbook = _open_workbook(data)
    try:
        sheet = _pick_sheet(workbook, sheet_name)
        return _read_sheet(sheet, list(required_headers), list(known_headers or ()), max_rows)
    except UploadError:
        raise
    except Exception as error:
        # openpyxl parses lazily: a broken sheet only fails here, with any exception type.
        raise UploadError("not_xlsx") from error
    finally:
        workbook.close()


def _check_archive(data, max_bytes, max_uncompressed):
    """Refuse what is too big, not a zip, not a workbook, or expands too far: before parsing any XML."""
    if max_bytes is not None and len(data) > max_bytes:
        raise UploadError("too_large", limit=max_bytes, limit_mb=max_bytes // (1024 * 1024), size=len(data))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise UploadError("not_xlsx") from error
    if "xl/workbook.xml" not in {entry.filename for entry in entries}:
        raise UploadError("not_xlsx")
    # Declared sizes can be trusted as a bound: zipfile never inflates past an entry's
    # file_size (and fails its CRC check if the data was longer).
    if sum(entry.file_size for entry in entries) > max_uncompressed:
        raise UploadError("zip_bomb")
    if any(_ratio_too_high(entry) for entry in entries):
        raise UploadError("zip_bomb")


def _ratio_too_high(entry):
    """Tell whether a large entry compresses suspiciously well."""
    return entry.file_size > RATIO_MIN_SIZE and entry.file_size > MAX_RATIO * max(entry.compress_size, 1)


def _open_workbook(data):
    """The workbook in read-only mode, with cached values instead of formulas."""
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as error:
        # Malformed parts surface as KeyError, ValueError, XML errors and more: all mean "not usable".
        raise UploadError("not_xlsx") from error


def _pick_sheet(workbook, sheet_name):
    """The named sheet when present, else the first worksheet."""
    sheets = workbook.worksheets
    if not sheets:
        raise UploadError("no_sheet")
    if sheet_name is not None:
        wanted = _normalise(sheet_name)
        for sheet in sheets:
            if sheet.title == sheet_name or _normalise(sheet.title) == wanted:
                return sheet
    return sheets[0]


def _read_sheet(sheet, required, known, max_rows):
    """The header row, then every non-empty row below it, keyed by canonical header."""
    # Some producers write a wrong size in the sheet; without it openpyxl reads every row.
    sheet.reset_dimensions()
    rows = enumerate(sheet.iter_rows(min_row=1, values_only=True), 1)
    header_cells = next((values for _number, values in rows if not _is_empty(values)), None)
    if header_cells is None:
        raise UploadError("empty")
    headers, columns = _match_headers(header_cells, required, known)
    canonical = list(dict.fromkeys(required + known))
    found = []
    for number, values in rows:
        if _is_empty(values):
            continue
        if len(found) == max_rows:
            raise UploadError("too_many_rows", limit=max_rows)
        found.append((number, _record(values, columns, canonical)))
    if not found:
        raise UploadError("empty")
    return headers, found


def _match_headers(cells, required, known):
    """Return (headers as shown, {column index: canonical header}); refuse missing required ones."""
    lookup = {}
    for header in required + known:
        lookup.setdefault(_normalise(header), header)
    headers, columns = [], {}
    for index, cell in enumerate(cells):
        text = _text(cell)
        if text is None:
            continue
        header = lookup.get(_normalise(text))
        if header is not None and header not in columns.values():
            columns[index] = header  # the first of two same-named columns wins
        headers.append(header or text)
    missing = [header for header in required if header not in columns.values()]
    if missing:
        raise UploadError("missing_columns", columns=missing)
    return headers, columns


def _record(values, columns, canonical):
    """One row as {canonical header: value}; headers with no column in the file are None."""
    record = dict.fromkeys(canonical)
    for index, header in columns.items():
        if index < len(values):
            record[header] = _value(values[index])
    return record


def _value(value):
    """A cell value as the caller wants it: text stripped, blank text as None."""
    if isinstance(value, str):
        return value.strip() or None
    return value


def _text(value):
    """A header cell as stripped text, or None when blank."""
    if value is None:
        return None
    return str(value).strip() or None


def _is_empty(values):
    """Tell whether a row holds nothing but blanks."""
    return all(_value(value) is None for value in values)


# Khmer text often carries zero-width spaces; they are invisible, so they must not matter.
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\ufeff]+")


def _normalise(text):
    """A header reduced for comparison: same Unicode form, no case, no whitespace."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", str(text))).casefold()


# Serials outside these dates are more likely a typed year ("1990") or a count than a date.
SERIAL_FIRST = datetime.date(1910, 1, 1)
SERIAL_LAST = datetime.date(2100, 12, 31)
# \d also matches Khmer digits, which int() reads.
_YEAR_FIRST = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")


def parse_date(value):
    """A date from a cell value: date, Excel serial number or day-first / ISO text; else ValueError."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(value)
    if isinstance(value, str):
        return _from_text(value.strip())
    raise ValueError(f"Not a date: {value!r}")


def _from_serial(number):
    """The date of an Excel serial number in the plausible range."""
    if not math.isfinite(number) or number < 1:
        raise ValueError(f"Not a date: {number!r}")
    try:
        result = from_excel(number).date()
    except (OverflowError, ValueError) as error:
        raise ValueError(f"Not a date: {number!r}") from error
    if not SERIAL_FIRST <= result <= SERIAL_LAST:
        raise ValueError(f"Not a plausible date serial: {number!r}")
    return result


def _from_text(text):
    """The date in text written year first (2026-03-01) or day first (01/03/2026)."""
    match = _YEAR_FIRST.fullmatch(text)
    if match:
        year, _sep, month, day = match.groups()
    else:
        match = _DAY_FIRST.fullmatch(text)
        if not match:
            raise ValueError(f"Not a date: {text!r}")
        day, _sep, month, year = match.groups()
    return datetime.date(int(year), int(month), int(day))
