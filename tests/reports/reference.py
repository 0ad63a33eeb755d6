"""The indicators of docs/domain.md#indicators worked out in plain Python from a scenario's own ledger.

Nothing here reads the database or calls the registry. The field scenario (test_field_scenario.py)
writes down every step it takes (who was registered with what, who was enrolled, waitlisted,
admitted, completed, merged into whom, which follow-ups were recorded, corrected or deleted) and
these functions derive each indicator from that ledger, by the rules as docs/domain.md#indicator-rules
states them, so that the registry's SQL is checked against a second, independent reading of the rules.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

ENDED = ("completed", "dropped_out", "withdrawn")
EMPLOYED = ("wage_employed", "self_employed")
DIMENSIONS = ("sex", "age_band", "category", "province", "disability", "program")


@dataclass
class Person:
    """A participant record as it stands: its own values (a survivor's include those a merge filled in)."""

    id: int
    sex: str
    born: date = None  # the birth date, or 1 July of an estimated year
    province: str = None
    category: str = "at_risk"
    disability: bool = None
    baseline_usd: Decimal = None


@dataclass
class Enrollment:
    """An enrollment as it stands; enrolled_on is None until it is admitted (never, for one withdrawn waiting)."""

    id: int
    person: int  # the record it was made for: it counts for that record's final survivor
    program: int
    enrolled_on: date = None
    status: str = "enrolled"
    ended_on: date = None
    pre: Decimal = None
    post: Decimal = None


@dataclass
class FollowUp:
    """A follow-up as it reads now (after any correction)."""

    id: int
    enrollment: int
    on: date
    reached: bool
    status: str = None
    job_started_on: date = None
    income_usd: Decimal = None
    regular_channels: bool = None
    deleted: bool = False


@dataclass
class Ledger:
    """What the scenario did, as it understands it."""

    people: dict = field(default_factory=dict)  # id: Person
    merged_into: dict = field(default_factory=dict)  # record id: the record it was merged into (merges in force)
    enrollments: dict = field(default_factory=dict)  # id: Enrollment
    follow_ups: dict = field(default_factory=dict)  # id: FollowUp

    def final(self, person_id):
        """The record a person counts as: followed through every merge in force."""
        while person_id in self.merged_into:
            person_id = self.merged_into[person_id]
        return person_id


def years_between(born, on):
    """Whole years from a birth date to a day."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_band(born, on):
    """The age band on a day (docs/domain.md#age-bands)."""
    if born is None:
        return "unknown"
    age = years_between(born, on)
    for limit, band in ((15, "under_15"), (20, "15-19"), (25, "20-24"), (30, "25-29")):
        if age < limit:
            return band
    return "30+"


def one_year_after(day):
    """The last day of a 12-month window opened on `day` (from 29 February, 28 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return date(day.year + 1, 2, 28)


def _categories(person, enrollment):
    """A counted person's category in each disaggregation, on their qualifying enrollment."""
    return {"sex": person.sex, "age_band": age_band(person.born, enrollment.enrolled_on), "category": person.category,
            "province": person.province or "unknown",
            "disability": "unknown" if person.disability is None else "yes" if person.disability else "no",
            "program": str(enrollment.program)}


def _qualifying(rows, key, newest=False):
    """{person: their qualifying row}: the first row of each person in the order `key` gives."""
    chosen = {}
    for person, row in sorted(rows, key=lambda pr: key(pr[1]), reverse=newest):
        chosen.setdefault(person, row)
    return chosen


def _in(day, start, end):
    return day is not None and start <= day <= end


def _enrolled_rows(ledger, start, end):
    return [(ledger.final(e.person), e) for e in ledger.enrollments.values() if _in(e.enrolled_on, start, end)]


def _ended_rows(ledger, start, end):
    return [(ledger.final(e.person), e) for e in ledger.enrollments.values()
            if e.enrolled_on is not None and e.status in ENDED and _in(e.ended_on, start, end)]


def _counted_follow_ups(ledger, start, end):
    """{person: (follow-up, its enrollment)}: the latest live reached follow-up in the period, in its window."""
    rows = []
    for f in ledger.follow_ups.values():
        e = ledger.enrollments[f.enrollment]
        if (not f.deleted and f.reached and _in(f.on, start, end) and e.status == "completed"
                and e.ended_on <= f.on <= one_year_after(e.ended_on)):
            rows.append((ledger.final(e.person), (f, e)))
    return _qualifying(rows, key=lambda fe: (fe[0].on, fe[0].id), newest=True)


def _figure(kind, persons):
    """An indicator's figures from [(categories, numerator, in denominator)] per person."""
    counted = [(cats, n) for cats, n, inside in persons if inside]
    numerator = sum(n for _c, n in counted)
    denominator = len(counted)
    by = {}
    for dimension in DIMENSIONS:
        cells = {}
        for cats, n in counted:
            cell = cells.setdefault(cats[dimension], [0, 0])
            cell[0] += n
            cell[1] += 1
        by[dimension] = {c: _shown(kind, n, d) for c, (n, d) in cells.items()}
    return _shown(kind, numerator, denominator) | {"by": by}


def _shown(kind, numerator, denominator):
    """Numerator, denominator and value as the report states them (docs/domain.md#values)."""
    if kind == "count":
        return {"numerator": numerator, "denominator": None, "value": numerator}
    if kind == "average":
        numerator = round(float(numerator), 6)
    return {"numerator": numerator, "denominator": denominator,
            "value": round(numerator / denominator, 4) if denominator else None}


def indicators(ledger, start, end):
    """{code: {numerator, denominator, value, by: {dimension: {category: figures}}}} for a period."""
    person = ledger.people
    by_enrollment = lambda e: (e.enrolled_on, e.id)  # noqa: E731  (the qualifying order of enrollments)
    figures = {}

    enrolled = _qualifying(_enrolled_rows(ledger, start, end), by_enrollment)
    cats = {p: _categories(person[p], e) for p, e in enrolled.items()}
    figures["CUSTOM-1"] = _figure("count", [(cats[p], 1, True) for p in enrolled])
    figures["GNDR-2"] = _figure("percent", [(cats[p], int(person[p].sex == "female"), True) for p in enrolled])
    figures["YOUTH-3"] = _figure("percent", [
        (cats[p], int(person[p].born is not None and 15 <= years_between(person[p].born, e.enrolled_on) <= 29), True)
        for p, e in enrolled.items()])

    ended = _ended_rows(ledger, start, end)
    first_ended = _qualifying(ended, by_enrollment)
    completers = {p for p, e in ended if e.status == "completed"}
    figures["EG.6-14"] = _figure("percent", [(_categories(person[p], e), int(p in completers), True)
                                             for p, e in first_ended.items()])
    first_completed = _qualifying([(p, e) for p, e in ended if e.status == "completed"], by_enrollment)
    figures["CUSTOM-2"] = _figure("count", [(_categories(person[p], e), 1, True) for p, e in first_completed.items()])
    scored = _qualifying([(p, e) for p, e in ended if e.status == "completed" and e.pre is not None
                          and e.post is not None], by_enrollment)
    figures["EG.6-13"] = _figure("percent", [(_categories(person[p], e), int(e.post > e.pre), True)
                                             for p, e in scored.items()])

    followed = _counted_follow_ups(ledger, start, end)
    rows = {p: (_categories(person[p], e), f, e) for p, (f, e) in followed.items()}
    figures["EG.6-12"] = _figure("percent", [
        (c, int(f.status in EMPLOYED and f.job_started_on is not None and f.job_started_on >= e.enrolled_on), True)
        for c, f, e in rows.values()])
    figures["EG.6-15"] = _figure("percent", [(c, int(f.status == "in_training_or_education"), True)
                                             for c, f, e in rows.values()])
    figures["CTIP-REMIG"] = _figure("count", [
        (c, int(f.status == "migrated_abroad" and f.regular_channels is False), True) for c, f, e in rows.values()])
    earnings = []
    no_baseline_now_earning = 0
    for p, (c, f, e) in rows.items():
        base = person[p].baseline_usd
        averaged = base is not None and base > 0 and f.income_usd is not None
        earnings.append((c, (f.income_usd - base) / base if averaged else 0, averaged))
        no_baseline_now_earning += int((base is None or base == 0) and f.income_usd is not None and f.income_usd > 0)
    figures["EG.6-11"] = _figure("average", earnings) | {"no_baseline_now_earning": no_baseline_now_earning}
    return figures
