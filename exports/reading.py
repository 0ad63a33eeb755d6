"""Safe reading of uploaded .xlsx files: size and zip-bomb checks first, then rows by header."""
import datetime
import io
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

MAX_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED = 100 * 1024 * 1024
# A spreadsheet part rarely compresses better than ~100:1; a bomb does far better.
MAX_RATIO = 200
RATIO_MIN_SIZE = 1024 * 1024
MAX_COLUMNS = 500
SCAN_CHUNK = 1024 * 1024
# The opening of a row or cell element, with or without a namespace prefix (<row r="2">, <x:c>).
_ROW_OR_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)[\s/>]")

MESSAGES = {
    "not_xlsx": "The file is not an Excel workbook (.xlsx).",
    "too_large": "The file is larger than {limit_mb} MB.",
    "zip_bomb": "The file expands to too much data to be read safely.",
    "no_sheet": "The workbook has no worksheet.",
    "missing_columns": "Required columns are missing: {columns}.",
    "too_many_rows": "The sheet has more than {limit} rows.",
    "too_many_columns": "The sheet has more than {limit} columns.",
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
              max_uncompressed=MAX_UNCOMPRESSED, sheet_name=None, max_bytes=MAX_BYTES, max_columns=MAX_COLUMNS):
    """Read an uploaded workbook; return (headers, [(row_number, {header: value})]).

    Blank rows count too, up to as many again as max_rows: a sheet is never read past row
    2 * max_rows + 1, so a file of a million blank or missing rows is refused, not read.
    :raise UploadError: with one of the codes in MESSAGES.
    """
    limits = _Limits(max_rows, 2 * max_rows + 1, max_columns)
    _check_archive(data, max_bytes, max_uncompressed, limits)
    workbook = _open_workbook(data)
    try:
        sheet = _pick_sheet(workbook, sheet_name)
        return _read_sheet(sheet, list(required_headers), list(known_headers or ()), limits)
    except UploadError:
        raise
    except Exception as error:
        # openpyxl parses lazily: a broken sheet only fails here, with any exception type.
        raise UploadError("not_xlsx") from error
    finally:
        workbook.close()


@dataclass(frozen=True)
class _Limits:
    """How much of a sheet is read: data rows, the last row looked at (blank ones count), columns."""

    rows: int
    last_row: int
    columns: int


def _check_archive(data, max_bytes, max_uncompressed, limits):
    """Refuse what is too big, not a zip, not a workbook, or expands too far: before parsing any XML."""
    if max_bytes is not None and len(data) > max_bytes:
        raise UploadError("too_large", limit=max_bytes, limit_mb=max_bytes // (1024 * 1024), size=len(data))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if "xl/workbook.xml" not in {entry.filename for entry in entries}:
                raise UploadError("not_xlsx")
            # Declared sizes can be trusted as a bound: zipfile never inflates past an entry's
            # file_size (and fails its CRC check if the data was longer).
            if sum(entry.file_size for entry in entries) > max_uncompressed:
                raise UploadError("zip_bomb")
            if any(_ratio_too_high(entry) for entry in entries):
                raise UploadError("zip_bomb")
            _count_rows_and_cells(archive, entries, limits)
    except UploadError:
        raise
    except Exception as error:
        # Not a zip, or a part zipfile cannot inflate (corrupt, encrypted, unknown method): not a workbook.
        raise UploadError("not_xlsx") from error


def _ratio_too_high(entry):
    """Tell whether a large entry compresses suspiciously well."""
    return entry.file_size > RATIO_MIN_SIZE and entry.file_size > MAX_RATIO * max(entry.compress_size, 1)


def _count_rows_and_cells(archive, entries, limits):
    """Refuse too many rows (all sheets together), or a row of too many cells, by scanning the XML text.

    openpyxl parses a whole sheet when it opens it if the sheet does not give its size first
    (a million rows: half a minute), and it holds a whole row in memory, however many cells it
    has: so the tags are counted first, in chunks, without parsing anything.
    """
    rows = cells = 0
    for entry in entries:
        if not entry.filename.endswith(".xml"):
            continue
        with archive.open(entry) as part:
            tail = b""
            while chunk := part.read(SCAN_CHUNK):
                text = tail + chunk  # the end of the chunk before, for a tag cut in two
                for match in _ROW_OR_CELL.finditer(text):
                    if match.end() <= len(tail):
                        continue  # counted with the chunk before
                    if match.group(1) == b"row":
                        rows, cells = rows + 1, 0
                        if rows > limits.last_row:
                            raise UploadError("too_many_rows", limit=limits.rows)
                    else:
                        cells += 1
                        if cells > limits.columns:
                            raise UploadError("too_many_columns", limit=limits.columns)
                tail = text[-64:]


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


def _read_sheet(sheet, required, known, limits):
    """The header row, then every non-empty row below it, keyed by canonical header."""
    # Some producers write a wrong size in the sheet; without it openpyxl reads every row.
    sheet.reset_dimensions()
    rows = _bounded(enumerate(sheet.iter_rows(min_row=1, values_only=True), 1), limits)
    header_cells = next((values for _number, values in rows if not _is_empty(values)), None)
    if header_cells is None:
        raise UploadError("empty")
    headers, columns = _match_headers(header_cells, required, known)
    canonical = list(dict.fromkeys(required + known))
    found = []
    for number, values in rows:
        if _is_empty(values):
            continue
        if len(found) == limits.rows:
            raise UploadError("too_many_rows", limit=limits.rows)
        found.append((number, _record(values, columns, canonical)))
    if not found:
        raise UploadError("empty")
    return headers, found


def _bounded(rows, limits):
    """The rows up to the last one looked at, none wider than the column limit.

    openpyxl makes up the rows a sheet skips (<row r="1000000000"> after row 2 is a billion
    blank rows) and pads a row up to its last cell (a cell in column ZZZ is 18,278 values).
    """
    for number, values in rows:
        if number > limits.last_row:
            raise UploadError("too_many_rows", limit=limits.rows)
        if len(values) > limits.columns:
            raise UploadError("too_many_columns", limit=limits.columns)
        yield number, values


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
