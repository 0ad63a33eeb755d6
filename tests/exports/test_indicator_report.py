"""The indicator report workbook: summary, a sheet per indicator, tracking, definitions, a data sheet for machines."""
import datetime
import io

import pytest
from openpyxl import load_workbook

from exports.indicator_report import DATA_HEADER, DEFAULT_LABELS, SUMMARY_HEADER_ROW, build_indicator_workbook
from exports.lists import CREATOR

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)
GENERATED_AT = datetime.datetime(2026, 4, 2, 9, 30)


def disaggregation(by, by_label, category, category_label, numerator, denominator=None, value=None, masked=False):
    """One disaggregation row as the report computes it."""
    return {"by": by, "by_label": by_label, "category": category, "category_label": category_label,
            "numerator": numerator, "denominator": denominator, "value": value, "masked": masked}


def indicator(code, title, kind, numerator, denominator, value, disaggregations=(), **fields):
    """One indicator of the report, with a definition, no target and no notes unless given."""
    return {"code": code, "title": title, "kind": kind, "definition": f"How {code} is computed.",
            "numerator": numerator, "denominator": denominator, "value": value,
            "target": None, "percent_of_target": None, "disaggregations": list(disaggregations), "notes": [],
            **fields}


def enrolled():
    """A count, disaggregated by sex (one cell masked) and by age band."""
    return indicator("CUSTOM-1", "Number of individuals newly enrolled in livelihood training", "count",
                     120, None, 120, [
                         disaggregation("sex", "Sex", "female", "Female", 80, value=80),
                         disaggregation("sex", "Sex", "male", "Male", 38, value=38),
                         disaggregation("sex", "Sex", "other", "Other", None, masked=True),
                         disaggregation("age_band", "Age band", "15-19", "15-19", 50, value=50),
                         disaggregation("age_band", "Age band", "unknown", "Unknown", 70, value=70),
                     ], target=150, percent_of_target=0.8)


def completed():
    """A percentage, by sex, with a note."""
    return indicator("EG.6-14", "Percent of individuals who complete USG-assisted workforce development programs",
                     "percent", 65, 80, 0.8125, [
                         disaggregation("sex", "Sex", "female", "Female", 45, 50, 0.9),
                         disaggregation("sex", "Sex", "male", "Male", 20, 30, 0.6667),
                     ], target=0.85, percent_of_target=0.9559, notes=["Dropped out and withdrawn count as ended."])


def earnings():
    """An average of fractions of change, with no disaggregation."""
    return indicator("EG.6-11", "Average percent change in earnings", "average", 12.5, 10, 1.25)


def tracking():
    """The fiscal year's tracking of the three indicators."""
    return {"fiscal_year": 2026, "rows": [
        {"code": "CUSTOM-1", "title": "Newly enrolled", "kind": "count", "baseline": 0, "fy_target": 400,
         "q1": 90, "q2": 120, "q3": None, "q4": None, "fy_actual": 200, "percent_of_target": 0.5},
        {"code": "EG.6-14", "title": "Completion", "kind": "percent", "baseline": 0.7, "fy_target": 0.85,
         "q1": 0.75, "q2": 0.8125, "q3": None, "q4": None, "fy_actual": 0.79, "percent_of_target": 0.9294},
    ]}


def make_report(**changes):
    """A quarter's report of three indicators with tracking; `changes` replace its fields."""
    report = {"title": "Livelihood indicators", "period_label": "FY2026 Q2", "start": START, "end": END,
              "generated_at": GENERATED_AT, "filters": ["Programs: all", "Provinces: 02 Battambang"],
              "indicators": [enrolled(), completed(), earnings()], "tracking": tracking()}
    return {**report, **changes}


def build(report=None, labels=None):
    """Build the workbook from a report and load it back."""
    out = io.BytesIO()
    build_indicator_workbook(out, make_report() if report is None else report, labels or {})
    return load_workbook(io.BytesIO(out.getvalue()))


def values(sheet, row, columns=None):
    """The values of one row, first `columns` cells."""
    return [cell.value for cell in sheet[row]][:columns]


