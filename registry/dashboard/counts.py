"""The dashboard's headline counts for a scope, by the definitions of docs/domain.md#dashboards.

Every count is of people, not records: a person in two cohorts counts once, a merged duplicate
counts as its survivor, archived people still count for what they did. Registered and in training
are counted as they stand today; the others over a period (the dashboard's last 12 months), as the
indicator report counts them: enrolled and completed are CUSTOM-1 and CUSTOM-2 (see series.py),
followed up and employed the denominator and numerator of EG.6-12.
"""
from dataclasses import dataclass

from registry.dashboard.sql import (day, latest, latest_value, merged_join, param, person, rows, unindexed,
                                    within_a_year)
from registry.outcomes.models import EMPLOYED

EMPLOYED_SQL = ", ".join(f"'{status}'" for status in EMPLOYED)


@dataclass(frozen=True)
class Counts:
    """The six headline figures of a scope."""

    registered: int
    in_training: int
    enrolled: int
    completed: int
    followed_up: int
    employed: int


@dataclass(frozen=True)
class ProvinceCount:
    """People registered in one province (code None: no province recorded)."""

    code: str
    name_en: str
    name_km: str
    people: int


def people_by_province(scope):
    """The people registered in the scope by province, most first (merged duplicates left out).

    The count subtracts the merged records instead of filtering them out, so that SQLite counts from
    the province index alone rather than reading 100,000 rows for their status.
    """
    condition, values = scope.on_beneficiaries("b")
    sql = (f"SELECT counted.province_id, pr.name_en, pr.name_km, SUM(counted.n) AS people FROM ("
           f"SELECT b.province_id, COUNT(*) AS n FROM beneficiary b WHERE {condition} GROUP BY b.province_id "
           f"UNION ALL SELECT b.province_id, -COUNT(*) FROM beneficiary b WHERE b.status = 'merged' "
           f"AND {condition} GROUP BY b.province_id) counted "
           f"LEFT JOIN province pr ON pr.code = counted.province_id "
           f"GROUP BY counted.province_id, pr.name_en, pr.name_km")
    found = [ProvinceCount(code, name_en or "", name_km or "", int(people))
             for code, name_en, name_km, people in rows(sql, values + values) if people]
    return sorted(found, key=lambda p: (-p.people, p.code or "~"))


def in_training(scope, today):
    """People in training today: enrolled (seated, not waitlisted) or active in a cohort that runs today."""
    condition, values = scope.on_enrollments("e", person("e"))
    p = param()
    sql = (f"SELECT COUNT(DISTINCT {person('e')}) FROM enrollment e JOIN cohort c ON c.id = e.cohort_id "
           f"{merged_join('e')} WHERE e.status IN ('enrolled', 'active') AND c.start_on <= {p} "
           f"AND c.end_on >= {p} AND {condition}")
    return rows(sql, [day(today), day(today)] + values)[0][0] or 0


def follow_up_counts(scope, start, end):
    """(followed up, employed) over a period: EG.6-12's denominator and numerator.

    Followed up: people with a counted follow-up in the period, the latest one that reached them,
    dated in the period and in its completed enrollment's window (on or after the completion, at
    most 12 months after it). Employed: those whose counted follow-up shows wage or self-employment
    that started on or after the enrollment.
    """
    condition, values = scope.on_enrollments("e", person("e"))
    new_job = (f"CASE WHEN f.status IN ({EMPLOYED_SQL}) AND f.job_started_on IS NOT NULL "
               f"AND f.job_started_on >= e.enrolled_on AND NOT f.job_before_training THEN 1 ELSE 0 END")
    p = param()
    sql = (f"SELECT COUNT(*), SUM({latest_value('counted', 2)}) FROM ("
           f"SELECT {latest('f.followed_on', 'f.id', new_job, 2)} AS counted "
           f"FROM follow_up f JOIN enrollment e ON e.id = f.enrollment_id {merged_join('e')} "
           f"WHERE f.reached AND f.deleted_at IS NULL AND {unindexed('f.followed_on')} BETWEEN {p} AND {p} "
           f"AND {unindexed('e.status')} = 'completed' AND f.followed_on >= e.ended_on "
           f"AND {within_a_year('f.followed_on', 'e.ended_on')} "
           f"AND {condition} GROUP BY {person('e')}) people")
    followed_up, employed = rows(sql, [day(start), day(end)] + values)[0]
    return followed_up or 0, int(employed or 0)
