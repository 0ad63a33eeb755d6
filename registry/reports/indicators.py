"""The indicator report: each active indicator computed for a period, with every disaggregation.

A report is one SQL statement (registry.reports.computations.figures_sql) whatever the number of
people and indicators, beside the indicators and their targets: the shared candidate rows are read
once, and every total and disaggregation comes out of the database already summed.
"""
from collections import defaultdict
from decimal import Decimal

from registry.db import database, is_postgres
from registry.reports.computations import COMPUTATIONS, DIMENSIONS, TOTAL, figures_sql, person_ids_sql
from registry.reports.models import Indicator, IndicatorTarget, text_in
from registry.reports.periods import first_month, fiscal_quarter, fiscal_year, fiscal_year_of

NOBODY = (0, 0, 0)  # numerator, denominator and note of a figure with no one in it


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


def _value(kind, numerator, denominator):
    """The rule of docs/domain.md#values: a count is its numerator; a ratio is rounded to 4 places, None over 0."""
    if kind == "count":
        return numerator
    return round(numerator / denominator, 4) if denominator else None


def _shown(kind, numerator, denominator):
    """(numerator, denominator, value) as the report shows a figure: an average's numerator to 6 places."""
    numerator = round(numerator, 6) if kind == "average" else int(numerator)
    denominator = None if kind == "count" else denominator
    return numerator, denominator, _value(kind, numerator, denominator)


def _dated(day):
    """A date as the database compares it: SQLite compares the ISO text the dates are stored as."""
    return day if is_postgres() else day.isoformat()


def _figures(computations, filters, parts=(), whole=True, by_dimension=True):
    """{(computation, part): {dimension: {category: (numerator, denominator, note)}}}, from one statement."""
    figures = defaultdict(lambda: defaultdict(dict))
    if not computations:
        return figures
    filters = {**filters, "start": _dated(filters["start"]), "end": _dated(filters["end"])}
    sql, params = figures_sql(computations, filters, [(_dated(a), _dated(b)) for a, b in parts], whole, by_dimension)
    for name, part, dimension, category, numerator, denominator, note in database.execute_sql(sql, params):
        figures[name, part][dimension][str(category)] = (_number(numerator) or 0, int(denominator or 0),
                                                         int(note or 0))
    return figures


def _computations(indicators):
    """The computations the indicators use, each once."""
    return list({i.computation: COMPUTATIONS[i.computation] for i in indicators}.values())


def _result(indicator, cells):
    """One indicator's totals, disaggregations and notes from its computation's figures."""
    computation = COMPUTATIONS[indicator.computation]
    kind = computation.kind
    total = cells.get(TOTAL, {}).get(TOTAL, NOBODY)
    numerator, denominator, value = _shown(kind, *total[:2])
    disaggregations = []
    for by in (by for by in indicator.disaggregation_list() if by in DIMENSIONS):
        for category, (n, d, _note) in sorted(cells.get(by, {}).items()):
            n, d, v = _shown(kind, n, d)
            disaggregations.append({"by": by, "category": category, "numerator": n, "denominator": d, "value": v})
    result = {"code": indicator.code, "title": indicator.title, "kind": kind, "definition": indicator.definition,
              "title_km": indicator.title_km, "definition_km": indicator.definition_km,
              "numerator": numerator, "denominator": denominator, "value": value,
              "disaggregations": disaggregations, "notes": {}}
    if computation.note:
        result["notes"]["no_baseline_now_earning"] = total[2]
    return result


def compute(indicator, filters):
    """One indicator for filters {start, end, programs, provinces}: totals and disaggregations."""
    computation = COMPUTATIONS[indicator.computation]
    return _result(indicator, _figures([computation], filters)[computation.name, 0])


def _target_key(period):
    """(fiscal year, quarter or 0) of a fiscal quarter's or year's period; None for other periods."""
    label = period.label
    if not label.startswith("FY"):
        return None
    year, _sep, quarter = label[2:].partition(" Q")
    return int(year), int(quarter) if quarter else 0


