"""The donor's indicator report: a summary, one sheet per indicator, tracking, definitions and a long data sheet.

Plain values in, a workbook out. Only the report's figures, titles, definitions and filters are
written: the report carries no names, phones or ID numbers, and nothing here adds any.
"""
import datetime
import math

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from exports.cells import safe_row
from exports.lists import CREATOR, DATE_FORMAT, DATETIME_FORMAT, TITLE_MAX, sheet_title

DEFAULT_LABELS = {
    "summary": "Summary", "tracking": "Tracking", "definitions": "Definitions", "data": "Data",
    "indicator": "Indicator", "title": "Title", "numerator": "Numerator", "denominator": "Denominator",
    "value": "Value", "target": "Target", "percent_of_target": "Percent of target",
    "disaggregation": "Disaggregation", "category": "Category", "period": "Period", "baseline": "Baseline",
    "fy_target": "FY target", "q1": "Q1", "q2": "Q2", "q3": "Q3", "q4": "Q4", "fy_actual": "FY actual",
    "definition": "Definition", "kind": "Kind", "masked": "masked", "notes": "Notes", "report": "Report",
    "period_from": "From", "period_to": "To", "generated": "Generated",
    # Used by the layout too; English unless the caller translates them as well.
    "total": "Total", "fiscal_year": "Fiscal year",
    "kind_count": "Count", "kind_percent": "Percent", "kind_average": "Average",
    # An average's figures, named for what they are (EG.6-11: a mean of percent changes in earnings).
    "people_averaged": "People averaged", "sum_of_changes": "Sum of changes", "average_change": "Average change",
    "people_unit": "people", "sum_unit": "sum of changes",
}
# The data sheet's header stays in English whatever the language: pivots and scripts rely on it.
DATA_HEADER = ("indicator", "period", "disaggregation", "category", "numerator", "denominator", "value")
TOTAL = "total"
SUMMARY_HEADER_ROW = 8  # fixed, however many filter lines: a reader can find the table without searching
TRACKING_HEADER_ROW = 3
FIXED_SHEETS = ("summary", "tracking", "definitions", "data")

COUNT_FORMAT, PERCENT_FORMAT, CHANGE_FORMAT = "#,##0", "0.0%", "+0.0%;-0.0%;0.0%"
# Per kind: the number formats of the numerator, the denominator and the value (targets and actuals too).
KIND_FORMATS = {
    "count": (COUNT_FORMAT, COUNT_FORMAT, COUNT_FORMAT),
    "percent": (COUNT_FORMAT, COUNT_FORMAT, PERCENT_FORMAT),
    # An average's numerator is the sum of the percent changes it averages and its denominator the people
    # averaged: in the summary's shared columns their formats name them (_labelled), the cells stay numbers.
    "average": (CHANGE_FORMAT, COUNT_FORMAT, CHANGE_FORMAT),
}
BOLD, BIG = Font(bold=True), Font(bold=True, size=14)
MASKED_FONT = Font(italic=True, color="FF808080")
WRAPPED = Alignment(wrap_text=True, vertical="top")
LINE_HEIGHT = 15  # points per line of wrapped text in a merged cell, which Excel never fits by itself


def build_indicator_workbook(out, report, labels=None):
    """Write the indicator report to the file-like `out`.

    :param report: the computed report: title, period, filters, indicators and optional tracking.
    :param labels: translated sheet names, headers and words, merged over DEFAULT_LABELS.
    :raise ValueError: an indicator's kind is not count, percent or average.
    """
    labels = {**DEFAULT_LABELS, **(labels or {})}
    indicators = report["indicators"]
    for indicator in indicators:
        _formats(indicator["kind"])  # fail before writing anything
    workbook = Workbook()
    workbook.properties.creator = CREATOR
    workbook.properties.title = _clean(report["title"])
    names, indicator_names = _sheet_names(labels, indicators)
    workbook.active.title = names["summary"]
    _write_summary(workbook.active, report, labels)
    for indicator, name in zip(indicators, indicator_names):
        _write_indicator(workbook.create_sheet(name), indicator, labels)
    if report.get("tracking") is not None:
        _write_tracking(workbook.create_sheet(names["tracking"]), report["tracking"], labels)
    _write_definitions(workbook.create_sheet(names["definitions"]), indicators, labels)
    _write_data(workbook.create_sheet(names["data"]), report)
    workbook.save(out)


def _sheet_names(labels, indicators):
    """Valid, distinct sheet titles: the fixed sheets keep theirs, a clashing indicator code gets a number."""
    taken = set()
    names = {key: _unique_title(labels[key], DEFAULT_LABELS[key], taken) for key in FIXED_SHEETS}
    codes = [_unique_title(ind["code"], f"Indicator {n}", taken) for n, ind in enumerate(indicators, 1)]
    return names, codes