@pytest.fixture
def workbook():
    """The default report, built and loaded back."""
    return build()


def test_sheets_come_in_order_summary_indicators_tracking_definitions_data(workbook):
    assert workbook.sheetnames == ["Summary", "CUSTOM-1", "EG.6-14", "EG.6-11", "Tracking", "Definitions", "Data"]


def test_without_tracking_there_is_no_tracking_sheet():
    workbook = build(make_report(tracking=None))
    assert workbook.sheetnames == ["Summary", "CUSTOM-1", "EG.6-14", "EG.6-11", "Definitions", "Data"]


def test_the_workbook_names_its_creator_and_title(workbook):
    assert workbook.properties.creator == CREATOR
    assert workbook.properties.title == "Livelihood indicators"


def test_the_summary_opens_with_the_title_period_dates_generated_and_filters(workbook):
    sheet = workbook["Summary"]
    assert values(sheet, 1, 2) == ["Report", "Livelihood indicators"]
    assert values(sheet, 2, 2) == ["Period", "FY2026 Q2"]
    assert values(sheet, 3, 2) == ["From", datetime.datetime(2026, 1, 1)]
    assert sheet["B3"].is_date and sheet["B3"].number_format == "yyyy-mm-dd"
    assert values(sheet, 4, 2) == ["To", datetime.datetime(2026, 3, 31)]
    assert values(sheet, 5, 2) == ["Generated", GENERATED_AT]
    assert sheet["B6"].value == "Programs: all\nProvinces: 02 Battambang"
    assert sheet["B6"].alignment.wrap_text and "B6:G6" in sheet.merged_cells
    assert sheet.row_dimensions[6].height >= 30


@pytest.mark.parametrize("filters", [[], ["Programs: all"], [f"Filter {n}" for n in range(12)]])
def test_the_summary_header_is_on_a_fixed_row_and_frozen_below_it(filters):
    sheet = build(make_report(filters=filters))["Summary"]
    assert SUMMARY_HEADER_ROW == 8
    assert values(sheet, SUMMARY_HEADER_ROW) == ["Indicator", "Title", "Numerator", "Denominator", "Value",
                                                 "Target", "Percent of target"]
    assert all(cell.font.bold for cell in sheet[SUMMARY_HEADER_ROW])
    assert sheet.freeze_panes == "A9"
    assert sheet.cell(row=SUMMARY_HEADER_ROW + 1, column=1).value == "CUSTOM-1"


def test_the_summary_has_one_row_per_indicator_with_its_figures(workbook):
    sheet = workbook["Summary"]
    assert sheet.max_row == SUMMARY_HEADER_ROW + 3
    assert values(sheet, 9) == ["CUSTOM-1", "Number of individuals newly enrolled in livelihood training",
                                120, None, 120, 150, 0.8]
    assert values(sheet, 10) == ["EG.6-14", completed()["title"], 65, 80, 0.8125, 0.85, 0.9559]
    assert values(sheet, 11) == ["EG.6-11", "Average percent change in earnings", 12.5, 10, 1.25, None, None]


@pytest.mark.parametrize("row, formats", [
    (9, ["#,##0", "#,##0", "#,##0", "#,##0", "0.0%"]),   # a count: numbers throughout, percent of target
    (10, ["#,##0", "#,##0", "0.0%", "0.0%", "0.0%"]),    # a percentage: its value and target are fractions
    # An average of percent changes: the sum of the changes and the people averaged say what they are.
    (11, ['+0.0%" sum of changes";-0.0%" sum of changes";0.0%" sum of changes"', '#,##0" people"',
          "+0.0%;-0.0%;0.0%", "+0.0%;-0.0%;0.0%", "0.0%"]),
])
def test_summary_number_formats_follow_the_kind(workbook, row, formats):
    sheet = workbook["Summary"]
    assert [sheet.cell(row=row, column=column).number_format for column in range(3, 8)] == formats