def _targets(indicators, year):
    """{(indicator id, quarter or 0): target} of a fiscal year, in one query."""
    rows = IndicatorTarget.select(IndicatorTarget.indicator, IndicatorTarget.quarter, IndicatorTarget.target).where(
        IndicatorTarget.indicator.in_([i.id for i in indicators]) & (IndicatorTarget.fiscal_year == year))
    return {(row.indicator_id, row.quarter): float(row.target) for row in rows}


def target_of(indicator, period):
    """The target for a fiscal quarter or year; None for other periods."""
    key = _target_key(period)
    return _targets([indicator], key[0]).get((indicator.id, key[1])) if key else None


def _report(period, indicators, figures, part, targets, fiscal_year_number):
    """The report's dict for one period: each indicator's result with its target."""
    key = _target_key(period)
    results = []
    for indicator in indicators:
        result = _result(indicator, figures[indicator.computation, part])
        target = targets.get((indicator.id, key[1])) if key else None
        result["target"] = target
        result["percent_of_target"] = (round(result["value"] / target, 4)
                                       if target and result["value"] is not None else None)
        results.append(result)
    return {"start": period.start, "end": period.end, "period_label": period.label, "indicators": results,
            "fiscal_year": fiscal_year_number}


def _filters(period, programs, provinces):
    return {"start": period.start, "end": period.end, "programs": programs or [], "provinces": provinces}


def indicator_report(period, programs=None, provinces=None):
    """Every active indicator for a period; provinces None means all (the caller applies the user's scope)."""
    indicators = list(Indicator.reported())
    key = _target_key(period)
    targets = _targets(indicators, key[0]) if key and indicators else {}
    figures = _figures(_computations(indicators), _filters(period, programs, provinces))
    return _report(period, indicators, figures, 0, targets, fiscal_year_of(period.end))


def fiscal_year_reports(year, programs=None, provinces=None, known=None):
    """The reports of a fiscal year's four quarters, then of the year: totals only, no disaggregations.

    One pass over the year's rows gives them all: each row is numbered within its quarter as well
    as within the year, so every figure is the one the period's own report shows. `known`, a
    report already computed, is the year's report when it is for that year (not computed again).
    """
    month = first_month()
    quarters = [fiscal_quarter(year, q, month) for q in (1, 2, 3, 4)]
    span = fiscal_year(year, month)
    whole = known is None or (known["start"], known["end"]) != (span.start, span.end)
    indicators = list(Indicator.reported())
    targets = _targets(indicators, year) if indicators else {}
    figures = _figures(_computations(indicators), _filters(span, programs, provinces),
                       parts=[(q.start, q.end) for q in quarters], whole=whole, by_dimension=False)
    periods = list(enumerate(quarters, 1)) + ([(0, span)] if whole else [])
    reports = [_report(period, indicators, figures, part, targets, year) for part, period in periods]
    return reports if whole else reports + [known]


def in_language(report, locale):
    """A copy of a report (computed, or kept at submission) with the titles and definitions in a language.

    The Khmer text shows when there is one: a report kept at submission before indicators had Khmer
    titles has none, and shows the English it was submitted with.
    """
    def shown(item):
        texts = {name: text_in(item[name], item.get(f"{name}_km"), locale)
                 for name in ("title", "definition") if name in item}
        return {**item, **texts}

    copy = {**report, "indicators": [shown(i) for i in report["indicators"]]}
    if report.get("tracking"):
        copy["tracking"] = {**report["tracking"], "rows": [shown(row) for row in report["tracking"]["rows"]]}
    return copy


PEOPLE_SHOWN = 500


def people_behind(indicator, period, programs=None, provinces=None, by=None, category=None, numerator_only=False):
    """The ids of the people a figure counts (at most PEOPLE_SHOWN), for the link from each count."""
    filters = _filters(period, programs, provinces)
    filters["start"], filters["end"] = _dated(period.start), _dated(period.end)
    if by is not None and by not in DIMENSIONS:
        raise ValueError(by)
    sql, params = person_ids_sql(COMPUTATIONS[indicator.computation], filters, by, category, numerator_only)
    return [row[0] for row in database.execute_sql(f"{sql} ORDER BY person LIMIT {PEOPLE_SHOWN}", params)]
