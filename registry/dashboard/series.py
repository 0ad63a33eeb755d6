"""The dashboard's chart series for a scope: one aggregate statement each, however big the registry."""
from dataclasses import dataclass
from datetime import date, timedelta

from registry.beneficiaries.choices import EMPLOYMENT_STATUS
from registry.dashboard.sql import (day, latest, latest_value, merged_join, month_key, month_of, param, person,
                                    rows, unindexed)
from registry.programs.models import ATTENDED
from registry.timeutil import add_months

MONTHS = 12
COHORTS_SHOWN = 12  # more bars than this are no longer read
RECENT_DAYS = 30  # a cohort that ended this long ago is still "recent"
# The statuses of a 6-month follow-up, in the order of the chart; 0 is a reached follow-up with no status.
SIX_MONTH_STATUSES = ("unknown",) + tuple(EMPLOYMENT_STATUS)
NOT_REACHED = "not_reached"


@dataclass(frozen=True)
class Month:
    """People newly enrolled and people who completed training in one month."""

    first_day: date
    enrolled: int
    completed: int


@dataclass(frozen=True)
class Flow:
    """The months of the flow, and the people enrolled and completing over all of them."""

    months: list
    enrolled: int
    completed: int


@dataclass(frozen=True)
class CohortRate:
    """A cohort's attendance: sessions attended over sessions held while its people were enrolled."""

    cohort_id: int
    name: str
    start_on: date
    min_attendance: float
    held: int
    attended: int
    marked: int

    @property
    def rate(self):
        """Attended over held, or None before any session was held."""
        return self.attended / self.held if self.held else None

    @property
    def unrecorded(self):
        """The share of sessions held with no mark recorded (the trainer's gaps), or None before any."""
        return (self.held - self.marked) / self.held if self.held else None


@dataclass(frozen=True)
class ProgramStatuses:
    """People of one program by their status at the 6-month follow-up ({status: people})."""

    program_id: int
    name: str
    people: dict

    @property
    def total(self):
        """Everyone with a 6-month follow-up in this program."""
        return sum(self.people.values())


def last_months(today, count=MONTHS):
    """The first days of the last `count` months, oldest first, this month included."""
    this_month = today.replace(day=1)
    return [add_months(this_month, n - count + 1) for n in range(count)]


def monthly_flow(scope, today, count=MONTHS):
    """People newly enrolled (CUSTOM-1) and who completed (CUSTOM-2) in each of the last months up to today,
    and over those months together (a person counts once in the totals)."""
    months = last_months(today, count)
    condition, values = scope.on_enrollments("e", person("e"))
    p = param()
    enrolled = f"FROM enrollment e {merged_join('e')} WHERE e.enrolled_on BETWEEN {p} AND {p} AND {condition}"
    completed = (f"FROM enrollment e {merged_join('e')} WHERE {unindexed('e.status')} = 'completed' "
                 f"AND {unindexed('e.ended_on')} BETWEEN {p} AND {p} AND {condition}")
    people = f"COUNT(DISTINCT {person('e')})"
    sql = (f"SELECT 'enrolled', {month_of('e.enrolled_on')}, {people} {enrolled} "
           f"GROUP BY {month_of('e.enrolled_on')} "
           f"UNION ALL SELECT 'completed', {month_of('e.ended_on')}, {people} {completed} "
           f"GROUP BY {month_of('e.ended_on')} "
           f"UNION ALL SELECT 'enrolled', NULL, {people} {enrolled} "
           f"UNION ALL SELECT 'completed', NULL, {people} {completed}")
    period = [day(months[0]), day(today)] + values
    found = {(kind, month and month_key(month)): n for kind, month, n in rows(sql, period * 4)}
    return Flow([Month(first, found.get(("enrolled", first.strftime("%Y-%m")), 0),
                       found.get(("completed", first.strftime("%Y-%m")), 0)) for first in months],
                found.get(("enrolled", None), 0), found.get(("completed", None), 0))