def test_summary_columns_have_widths_and_titles_wrap(workbook):
    sheet = workbook["Summary"]
    assert sheet.column_dimensions["B"].width == 60
    assert all(sheet.column_dimensions[letter].width for letter in "ACDEFG")
    assert sheet["B9"].alignment.wrap_text


def test_an_indicator_sheet_shows_its_title_definition_and_total(workbook):
    sheet = workbook["CUSTOM-1"]
    assert sheet["A1"].value == "CUSTOM-1"
    assert sheet["A2"].value == "Number of individuals newly enrolled in livelihood training"
    assert sheet["A3"].value == "How CUSTOM-1 is computed." and sheet["A3"].alignment.wrap_text
    assert values(sheet, 5) == [None, "Numerator", "Denominator", "Value"]
    assert values(sheet, 6) == ["Total", 120, None, 120]
    assert sheet["B6"].number_format == "#,##0"


def test_an_average_sheet_names_its_figures_sum_of_changes_people_and_average_change(workbook):
    sheet = workbook["EG.6-11"]
    assert values(sheet, 5) == [None, "Sum of changes", "People averaged", "Average change"]
    assert values(sheet, 6) == ["Total", 12.5, 10, 1.25]
    assert sheet["B6"].number_format == sheet["D6"].number_format == "+0.0%;-0.0%;0.0%"


def test_a_unit_in_a_number_format_cannot_break_out_of_its_quotes():
    sheet = build(labels={"sum_unit": 'sum "of" changes'})["Summary"]
    assert sheet["C11"].number_format == '+0.0%" sum of changes";-0.0%" sum of changes";0.0%" sum of changes"'


def test_an_indicator_sheet_has_one_table_per_disaggregation(workbook):
    sheet = workbook["CUSTOM-1"]
    assert values(sheet, 7) == [None, None, None, None]
    assert sheet["A8"].value == "Sex" and sheet["A8"].font.bold
    assert values(sheet, 9) == ["Category", "Numerator", "Denominator", "Value"]
    assert values(sheet, 10) == ["Female", 80, None, 80]
    assert values(sheet, 11) == ["Male", 38, None, 38]
    assert sheet["A14"].value == "Age band"
    assert [values(sheet, row) for row in (16, 17)] == [["15-19", 50, None, 50], ["Unknown", 70, None, 70]]
    assert sheet.max_row == 17


def test_a_percentage_sheet_shows_fractions_as_percents_and_its_notes(workbook):
    sheet = workbook["EG.6-14"]
    assert values(sheet, 6) == ["Total", 65, 80, 0.8125]
    assert values(sheet, 10) == ["Female", 45, 50, 0.9]
    assert [sheet.cell(row=10, column=c).number_format for c in (2, 3, 4)] == ["#,##0", "#,##0", "0.0%"]
    assert sheet["A13"].value == "Notes" and sheet["A14"].value == "Dropped out and withdrawn count as ended."


def test_disaggregation_rows_are_grouped_by_their_by_in_the_order_they_first_come():
    rows = [disaggregation("sex", "Sex", "female", "Female", 3, value=3),
            disaggregation("province", "Province", "02", "02 Battambang", 4, value=4),
            disaggregation("sex", "Sex", "male", "Male", 1, value=1)]
    report = make_report(indicators=[indicator("C", "Count", "count", 4, None, 4, rows)], tracking=None)
    sheet = build(report)["C"]
    assert [values(sheet, row, 1)[0] for row in range(8, 17)] == [
        "Sex", "Category", "Female", "Male", None, "Province", "Category", "02 Battambang", None]


def test_a_masked_cell_shows_the_masked_label_and_no_number(workbook):
    sheet = workbook["CUSTOM-1"]
    assert values(sheet, 12) == ["Other", "masked", "masked", "masked"]
    assert all(cell.data_type == "s" for cell in sheet[12])


def test_the_masked_label_is_the_callers():
    sheet = build(labels={"masked": "<5"})["CUSTOM-1"]
    assert values(sheet, 12) == ["Other", "<5", "<5", "<5"]


