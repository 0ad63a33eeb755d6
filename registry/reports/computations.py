"""The indicator computations of DOMAIN.md, in SQL: one row per person, then grouped by every disaggregation.

Each computation selects candidate rows (enrollments or follow-ups) with the person they count
for (a merged duplicate counts as its survivor), numbers each person's rows so that row 1 is
the qualifying one (the earliest enrollment by enrolled_on then id, or the counted follow-up:
the latest reached one in the period and in its enrollment's 12-month window, then the highest
id), and gives each person a numerator value. `aggregate` then groups the persons by sex, age
band, category, province, disability and program in one GROUP BY.
"""
from dataclasses import dataclass

from registry.reports.sql import age_band, estimated_birth, flag, month_start, param, ymd

PERSON = ("JOIN beneficiary b ON b.id = e.beneficiary_id "
          "JOIN beneficiary p ON p.id = COALESCE(b.merged_into_id, b.id) "
          "JOIN cohort c ON c.id = e.cohort_id")
ENDED = "('completed', 'dropped_out', 'withdrawn')"
EMPLOYED = "('wage_employed', 'self_employed')"
DIMENSIONS = {
    "sex": "sex",
    "age_band": "age_band",
    "category": "category",
    "province": "COALESCE(province, 'unknown')",
    "disability": "CASE WHEN disability IS NULL THEN 'unknown' WHEN disability THEN 'yes' ELSE 'no' END",
    "program": "CAST(program AS VARCHAR(20))",
}


@dataclass(frozen=True)
class Computation:
    """How one kind of indicator is computed; `kind` is count, percent or average."""

    name: str
    kind: str
    source: str  # "enrollment" or "follow_up"
    where: str  # candidate rows, with {start} and {end} placeholders
    numerator: object  # per candidate row: SQL, or a function giving it when it depends on the database
    any_row: bool = False  # the person's numerator is the best of their rows, not the qualifying row's
    person_filter: str = ""  # on the qualifying row: who is in the denominator (earnings)


def _money(amount, currency, rate):
    # "* 1.0": SQLite keeps 150.00 in a NUMERIC column as the integer 150, and 50 / 100 would be 0.
    return (f"CASE WHEN {amount} IS NULL THEN NULL WHEN {currency} = 'USD' THEN {amount} * 1.0 "
            f"ELSE {amount} * 1.0 / COALESCE({rate}.khr_per_usd, (SELECT CAST(value AS NUMERIC) FROM setting "
            f"WHERE key = 'default_khr_per_usd')) END")


IN_PERIOD = "BETWEEN {start} AND {end}"
COMPUTATIONS = {c.name: c for c in [
    Computation("enrolled", "count", "enrollment", "e.enrolled_on " + IN_PERIOD, "1"),
    Computation("completed", "count", "enrollment", "e.status = 'completed' AND e.ended_on " + IN_PERIOD, "1"),
    Computation("completion_rate", "percent", "enrollment", f"e.status IN {ENDED} AND e.ended_on " + IN_PERIOD,
                flag("e.status = 'completed'"), any_row=True),
    Computation("soft_skills", "percent", "enrollment", "e.status = 'completed' AND e.ended_on " + IN_PERIOD
                + " AND e.pre_score IS NOT NULL AND e.post_score IS NOT NULL", flag("e.post_score > e.pre_score")),
    Computation("female_share", "percent", "enrollment", "e.enrolled_on " + IN_PERIOD, flag("p.sex = 'female'")),
    Computation("youth_share", "percent", "enrollment", "e.enrolled_on " + IN_PERIOD,
                lambda: flag(f"(({ymd('e.enrolled_on')}) - ({estimated_birth('p')})) / 10000 BETWEEN 15 AND 29")),
    Computation("new_employment", "percent", "follow_up", "", flag(
        f"f.status IN {EMPLOYED} AND f.job_started_on IS NOT NULL AND f.job_started_on >= e.enrolled_on")),
    Computation("further_education", "percent", "follow_up", "", flag("f.status = 'in_training_or_education'")),
    Computation("irregular_remigration", "count", "follow_up", "",
                flag("f.status = 'migrated_abroad' AND f.regular_channels IS NOT NULL AND NOT f.regular_channels")),
    Computation("earnings_change", "average", "follow_up", "", "(fu_usd - base_usd) * 1.0 / base_usd",
                person_filter="base_usd > 0 AND fu_usd IS NOT NULL"),
]}


