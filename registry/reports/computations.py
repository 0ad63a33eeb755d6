"""The indicator computations of docs/domain.md#indicators, in SQL: each person's qualifying row, then GROUP BY
per disaggregation.

Every computation reads one of three bases of candidate rows: the enrollments enrolled in the
period, the enrollments that ended in it (completed, dropped out or withdrawn), and the reached
follow-ups dated in it that lie in a completed enrollment's 12-month window. A report reads each
base once, however many indicators use it. A computation takes all of its base's rows or a subset
(the completed ones, the completed ones with both scores); the first of a person's rows of that
subset in the qualifying order is the qualifying one (the earliest enrollment by enrolled_on then
id, or the counted follow-up: the latest, then the highest id). A merged record counts as its survivor.

The persons of a subset are grouped once into cells by sex, age band, category, province,
disability and program; the total and every disaggregation are GROUP BYs over those cells, in the
same statement, so each disaggregation adds up to the total. `figures_sql` can also split the
period into parts (the quarters of a fiscal year): each person's rows are ordered within their
part as well, and one pass gives every part's figures beside the whole period's.
"""
from dataclasses import dataclass

from registry.reports.sql import age, age_band, estimated_birth, flag, month_start, param, within_a_year, ymd

# A row counts for its participant or, for a record merged into another, for the survivor. One level is
# enough: a merge re-points the records merged into its duplicate, so merged_into is always a final survivor
# (registry.beneficiaries.merging). Survivors are few: joining only them, not every participant a second
# time, spares a read of the table.
SURVIVORS = ("(SELECT * FROM beneficiary WHERE id IN "
             "(SELECT merged_into_id FROM beneficiary WHERE merged_into_id IS NOT NULL))")
PERSON = ("JOIN beneficiary b ON b.id = e.beneficiary_id "
          f"LEFT JOIN {SURVIVORS} s ON s.id = b.merged_into_id "
          "JOIN cohort c ON c.id = e.cohort_id")
PERSON_ID = "COALESCE(b.merged_into_id, b.id)"
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
TOTAL = "total"


def person(column):
    """SQL: a column of the person a row counts for (the survivor's, for a merged record)."""
    return f"CASE WHEN s.id IS NULL THEN b.{column} ELSE s.{column} END"


@dataclass(frozen=True)
class Base:
    """Candidate rows: where they come from, which rows, the date the period applies to, the qualifying order."""

    source: str
    where: object  # SQL, or a function giving it when it depends on the database
    on: str  # the row's date that must fall in the period
    order: tuple = ("e.enrolled_on", "e.id")  # the qualifying order: a date, then an id to break ties
    newest_first: bool = False  # the qualifying row is the latest (follow-ups), not the earliest (enrollments)


BASES = {
    "enrolled": Base(f"FROM enrollment e {PERSON}", "1 = 1", "e.enrolled_on"),
    # An enrollment never admitted from a waitlist (enrolled_on NULL) is none, even withdrawn while waiting.
    "ended": Base(f"FROM enrollment e {PERSON}", f"e.status IN {ENDED} AND e.enrolled_on IS NOT NULL", "e.ended_on"),
    # CROSS JOIN: SQLite then reads the follow-ups of the period by their date, not every completed
    # enrollment's (PostgreSQL plans a CROSS JOIN like any other join).
    "followed": Base(
        f"FROM follow_up f CROSS JOIN enrollment e {PERSON}",
        lambda: (f"e.id = f.enrollment_id AND f.reached AND f.deleted_at IS NULL AND e.status = 'completed' "
                 f"AND f.followed_on >= e.ended_on "
                 f"AND {within_a_year('f.followed_on', 'e.ended_on')}"),
        "f.followed_on", ("f.followed_on", "f.id"), newest_first=True),
}
SUBSETS = {
    None: "",  # all of the base's rows
    "completed": "e.status = 'completed'",
    "scored": "e.status = 'completed' AND e.pre_score IS NOT NULL AND e.post_score IS NOT NULL",
}