def _unique_title(text, default, taken):
    """A sheet title not yet in `taken` (compared as Excel does, ignoring case), then added to it."""
    base = name = sheet_title(_clean(str(text or "")), default)
    number = 1
    while name.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        name = sheet_title(base[:TITLE_MAX - len(suffix)] + suffix, default)
    taken.add(name.casefold())
    return name


def _write_summary(sheet, report, labels):
    """Title lines, then one row per indicator under a header always on SUMMARY_HEADER_ROW."""
    _write_heading(sheet, report, labels)
    keys = ("indicator", "title", "numerator", "denominator", "value", "target", "percent_of_target")
    _append_header(sheet, [labels[key] for key in keys])
    for ind in report["indicators"]:
        numerator, denominator, value = _formats(ind["kind"])
        if ind["kind"] == "average":
            numerator = _labelled(CHANGE_FORMAT, labels["sum_unit"])
            denominator = _labelled(COUNT_FORMAT, labels["people_unit"])
        row = _append(sheet, [ind["code"], ind["title"], ind["numerator"], ind["denominator"], ind["value"],
                              ind["target"], ind["percent_of_target"]],
                      (None, None, numerator, denominator, value, value, PERCENT_FORMAT))
        sheet.cell(row=row, column=2).alignment = WRAPPED
    sheet.freeze_panes = f"A{SUMMARY_HEADER_ROW + 1}"
    _set_widths(sheet, (16, 60, 13, 13, 13, 13, 13))


def _write_heading(sheet, report, labels):
    """Rows 1-7: title, period, dates, generated, the filters in one wrapped cell, a blank row."""
    _append(sheet, [labels["report"], report["title"]])
    sheet["B1"].font = BIG
    _append(sheet, [labels["period"], report["period_label"]])
    _append(sheet, [labels["period_from"], report["start"]], (None, DATE_FORMAT))
    _append(sheet, [labels["period_to"], report["end"]], (None, DATE_FORMAT))
    _append(sheet, [labels["generated"], report["generated_at"]], (None, DATETIME_FORMAT))
    for row in range(1, 6):
        sheet.cell(row=row, column=1).font = BOLD
        sheet.cell(row=row, column=2).alignment = Alignment(horizontal="left")
    filters = [_clean(str(line)) for line in report.get("filters") or ()]
    if filters:
        _merge_wrapped(sheet, _append(sheet, [None, "\n".join(filters)]), 2, 7, 60 + 5 * 13)
    else:
        sheet.append([])
    sheet.append([])


def _write_indicator(sheet, ind, labels):
    """The indicator's code, title and definition, its total, one table per disaggregation, then its notes."""
    formats = _formats(ind["kind"])
    _set_widths(sheet, (32, 14, 14, 14))
    _append(sheet, [ind["code"]])
    sheet["A1"].font = BIG
    _merge_wrapped(sheet, _append(sheet, [ind["title"]]), 1, 4, 74)
    sheet["A2"].font = BOLD
    _merge_wrapped(sheet, _append(sheet, [ind["definition"]]), 1, 4, 74)
    sheet.append([])
    names = _figure_names(ind["kind"], labels)
    _append_header(sheet, [None] + names)
    _append(sheet, [labels["total"], ind["numerator"], ind["denominator"], ind["value"]], (None,) + formats)
    header = [labels["category"]] + names
    for by_label, rows in _groups(ind["disaggregations"]):
        sheet.append([])
        sheet.cell(row=_append(sheet, [by_label]), column=1).font = BOLD
        _append_header(sheet, header)
        for row in rows:
            _append_disaggregation(sheet, row, formats, labels["masked"])
    if ind.get("notes"):
        sheet.append([])
        sheet.cell(row=_append(sheet, [labels["notes"]]), column=1).font = BOLD
        for note in ind["notes"]:
            _merge_wrapped(sheet, _append(sheet, [note]), 1, 4, 74)


def _append_disaggregation(sheet, row, formats, masked):
    """One category's row; a masked one shows the masked word in place of every number."""
    if not row.get("masked"):
        _append(sheet, [row["category_label"], row["numerator"], row["denominator"], row["value"]],
                (None,) + formats)
        return
    number = _append(sheet, [row["category_label"], masked, masked, masked])
    for column in (2, 3, 4):
        cell = sheet.cell(row=number, column=column)
        cell.font, cell.alignment = MASKED_FONT, Alignment(horizontal="right")


