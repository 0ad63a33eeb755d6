"""Build participant sheets for import tests."""
import io

from openpyxl import Workbook

HEADERS = ["Code", "Family name", "Given name", "Family name (Khmer)", "Given name (Khmer)", "Sex", "Date of birth",
           "Birth year (estimated)", "Phone", "Province", "Category", "Consent to data use", "Consent date",
           "Village"]


def sheet(*rows, headers=HEADERS):
    """An .xlsx of rows (dicts by header) as bytes."""
    workbook = Workbook()
    active = workbook.active
    active.append(headers)
    for row in rows:
        active.append([row.get(h) for h in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def person(**values):
    """A good row, with values replacing its cells."""
    row = {"Family name": "Sok", "Given name": "Chanthy", "Sex": "female", "Date of birth": "15/03/2001",
           "Province": "02", "Category": "at_risk", "Consent to data use": "yes", "Consent date": "2026-03-01"}
    row.update(values)
    return row