@dataclass(frozen=True)
class Computation:
    """How one kind of indicator is computed; `kind` is count, percent or average."""

    name: str
    kind: str
    base: str  # a key of BASES
    numerator: str = "1"  # SQL, per candidate row (e, f, c are its tables; person() its person's columns)
    subset: str = None  # a key of SUBSETS: which of the base's rows put a person in the denominator
    any_row: bool = False  # the person's numerator is the best of their rows, not the qualifying row's
    person_filter: str = ""  # on the qualifying row: who is in the denominator (earnings)
    person_value: str = ""  # on the qualifying row (its `age` and incomes too), in place of `numerator`
    note: str = ""  # on the qualifying row: people counted beside the figure (no baseline income, now earning)
    money: bool = False  # the rows need the incomes in USD (base_usd, fu_usd; follow-ups only)


COMPUTATIONS = {c.name: c for c in [
    Computation("enrolled", "count", "enrolled"),
    Computation("completed", "count", "ended", subset="completed"),
    Computation("completion_rate", "percent", "ended", flag("e.status = 'completed'"), any_row=True),
    Computation("soft_skills", "percent", "ended", flag("e.post_score > e.pre_score"), subset="scored"),
    Computation("female_share", "percent", "enrolled", flag(f"{person('sex')} = 'female'")),
    Computation("youth_share", "percent", "enrolled", person_value=flag("age BETWEEN 15 AND 29")),
    # A job is new when it started on or after the enrollment; one said to have started before the
    # training is not, whatever date it carries (the follow-up form refuses the two together anyway).
    Computation("new_employment", "percent", "followed", flag(
        f"f.status IN {EMPLOYED} AND f.job_started_on IS NOT NULL AND f.job_started_on >= e.enrolled_on "
        f"AND NOT f.job_before_training")),
    Computation("further_education", "percent", "followed", flag("f.status = 'in_training_or_education'")),
    Computation("irregular_remigration", "count", "followed",
                flag("f.status = 'migrated_abroad' AND f.regular_channels IS NOT NULL AND NOT f.regular_channels")),
    Computation("earnings_change", "average", "followed", person_value="(fu_usd - base_usd) * 1.0 / base_usd",
                person_filter="base_usd > 0 AND fu_usd IS NOT NULL",
                note="(base_usd IS NULL OR base_usd = 0) AND fu_usd > 0", money=True),
]}


def _sql(text):
    return text() if callable(text) else text  # SQL that depends on the database is a function


def _money(amount, currency, rate):
    # "* 1.0": SQLite keeps 150.00 in a NUMERIC column as the integer 150, and 50 / 100 would be 0.
    return (f"CASE WHEN {amount} IS NULL THEN NULL WHEN {currency} = 'USD' THEN {amount} * 1.0 "
            f"ELSE {amount} * 1.0 / COALESCE({rate}.khr_per_usd, (SELECT CAST(value AS NUMERIC) FROM setting "
            f"WHERE key = 'default_khr_per_usd')) END")


def _key(subset):
    return subset or "all"


def _partition(subset, by_part):
    """The window's partition: the person, within the part when split, among the subset's rows."""
    return "person" + (", part" if by_part else "") + (f", in_{subset}" if subset else "")