def attendance_by_cohort(scope, today, limit=COHORTS_SHOWN):
    """(rates, cohorts in all): the attendance of the scope's cohorts in progress or ended lately.

    The cohorts shown are the `limit` that started last; each rate pools its people's sessions as
    docs/domain.md#attendance defines an enrollment's rate (the sessions held while it was open), waitlisted
    people aside.
    """
    condition, values = scope.on_cohorts("c.id")
    p = param()
    attended = ", ".join(f"'{mark}'" for mark in ATTENDED)
    sql = (f"WITH chosen AS (SELECT c.id, c.name, c.start_on, pg.min_attendance, COUNT(*) OVER () AS total "
           f"FROM cohort c JOIN program pg ON pg.id = c.program_id "
           f"WHERE c.start_on <= {p} AND c.end_on >= {p} AND {condition} "
           f"ORDER BY c.start_on DESC, c.id DESC LIMIT {p}) "
           f"SELECT ch.id, ch.name, ch.start_on, ch.min_attendance, ch.total, COUNT(s.id), "
           f"SUM(CASE WHEN a.status IN ({attended}) THEN 1 ELSE 0 END), COUNT(a.id) FROM chosen ch "
           f"LEFT JOIN enrollment e ON e.cohort_id = ch.id AND e.status <> 'waitlisted' "
           f"LEFT JOIN training_session s ON s.cohort_id = ch.id AND NOT s.cancelled AND s.held_on <= {p} "
           f"AND s.held_on >= e.enrolled_on AND (e.ended_on IS NULL OR s.held_on <= e.ended_on) "
           f"LEFT JOIN attendance a ON a.enrollment_id = e.id AND a.session_id = s.id "
           f"GROUP BY ch.id, ch.name, ch.start_on, ch.min_attendance, ch.total")
    found = rows(sql, [day(today), day(today - timedelta(days=RECENT_DAYS))] + values + [limit, day(today)])
    rates = [CohortRate(cid, name, _date(start_on), float(minimum), held, int(attended_n or 0), marked)
             for cid, name, start_on, minimum, _total, held, attended_n, marked in found]
    return sorted(rates, key=lambda r: (r.name.casefold(), r.cohort_id)), (found[0][4] if found else 0)


def employment_at_six_months(scope, start, end):
    """People by program and status at their 6-month follow-up dated in a period: the latest that reached them,
    else "not reached". A person counts once per program they completed (docs/domain.md#people-not-enrollments).
    """
    condition, values = scope.on_enrollments("e", person("e"))
    p = param()
    code = "CASE f.status " + " ".join(f"WHEN '{s}' THEN {n}" for n, s in enumerate(SIX_MONTH_STATUSES) if n) + \
        " ELSE 0 END"
    packed = latest("f.followed_on", "f.id", code, 8, among="f.reached")
    sql = (f"SELECT pg.id, pg.name, {latest_value('people.status', 8)}, COUNT(*) FROM ("
           f"SELECT c.program_id, {packed} AS status FROM follow_up f "
           f"JOIN enrollment e ON e.id = f.enrollment_id JOIN cohort c ON c.id = e.cohort_id "
           f"{merged_join('e')} WHERE f.window_months = 6 AND f.deleted_at IS NULL "
           f"AND {unindexed('f.followed_on')} BETWEEN {p} AND {p} AND {condition} "
           f"GROUP BY {person('e')}, c.program_id) people JOIN program pg ON pg.id = people.program_id "
           f"GROUP BY pg.id, pg.name, {latest_value('people.status', 8)}")
    programs = {}
    for program_id, name, status, people in rows(sql, [day(start), day(end)] + values):
        key = NOT_REACHED if status is None else SIX_MONTH_STATUSES[int(status)]
        programs.setdefault((program_id, name), {})[key] = int(people)
    return sorted((ProgramStatuses(pid, name, people) for (pid, name), people in programs.items()),
                  key=lambda p: (p.name.casefold(), p.program_id))


def _date(value):
    """A date from a raw row: SQLite hands back ISO text."""
    return value if isinstance(value, date) else date.fromisoformat(value)