def test_the_tracking_sheet_lists_baseline_target_quarters_and_year(workbook):
    sheet = workbook["Tracking"]
    assert values(sheet, 1, 2) == ["Fiscal year", 2026]
    assert values(sheet, 3) == ["Indicator", "Title", "Baseline", "FY target", "Q1", "Q2", "Q3", "Q4",
                                "FY actual", "Percent of target"]
    assert values(sheet, 4) == ["CUSTOM-1", "Newly enrolled", 0, 400, 90, 120, None, None, 200, 0.5]
    assert values(sheet, 5) == ["EG.6-14", "Completion", 0.7, 0.85, 0.75, 0.8125, None, None, 0.79, 0.9294]
    assert [cell.number_format for cell in sheet[4]][2:] == ["#,##0"] * 7 + ["0.0%"]
    assert [cell.number_format for cell in sheet[5]][2:] == ["0.0%"] * 8
    assert sheet.freeze_panes == "C4"


def test_the_definitions_sheet_lists_code_title_kind_and_wrapped_definition(workbook):
    sheet = workbook["Definitions"]
    assert values(sheet, 1) == ["Indicator", "Title", "Kind", "Definition"]
    assert values(sheet, 2) == ["CUSTOM-1", enrolled()["title"], "Count", "How CUSTOM-1 is computed."]
    assert [values(sheet, row)[2] for row in (3, 4)] == ["Percent", "Average"]
    assert sheet["D2"].alignment.wrap_text and sheet.column_dimensions["D"].width >= 60
    assert sheet.max_row == 4


def test_the_data_sheet_header_is_fixed_in_english_whatever_the_labels():
    labels = {key: f"ខ្មែរ {key}" for key in DEFAULT_LABELS}
    sheet = build(labels=labels)[labels["data"]]
    assert values(sheet, 1) == ["indicator", "period", "disaggregation", "category", "numerator", "denominator",
                                "value"]
    assert list(DATA_HEADER) == values(sheet, 1)


def test_the_data_sheet_has_a_total_then_a_row_per_category_for_each_indicator(workbook):
    sheet = workbook["Data"]
    report = make_report()
    assert sheet.max_row - 1 == sum(1 + len(ind["disaggregations"]) for ind in report["indicators"]) == 10
    expected = []
    for ind in report["indicators"]:
        expected.append([ind["code"], "FY2026 Q2", "total", "total", ind["numerator"], ind["denominator"],
                         ind["value"]])
        expected += [[ind["code"], "FY2026 Q2", row["by"], row["category"], row["numerator"], row["denominator"],
                      row["value"]] for row in ind["disaggregations"]]
    assert [values(sheet, row) for row in range(2, sheet.max_row + 1)] == expected


def test_the_data_sheet_leaves_masked_figures_empty_and_keeps_numbers_as_numbers(workbook):
    sheet = workbook["Data"]
    assert values(sheet, 5) == ["CUSTOM-1", "FY2026 Q2", "sex", "other", None, None, None]
    assert sheet["G8"].value == 0.8125 and sheet["G8"].data_type == "n"
    assert "masked" not in [cell.value for row in sheet.iter_rows() for cell in row]


def test_the_data_sheet_is_frozen_and_filtered(workbook):
    sheet = workbook["Data"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G11"


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"click\")", "+855 12", "-1", "@SUM(A1)"])
def test_formula_like_text_is_written_as_text(text):
    ind = indicator("EG.6-14", text, "percent", 1, 2, 0.5,
                    [disaggregation("sex", text, "female", text, 1, 2, 0.5)], definition=text, notes=[text])
    workbook = build(make_report(title=text, filters=[text], indicators=[ind], tracking=None))
    cells = [workbook["Summary"]["B1"], workbook["Summary"]["B6"], workbook["Summary"]["B9"],
             workbook["EG.6-14"]["A2"], workbook["EG.6-14"]["A3"], workbook["EG.6-14"]["A8"],
             workbook["EG.6-14"]["A10"], workbook["EG.6-14"]["A13"], workbook["Definitions"]["B2"],
             workbook["Definitions"]["D2"]]
    assert [(cell.value, cell.data_type) for cell in cells] == [(text, "s")] * len(cells)