def _candidates(base, computations, filters, parts, by_dimension):
    """(sql, params): the base's rows in the period, with the columns the computations need."""
    # The age on enrolling is worked out once per row here: below the window it is a column, not an
    # expression that the age band's every test would work out again.
    born = estimated_birth(person("date_of_birth"), person("birth_year"))
    columns = [f"{PERSON_ID} AS person, {base.order[0]} AS sort_on, {base.order[1]} AS row_id, "
               f"{age(born, ymd('e.enrolled_on'))} AS age"]
    if by_dimension:  # the rows the windows sort stay narrow when only totals are asked for
        columns += ["c.program_id AS program"] + [f"{person(column)} AS {name}" for name, column in (
            ("sex", "sex"), ("category", "category"), ("province", "province_id"), ("disability", "disability"))]
    params = []
    if parts:  # the 1-based index of the part the row's date falls in
        ends = [end for _start, end in parts[:-1]]
        columns.append("CASE " + " ".join(f"WHEN {base.on} <= {param()} THEN {n}" for n in range(1, len(ends) + 1))
                       + f" ELSE {len(parts)} END AS part")
        params += ends
    columns += [f"{flag(SUBSETS[s])} AS in_{s}" for s in dict.fromkeys(c.subset for c in computations) if s]
    columns += [f"{c.numerator} AS v_{c.name}" for c in computations if not c.person_value]
    source = base.source
    if any(c.money for c in computations):
        source += (f" LEFT JOIN exchange_rate rf ON rf.month = {month_start('f.followed_on')}"
                   f" LEFT JOIN exchange_rate rb ON rb.month = {month_start(person('registered_on'))}")
        baseline = _money(person("baseline_monthly_income"), person("baseline_income_currency"), "rb")
        columns += [f"{baseline} AS base_usd",
                    f"{_money('f.monthly_income', 'f.currency', 'rf')} AS fu_usd"]
    sql, where_params = _filtered(f"SELECT {', '.join(columns)} {source} "
                                  f"WHERE {_sql(base.where)} AND {base.on} BETWEEN {param()} AND {param()}", filters)
    return sql, params + where_params


def _filtered(sql, filters):
    params = [filters["start"], filters["end"]]
    if filters.get("programs"):
        sql += f" AND c.program_id IN ({', '.join(param() for _ in filters['programs'])})"
        params += list(filters["programs"])
    if filters.get("provinces") is not None:
        codes = list(filters["provinces"]) or [""]
        sql += f" AND {person('province_id')} IN ({', '.join(param() for _ in codes)})"
        params += codes
    return sql, params


def _ranked(base_name, computations, filters, parts=(), levels=(("whole", False),), by_dimension=True):
    """(sql, params): the candidate rows; at each level, first_<subset>_<level> = 1 on a person's qualifying row.

    One window per level orders each person's rows (within their part, at the part level): the
    first of a subset's rows is the one where the running count of the subset's rows reaches 1.
    """
    base = BASES[base_name]
    sql, params = _candidates(base, computations, filters, parts, by_dimension)
    direction = " DESC" if base.newest_first else ""
    windows, definitions = [], []
    for level, by_part in levels:
        definitions.append(f"w_{level} AS (PARTITION BY {_partition(None, by_part)} "
                           f"ORDER BY sort_on{direction}, row_id{direction})")
        for subset in dict.fromkeys(c.subset for c in computations):
            counted = f"SUM(in_{subset})" if subset else "ROW_NUMBER()"
            windows.append(f"{counted} OVER w_{level} AS first_{_key(subset)}_{level}")
        windows += [f"MAX(v_{c.name}) OVER (PARTITION BY {_partition(c.subset, by_part)}) AS any_{c.name}_{level}"
                    for c in computations if c.any_row]
    return (f"SELECT *, {', '.join(windows)} FROM ({sql}) AS candidates WINDOW {', '.join(definitions)}",
            params)


def _persons(base_name, subset, level):
    """The qualifying rows of a subset at a level: one per person (and part), with their age band."""
    keep = f"first_{_key(subset)}_{level} = 1" + (f" AND in_{subset} = 1" if subset else "")
    return f"SELECT *, {age_band('age')} AS age_band FROM ranked_{base_name} WHERE {keep}"


def _value(computation, level):
    """A person's numerator, on their qualifying row (NULL outside an earnings denominator)."""
    if computation.person_value and computation.person_filter:
        return f"CASE WHEN {computation.person_filter} THEN {computation.person_value} END"
    if computation.person_value:
        return computation.person_value
    return f"any_{computation.name}_{level}" if computation.any_row else f"v_{computation.name}"


def _sums(computations, level=None):
    """Per computation: its numerator, denominator and note summed, over persons (level given) or over cells."""
    sums = []
    for c in computations:
        if level is None:
            sums += [f"SUM({part}_{c.name}) AS {part}_{c.name}" for part in ("n", "d", "t")]
        else:
            sums += [f"SUM({_value(c, level)}) AS n_{c.name}",
                     f"SUM({flag(c.person_filter) if c.person_filter else '1'}) AS d_{c.name}",
                     f"SUM({flag(c.note) if c.note else '0'}) AS t_{c.name}"]
    return ", ".join(sums)


