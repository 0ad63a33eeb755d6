"""Messages for rejected uploads, in the user's language."""
from flask_babel import gettext as _


def upload_message(error):
    """A sentence saying what is wrong with an uploaded spreadsheet."""
    params = error.params
    messages = {
        "not_xlsx": lambda: _("This file is not an Excel workbook (.xlsx). Save it as .xlsx and upload it again."),
        "zip_bomb": lambda: _("This file unpacks to far more data than a spreadsheet holds; it was refused."),
        "too_large": lambda: _("The file is larger than %(mb)d MB. Split it into smaller files.",
                               mb=params.get("limit", 0) // (1024 * 1024)),
        "too_many_rows": lambda: _("The sheet has more than %(limit)d rows. Split it into smaller files.",
                                   limit=params.get("limit", 0)),
        "too_many_columns": lambda: _("The sheet has more than %(limit)d columns. Copy the columns you need into "
                                      "a new sheet and upload that.", limit=params.get("limit", 0)),
        "no_sheet": lambda: _("The workbook has no sheet to read."),
        "missing_columns": lambda: _("These required columns are missing: %(columns)s.",
                                     columns=", ".join(params.get("columns", []))),
        "empty": lambda: _("The sheet has no data rows."),
    }
    return messages.get(error.code, lambda: _("This file could not be read."))()