def test_khmer_titles_and_labels_survive():
    title = "ភាគរយនៃអ្នកបញ្ចប់វគ្គបណ្តុះបណ្តាល"
    labels = {"summary": "សេចក្តីសង្ខេប", "data": "ទិន្នន័យ", "masked": "លាក់", "total": "សរុប"}
    ind = indicator("EG.6-14", title, "percent", 1, 2, 0.5,
                    [disaggregation("sex", "ភេទ", "female", "ស្រី", None, masked=True)])
    workbook = build(make_report(title=title, indicators=[ind], tracking=None), labels)
    assert workbook.sheetnames == ["សេចក្តីសង្ខេប", "EG.6-14", "Definitions", "ទិន្នន័យ"]
    assert workbook["សេចក្តីសង្ខេប"]["B1"].value == title and workbook["សេចក្តីសង្ខេប"]["B9"].value == title
    assert values(workbook["EG.6-14"], 6) == ["សរុប", 1, 2, 0.5]
    assert values(workbook["EG.6-14"], 10) == ["ស្រី", "លាក់", "លាក់", "លាក់"]
    assert workbook.properties.title == title


@pytest.mark.parametrize("code, name", [
    ("EG.6-14", "EG.6-14"),
    ("GNDR/2: [women]?*", "GNDR 2   women"),
    ("X" * 40, "X" * 31),
    ("", "Indicator 1"),
])
def test_an_indicator_code_makes_a_valid_sheet_name(code, name):
    workbook = build(make_report(indicators=[indicator(code, "T", "count", 1, None, 1)], tracking=None))
    assert workbook.sheetnames[1] == name


def test_clashing_codes_get_distinct_names_and_the_fixed_sheets_keep_theirs():
    codes = ["data", "A" * 31, "a" * 31, "EG.6-14"]
    report = make_report(indicators=[indicator(code, "T", "count", 1, None, 1) for code in codes])
    assert build(report).sheetnames == ["Summary", "data (2)", "A" * 31, "a" * 27 + " (2)", "EG.6-14",
                                        "Tracking", "Definitions", "Data"]


def test_callers_labels_are_merged_over_the_english_defaults():
    workbook = build(labels={"summary": "Overview", "numerator": "Count"})
    assert workbook.sheetnames[0] == "Overview"
    assert values(workbook["Overview"], SUMMARY_HEADER_ROW)[2:4] == ["Count", "Denominator"]


def test_control_characters_and_time_zones_do_not_abort_the_export():
    generated = datetime.datetime(2026, 4, 2, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    ind = indicator("C\x01", "Bad\x07title", "count", 1, None, 1)
    workbook = build(make_report(title="Report\x00", generated_at=generated, indicators=[ind], tracking=None))
    assert workbook.sheetnames[1] == "C"
    assert workbook["Summary"]["B1"].value == "Report" and workbook["C"]["A2"].value == "Badtitle"
    assert workbook["Summary"]["B5"].value == datetime.datetime(2026, 4, 2, 9, 30)


def test_an_unknown_kind_is_refused_before_anything_is_written():
    out = io.BytesIO()
    with pytest.raises(ValueError, match="count, percent or average"):
        build_indicator_workbook(out, make_report(indicators=[indicator("C", "T", "ratio", 1, 2, 0.5)]), {})
    assert out.getvalue() == b""


def test_every_text_in_the_workbook_comes_from_the_report_or_the_labels(workbook):
    # The builder adds no text of its own, so nothing personal can enter the report through it.
    report = make_report()
    allowed = {report["title"], report["period_label"], "\n".join(report["filters"]), *DEFAULT_LABELS.values(),
               *DATA_HEADER, "total"}
    for ind in report["indicators"]:
        allowed |= {ind["code"], ind["title"], ind["definition"], *ind["notes"]}
        allowed |= {text for row in ind["disaggregations"]
                    for text in (row["by"], row["by_label"], row["category"], row["category_label"])}
    allowed |= {row[key] for row in report["tracking"]["rows"] for key in ("code", "title")}
    texts = {cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str)}
    assert texts <= allowed
