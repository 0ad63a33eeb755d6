"""The donor workbook: the report, the fiscal year's tracking table and translated labels, for exports/."""
import io

from flask_babel import get_locale
from flask_babel import gettext as _

from exports.indicator_report import build_indicator_workbook
from registry.beneficiaries import choices
from registry.i18n import N_
from registry.programs.models import Program
from registry.reference.models import Province
from registry.reports.indicators import fiscal_year_reports, in_language
from registry.reports.models import Indicator
from registry.timeutil import utcnow

BY_LABELS = {"sex": N_("Sex"), "age_band": N_("Age"), "category": N_("Category"), "province": N_("Province"),
             "disability": N_("Disability"), "program": N_("Program")}


def _labels():
    return {"summary": _("Summary"), "tracking": _("Tracking"), "definitions": _("Definitions"), "data": "data",
            "indicator": _("Indicator"), "title": _("Title"), "numerator": _("Numerator"),
            "denominator": _("Denominator"), "value": _("Value"), "target": _("Target"),
            "percent_of_target": _("Percent of target"), "disaggregation": _("Disaggregation"), "category": _("Category"),
            "period": _("Period"), "baseline": _("Baseline"), "fy_target": _("Fiscal-year target"),
            "fy_actual": _("Fiscal-year actual"), "definition": _("Definition"), "kind": _("Kind"),
            "masked": _("masked"), "notes": _("Notes"), "report": _("Indicator report"), "period_from": _("Start date"),
            "period_to": _("End date"), "generated": _("Generated"), "total": _("Total"), "fiscal_year": _("Fiscal year"),
            "kind_count": _("count"), "kind_percent": _("percent"), "kind_average": _("average"),
            "q1": _("Q1"), "q2": _("Q2"), "q3": _("Q3"), "q4": _("Q4"),
            "people_averaged": _("People averaged"), "sum_of_changes": _("Sum of changes"),
            "average_change": _("Average change"), "people_unit": _("people"), "sum_unit": _("sum of changes")}


def _category_label(by, category, programs, provinces):
    if category == "unknown":
        return _("Unknown")
    mapping = {"sex": choices.SEX, "age_band": choices.AGE_BAND, "category": choices.CATEGORY,
               "disability": {"yes": _("Yes"), "no": _("No")}, "program": programs, "province": provinces}
    return str(mapping[by].get(category, category))


def _tracking(year, programs, provinces, known=None):
    """Q1-Q4 and the fiscal year's actuals, with baseline and targets, for every indicator.

    The quarters (and the year) come from one pass over the year's rows. `known` is a report
    already computed (the one being exported): when it is the fiscal year's it is reused.
    """
    *quarters, whole = fiscal_year_reports(year, programs, provinces, known=known)
    rows = []
    for n, indicator in enumerate(Indicator.reported()):
        total = whole["indicators"][n]
        rows.append({"code": indicator.code, "title": indicator.title, "title_km": indicator.title_km,
                     "kind": total["kind"],
                     "baseline": float(indicator.baseline) if indicator.baseline is not None else None,
                     "fy_target": total["target"], "fy_actual": total["value"],
                     "percent_of_target": total["percent_of_target"],
                     **{f"q{q}": quarters[q - 1]["indicators"][n]["value"] for q in (1, 2, 3, 4)}})
    return {"fiscal_year": year, "rows": rows}


def workbook_document(report, programs, provinces, filters_text):
    """What the workbook shows: the report with its labels, notes and its fiscal year's tracking table."""
    program_names = {str(p.id): p.name for p in Program.select()}
    province_names = {p.code: f"{p.code} {p.name}" for p in Province.select()}
    for indicator in report["indicators"]:
        for row in indicator["disaggregations"]:
            row["by_label"] = _(BY_LABELS[row["by"]])
            row["category_label"] = _category_label(row["by"], row["category"], program_names, province_names)
            row.setdefault("masked", False)
        indicator["notes"] = ([_("People with no income at registration who now earn: %(num)d", num=indicator[
            "notes"]["no_baseline_now_earning"])] if "no_baseline_now_earning" in indicator["notes"] else [])
    return {**report, "title": _("Indicator report"), "generated_at": utcnow(), "filters": filters_text,
            "tracking": _tracking(report["fiscal_year"], programs, provinces, known=report)}


def workbook_bytes(document):
    """The .xlsx of a workbook document, with its labels, titles and definitions in the user's language."""
    out = io.BytesIO()
    build_indicator_workbook(out, in_language(document, get_locale()), _labels())
    return out.getvalue()


def indicator_workbook(report, programs, provinces, filters_text):
    """The workbook's bytes for a computed report (and its fiscal year's tracking table)."""
    return workbook_bytes(workbook_document(report, programs, provinces, filters_text))


