"""The indicator report: each active indicator computed for a period, with every disaggregation."""
from collections import defaultdict
from decimal import Decimal

from registry.db import database, is_postgres
from registry.reports.computations import COMPUTATIONS, DIMENSIONS, no_baseline_now_earning_sql, person_rows_sql
from registry.reports.models import Indicator, IndicatorTarget
from registry.reports.periods import fiscal_year_of

DIMENSION_ORDER = list(DIMENSIONS)  # the columns of person_rows_sql, before numerator and denominator
ROW_DIMENSIONS = [d for d in DIMENSION_ORDER if d != "age_band"] + ["age_band"]


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


def _value(kind, numerator, denominator):
    """DOMAIN.md's closing rule: a count is its numerator; a ratio is rounded to 4 places, None over 0."""
    if kind == "count":
        return numerator
    return round(numerator / denominator, 4) if denominator else None


def _grouped(computation, filters):
    """[(dimension values dict, numerator, denominator)] from the one GROUP BY query."""
    params = dict(filters)
    if not is_postgres():  # SQLite compares the ISO text the dates are stored as
        params["start"], params["end"] = params["start"].isoformat(), params["end"].isoformat()
    sql, values = person_rows_sql(computation, params)
    rows = []
    for row in database.execute_sql(sql, values).fetchall():
        dims = dict(zip(ROW_DIMENSIONS, row[:len(ROW_DIMENSIONS)]))
        rows.append((dims, _number(row[-2]) or 0, row[-1]))
    return rows, params


def _sum(rows, kind):
    numerator = sum(n for _d, n, _c in rows)
    denominator = sum(c for _d, _n, c in rows)
    numerator = round(numerator, 6) if kind == "average" else int(numerator)
    return numerator, (None if kind == "count" else denominator)


def _disaggregate(rows, by, kind):
    groups = defaultdict(list)
    for row in rows:
        groups[str(row[0][by])].append(row)
    result = []
    for category in sorted(groups):
        numerator, denominator = _sum(groups[category], kind)
        result.append({"by": by, "category": category, "numerator": numerator, "denominator": denominator,
                       "value": _value(kind, numerator, denominator if kind != "count" else None)})
    return result


def compute(indicator, filters):
    """One indicator for filters {start, end, programs, provinces}: totals and disaggregations."""
    computation = COMPUTATIONS[indicator.computation]
    rows, params = _grouped(computation, filters)
    numerator, denominator = _sum(rows, computation.kind)
    result = {"code": indicator.code, "title": indicator.title, "kind": computation.kind,
              "definition": indicator.definition, "numerator": numerator, "denominator": denominator,
              "value": _value(computation.kind, numerator, denominator),
              "disaggregations": [d for by in indicator.disaggregation_list() if by in DIMENSIONS
                                  for d in _disaggregate(rows, by, computation.kind)],
              "notes": {}}
    if indicator.computation == "earnings_change":
        sql, values = no_baseline_now_earning_sql(params)
        result["notes"]["no_baseline_now_earning"] = database.execute_sql(sql, values).fetchone()[0]
    return result


def target_of(indicator, period):
    """The target for a fiscal quarter or year; None for other periods."""
    label = period.label
    if not label.startswith("FY"):
        return None
    year, _sep, quarter = label[2:].partition(" Q")
    row = IndicatorTarget.get_or_none((IndicatorTarget.indicator == indicator)
                                      & (IndicatorTarget.fiscal_year == int(year))
                                      & (IndicatorTarget.quarter == (int(quarter) if quarter else 0)))
    return float(row.target) if row else None


def indicator_report(period, programs=None, provinces=None):
    """Every active indicator for a period; provinces None means all (the caller applies the user's scope)."""
    filters = {"start": period.start, "end": period.end, "programs": programs or [], "provinces": provinces}
    results = []
    for indicator in Indicator.reported():
        result = compute(indicator, filters)
        target = target_of(indicator, period)
        result["target"] = target
        result["percent_of_target"] = (round(result["value"] / target, 4)
                                       if target and result["value"] is not None else None)
        results.append(result)
    return {"start": period.start, "end": period.end, "period_label": period.label, "indicators": results,
            "fiscal_year": fiscal_year_of(period.end)}


PEOPLE_SHOWN = 500


def people_behind(indicator, period, programs=None, provinces=None, by=None, category=None, numerator_only=False):
    """The ids of the people a figure counts (at most PEOPLE_SHOWN), for the link from each count."""
    from registry.reports.computations import person_ids_sql

    filters = {"start": period.start, "end": period.end, "programs": programs or [], "provinces": provinces}
    if not is_postgres():
        filters["start"], filters["end"] = period.start.isoformat(), period.end.isoformat()
    if by is not None and by not in DIMENSIONS:
        raise ValueError(by)
    sql, params = person_ids_sql(COMPUTATIONS[indicator.computation], filters, by, category, numerator_only)
    return [row[0] for row in database.execute_sql(f"{sql} ORDER BY person LIMIT {PEOPLE_SHOWN}", params)]