def _cells(base_name, subset, computations, level, by_part, by_dimension):
    """The persons of a subset grouped by part and by their own values of every disaggregation, with the sums.

    The values are grouped as stored (a province NULL, a program id): cheaper keys to sort than the
    categories shown, which `_grouped` makes of them over these few rows.
    """
    keys = (["part"] if by_part else []) + (list(DIMENSIONS) if by_dimension else [])
    columns = ["part" if by_part else "0 AS part"] + (list(DIMENSIONS) if by_dimension else [])
    sql = (f"SELECT {', '.join(columns)}, {_sums(computations, level)} "
           f"FROM ({_persons(base_name, subset, level)}) AS persons")
    return sql + (f" GROUP BY {', '.join(keys)}" if keys else "")


def _grouped(cells, computations, by_part, by_dimension):
    """The total and every disaggregation of a subset's cells: (part, dimension, category, sums)."""
    sums = _sums(computations)
    part, by = ("part", "part, ") if by_part else ("0", "")
    selects = [f"SELECT {part} AS part, '{TOTAL}' AS dimension, '{TOTAL}' AS category, {sums} FROM {cells}"
               + (" GROUP BY part" if by_part else "")]
    if by_dimension:
        selects += [f"SELECT {part}, '{name}', {expr}, {sums} FROM {cells} GROUP BY {by}{expr}"
                    for name, expr in DIMENSIONS.items()]
    return " UNION ALL ".join(selects)


def figures_sql(computations, filters, parts=(), whole=True, by_dimension=True):
    """(sql, params): rows (computation, part, dimension, category, numerator, denominator, note).

    One statement for every computation given. `filters` are {start, end, programs, provinces};
    `parts`, the contiguous (start, end) periods that split start-end, give rows for each part
    (part 1, 2...) and, when `whole`, for the whole period (part 0). `dimension` is "total" for the
    totals, else a key of DIMENSIONS (only when `by_dimension`), and `category` its value there.
    """
    levels = ([("part", True)] if parts else []) + ([("whole", False)] if whole or not parts else [])
    ctes, params, selects = [], [], []
    for base_name in dict.fromkeys(c.base for c in computations):
        members = [c for c in computations if c.base == base_name]
        sql, values = _ranked(base_name, members, filters, parts, levels, by_dimension)
        ctes.append(f"ranked_{base_name} AS ({sql})")
        params += values
        for subset in dict.fromkeys(c.subset for c in members):
            group = [c for c in members if c.subset == subset]
            for level, by_part in levels:
                name = f"{base_name}_{_key(subset)}_{level}"
                ctes += [f"cells_{name} AS ({_cells(base_name, subset, group, level, by_part, by_dimension)})",
                         f"grouped_{name} AS ({_grouped(f'cells_{name}', group, by_part, by_dimension)})"]
                # A category nobody of the computation is in (an earnings cell of no one averaged) is not shown.
                selects += [f"SELECT '{c.name}' AS computation, part, dimension, category, n_{c.name} AS numerator, "
                            f"d_{c.name} AS denominator, t_{c.name} AS note FROM grouped_{name} "
                            f"WHERE dimension = '{TOTAL}' OR d_{c.name} > 0" for c in group]
    return f"WITH {', '.join(ctes)} {' UNION ALL '.join(selects)}", params


def person_ids_sql(computation, filters, by=None, category=None, numerator_only=False):
    """(sql, params): the people behind a figure, in one category of a disaggregation, or its numerator."""
    ranked, params = _ranked(computation.base, [computation], filters)
    conditions = [computation.person_filter or "1 = 1"]
    if by:
        conditions.append(f"{DIMENSIONS[by]} = {param()}")
        params = params + [category]
    if numerator_only:
        conditions.append(f"({_value(computation, 'whole')}) > 0")
    return (f"WITH ranked_{computation.base} AS ({ranked}) SELECT person FROM "
            f"({_persons(computation.base, computation.subset, 'whole')}) AS persons "
            f"WHERE {' AND '.join(conditions)}"), params