def _groups(rows):
    """The disaggregation rows grouped by their `by`, groups in the order they first come: (by_label, rows)."""
    groups = {}
    for row in rows:
        groups.setdefault(row["by"], []).append(row)
    return [(rows[0]["by_label"], rows) for rows in groups.values()]


def _write_tracking(sheet, tracking, labels):
    """The fiscal year, then per indicator: baseline, target, the four quarters, the year and percent of target."""
    _append(sheet, [labels["fiscal_year"], tracking["fiscal_year"]])
    sheet["A1"].font = BOLD
    sheet.append([])
    figures = ("baseline", "fy_target", "q1", "q2", "q3", "q4", "fy_actual")
    _append_header(sheet, [labels[key] for key in ("indicator", "title") + figures + ("percent_of_target",)])
    for row in tracking["rows"]:
        value = _formats(row["kind"])[2]
        number = _append(sheet, [row["code"], row["title"]] + [row[key] for key in figures]
                         + [row["percent_of_target"]], (None, None) + (value,) * len(figures) + (PERCENT_FORMAT,))
        sheet.cell(row=number, column=2).alignment = WRAPPED
    sheet.freeze_panes = f"C{TRACKING_HEADER_ROW + 1}"
    _set_widths(sheet, (16, 50) + (12,) * 8)


def _write_definitions(sheet, indicators, labels):
    """Code, title, kind and the full definition of every indicator."""
    _append_header(sheet, [labels["indicator"], labels["title"], labels["kind"], labels["definition"]])
    for ind in indicators:
        row = _append(sheet, [ind["code"], ind["title"], labels.get(f"kind_{ind['kind']}", ind["kind"]),
                              ind["definition"]])
        for cell in sheet[row]:
            cell.alignment = WRAPPED
    sheet.freeze_panes = "A2"
    _set_widths(sheet, (16, 50, 12, 90))


def _write_data(sheet, report):
    """The long table for machines: the total then every category of each indicator, one per row."""
    _append_header(sheet, DATA_HEADER)
    period = report["period_label"]
    for ind in report["indicators"]:
        _append(sheet, [ind["code"], period, TOTAL, TOTAL, ind["numerator"], ind["denominator"], ind["value"]])
        for row in ind["disaggregations"]:
            # A masked cell is empty, not zero: a pivot must not add it up as nobody.
            figures = [None] * 3 if row.get("masked") else [row["numerator"], row["denominator"], row["value"]]
            _append(sheet, [ind["code"], period, row["by"], row["category"]] + figures)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(DATA_HEADER))}{sheet.max_row}"
    _set_widths(sheet, (16, 14, 16, 20, 12, 12, 12))


def _figure_names(kind, labels):
    """The headers of an indicator sheet's numerator, denominator and value columns."""
    if kind == "average":
        return [labels["sum_of_changes"], labels["people_averaged"], labels["average_change"]]
    return [labels["numerator"], labels["denominator"], labels["value"]]


def _labelled(number_format, unit):
    """A number format that shows a unit after the number (each section of the format), the cell staying a number."""
    unit = _clean(str(unit)).replace('"', "")
    return ";".join(f'{section}" {unit}"' for section in number_format.split(";"))


def _formats(kind):
    """The number formats of an indicator kind: numerator, denominator, value."""
    try:
        return KIND_FORMATS[kind]
    except KeyError:
        raise ValueError(f"An indicator's kind must be count, percent or average, not {kind!r}.") from None


def _append(sheet, values, formats=()):
    """Append one row of values made safe, with number formats by column; return its row number."""
    sheet.append(safe_row(sheet, [_clean(value) for value in values]))
    row = sheet.max_row
    for column, number_format in enumerate(formats, 1):
        if number_format:
            sheet.cell(row=row, column=column).number_format = number_format
    return row


def _append_header(sheet, titles):
    """A bold header row."""
    row = _append(sheet, titles)
    for cell in sheet[row]:
        cell.font = BOLD
    return row


def _merge_wrapped(sheet, row, first, last, width):
    """Merge a row's cells from `first` to `last` column, wrap the text and make the row tall enough."""
    sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = sheet.cell(row=row, column=first)
    cell.alignment = WRAPPED
    lines = sum(max(1, math.ceil(len(part) / width)) for part in str(cell.value or "").split("\n"))
    sheet.row_dimensions[row].height = LINE_HEIGHT * lines


def _set_widths(sheet, widths):
    """Give each column its width, from A."""
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _clean(value):
    """Text without the control characters a workbook cannot hold; times without a zone (Excel has none)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)  # the caller localises; we keep the wall-clock time
    return value