def _candidates(computation, filters):
    """The candidate rows' SQL, numbered per person (rn = 1 is the qualifying row)."""
    common = (f"p.id AS person, c.program_id AS program, p.sex AS sex, p.category AS category, "
              f"p.province_id AS province, p.disability AS disability, {estimated_birth('p')} AS birth, "
              f"{ymd('e.enrolled_on')} AS on_ymd")
    if computation.source == "enrollment":
        order, source, where = "e.enrolled_on, e.id", f"FROM enrollment e {PERSON}", computation.where
        money = "NULL AS base_usd, NULL AS fu_usd"
    else:
        order = "f.followed_on DESC, f.id DESC"
        source = (f"FROM follow_up f JOIN enrollment e ON e.id = f.enrollment_id {PERSON} "
                  f"LEFT JOIN exchange_rate rf ON rf.month = {month_start('f.followed_on')} "
                  f"LEFT JOIN exchange_rate rb ON rb.month = {month_start('p.registered_on')}")
        where = (f"f.reached AND f.followed_on {IN_PERIOD} AND e.status = 'completed' "
                 f"AND f.followed_on >= e.ended_on AND {ymd('f.followed_on')} <= {ymd('e.ended_on')} + 10000")
        money = (f"{_money('p.baseline_monthly_income', 'p.baseline_income_currency', 'rb')} AS base_usd, "
                 f"{_money('f.monthly_income', 'f.currency', 'rf')} AS fu_usd")
    numerator = computation.numerator() if callable(computation.numerator) else computation.numerator
    if computation.name == "earnings_change":
        numerator = "0"  # its value comes from the incomes, on the qualifying row
    sql = (f"SELECT {common}, {money}, {numerator} AS row_num, MAX({numerator}) OVER (PARTITION BY p.id) AS any_num, "
           f"ROW_NUMBER() OVER (PARTITION BY p.id ORDER BY {order}) AS rn {source} "
           f"WHERE {where.format(start=param(), end=param())}")
    return _filtered(sql, filters)


def _filtered(sql, filters):
    params = [filters["start"], filters["end"]]
    if filters.get("programs"):
        sql += f" AND c.program_id IN ({', '.join(param() for _ in filters['programs'])})"
        params += list(filters["programs"])
    if filters.get("provinces") is not None:
        codes = list(filters["provinces"]) or [""]
        sql += f" AND p.province_id IN ({', '.join(param() for _ in codes)})"
        params += codes
    return sql, params


def persons_cte(computation, filters):
    """(WITH clause, params, numerator expression): one row per person, their qualifying row."""
    candidates, params = _candidates(computation, filters)
    value = "any_num" if computation.any_row else "row_num"
    if computation.name == "earnings_change":
        value = computation.numerator
    keep = "rn = 1" + (f" AND {computation.person_filter}" if computation.person_filter else "")
    cte = (f"WITH candidates AS ({candidates}), persons AS (SELECT *, {age_band('birth', 'on_ymd')} AS age_band "
           f"FROM candidates WHERE {keep})")
    return cte, params, value


def person_rows_sql(computation, filters):
    """(sql, params): the persons grouped by every disaggregation, with their numerator and number."""
    cte, params, value = persons_cte(computation, filters)
    grouped = [expr for name, expr in DIMENSIONS.items() if name != "age_band"]
    dims = ", ".join(f"{expr} AS {name}" for name, expr in DIMENSIONS.items() if name != "age_band")
    sql = (f"{cte} SELECT {dims}, age_band, SUM({value}) AS numerator, COUNT(*) AS denominator FROM persons "
           f"GROUP BY {', '.join(grouped)}, age_band")
    return sql, params


def no_baseline_now_earning_sql(filters):
    """(sql, params): people whose counted follow-up shows an income but who had none at registration."""
    candidates, params = _candidates(COMPUTATIONS["earnings_change"], filters)
    return (f"WITH candidates AS ({candidates}) SELECT COUNT(*) FROM candidates WHERE rn = 1 "
            f"AND (base_usd IS NULL OR base_usd = 0) AND fu_usd > 0"), params


def person_ids_sql(computation, filters, by=None, category=None, numerator_only=False):
    """(sql, params): the people behind a figure, in one category of a disaggregation, or its numerator."""
    cte, params, value = persons_cte(computation, filters)
    conditions = ["1 = 1"]
    if by:
        conditions.append(f"{DIMENSIONS[by]} = {param()}")
        params = params + [category]
    if numerator_only:
        conditions.append(f"({value}) > 0")
    return f"{cte} SELECT person FROM persons WHERE {' AND '.join(conditions)}", params
