"""Malformed and hostile uploads, built in memory: workbooks written XML by XML, zips that lie or explode."""
import io
import os
import struct
import zipfile
from functools import lru_cache

from openpyxl import Workbook

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Participants" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>')
_SHEET_START = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>')
_SHEET_END = "</sheetData></worksheet>"
# The header row both uploads accept: the import's required columns, and the sign-in sheet's code.
HEADER_ROW = ('<row r="1">' + "".join(f'<c r="{column}1" t="inlineStr"><is><t>{title}</t></is></c>'
                                      for column, title in zip("ABCD", ["Code", "Sex", "Province", "Category"]))
              + "</row>")


def workbook_of(row_batches, dimension="", prefix=""):
    """An .xlsx whose only sheet holds the header row, then the XML rows of each batch, streamed and deflated.

    With a prefix ("x:"), the sheet's elements are written with it, as some producers do.
    """
    start = _SHEET_START.format(dimension=dimension) + HEADER_ROW
    if prefix:
        start = start.replace(" xmlns=", f" xmlns:{prefix[:-1]}=")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS),
                           ("xl/workbook.xml", _WORKBOOK), ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)):
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for text in (start, *row_batches, _SHEET_END):
                sheet.write(_prefixed(text, prefix).encode())
    return buffer.getvalue()


def _prefixed(text, prefix):
    """XML text with every element of the sheet written with a namespace prefix."""
    if not prefix:
        return text
    for name in ("worksheet", "dimension", "sheetData", "row", "c", "v", "is", "t"):
        text = text.replace(f"<{name}>", f"<{prefix}{name}>").replace(f"<{name} ", f"<{prefix}{name} ")
        text = text.replace(f"</{name}>", f"</{prefix}{name}>").replace(f"<{name}/>", f"<{prefix}{name}/>")
    return text


def numbered_rows(count, first=2, batch=50_000):
    """Batches of XML rows numbered from `first`, each with one number in column A."""
    for start in range(first, first + count, batch):
        yield "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>'
                      for n in range(start, min(start + batch, first + count)))


@lru_cache(maxsize=None)
def many_rows(count, dimension=True, prefix=""):
    """A sheet of `count` data rows; its <dimension> says a million rows, or it has none."""
    return workbook_of(numbered_rows(count), '<dimension ref="A1:Z1000000"/>' if dimension else "", prefix)


def row_far_below():
    """Two rows: row 2, then row 1,000,000,000 (openpyxl makes up every row between)."""
    return workbook_of(['<row r="2"><c r="A2"><v>1</v></c></row>',
                        '<row r="1000000000"><c r="A1000000000"><v>1</v></c></row>'])


def cells_far_right(rows=100):
    """Rows whose one cell is in column ZZZ, the last one openpyxl knows: each row reads 18,278 wide."""
    return workbook_of(["".join(f'<row r="{n}"><c r="ZZZ{n}"><v>1</v></c></row>' for n in range(2, rows + 2))])


def one_wide_row(cells):
    """One data row of `cells` numbered cells without coordinates (openpyxl holds the row whole)."""
    numbers = os.urandom(cells * 2)
    return workbook_of(['<row r="2">' + "".join(f"<c><v>{numbers[2 * i] * 256 + numbers[2 * i + 1]}</v></c>"
                                                for i in range(cells)) + "</row>"])


@lru_cache(maxsize=None)
def zip_bomb(size=200 * 1024 * 1024):
    """A workbook's parts, one of which holds `size` zeros: about 200 KB that expand to 200 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            chunk = bytes(1024 * 1024)
            for _ in range(size // len(chunk)):
                entry.write(chunk)
    return buffer.getvalue()


def lying_zip_bomb():
    """The zip bomb, its sheet declaring 1,000 bytes: no limit sees it, and it must still not inflate."""
    data = bytearray(zip_bomb())
    name = b"xl/worksheets/sheet1.xml"
    local = data.find(name) - 30  # the local header, then the central directory's entry
    central = data.find(name, local + 31) - 46
    assert data[local:local + 4] == b"PK\x03\x04" and data[central:central + 4] == b"PK\x01\x02"
    struct.pack_into("<I", data, local + 22, 1000)
    struct.pack_into("<I", data, central + 24, 1000)
    return bytes(data)


def zip_not_a_workbook():
    """A valid zip holding a text file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "A list of names, not a workbook.")
    return buffer.getvalue()


def good_workbook():
    """A real workbook, for the size tests: padded later to the size wanted."""
    workbook = Workbook()
    workbook.active.append(["Code", "Sex", "Province", "Category"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def fifty_megabytes():
    """A 50 MB upload: a real workbook followed by 50 MB of random bytes (a zip reader finds it at the end)."""
    return os.urandom(50 * 1024 * 1024) + good_workbook()
