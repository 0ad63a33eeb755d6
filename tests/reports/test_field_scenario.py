"""A seeded random field scenario, checked figure by figure against an independent reading of the rules.

What a field office does to its records over two fiscal years, in random order and amounts: cohorts
fill up and people wait, some are admitted when a seat frees, some are withdrawn while still
waiting; people complete, drop out or withdraw; follow-ups are recorded in and out of their window,
then corrected or deleted; duplicates are found late and merged in chains (A into B into C, with
rows that cannot move because both records sat in the same cohort), and some merges are undone,
in the middle of a chain or at its end. People without consent to follow-up contact are never
followed up.

The scenario writes down each step in its own ledger (tests/reports/reference.py), which works out
every indicator, total and disaggregation from the rules of docs/domain.md#indicator-rules without reading the
database or calling the registry's computation. The registry's report must agree for every quarter and year.
"""
import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from registry.beneficiaries import merging
from registry.outcomes import services as outcomes
from registry.outcomes.models import FollowUp
from registry.programs import enrollment as enrolling
from registry.programs.enrollment import CohortFull
from registry.programs.models import Enrollment
from registry.reports.indicators import fiscal_year_reports, indicator_report
from registry.reports.models import Indicator
from registry.reports.periods import Period, fiscal_quarter, fiscal_year
from tests.reports import reference
from tests.reports.reference import FollowUp as Contact
from tests.reports.reference import Ledger, Person

SEEDS = (11, 23, 57)
PEOPLE = 42
MERGEABLE = 18  # the first people have every counted value, so a merge fills none of them in
WITHOUT_CONSENT = 3  # the last people did not consent to follow-up contact
COHORTS = 6
PROVINCES = ("02", "12", "17")
STATUSES = ("wage_employed", "self_employed", "unemployed", "in_training_or_education", "migrated_abroad")
FIRST_DAY, LAST_DAY = date(2024, 9, 1), date(2026, 8, 31)  # the cohorts run within these days
TODAY = date.today()


def _day(rng, first, last):
    """A random day from first to last (both included; first when last is earlier)."""
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


class Scenario:
    """Drives the registry's services and keeps the ledger of what it did."""

    def __init__(self, rng, officer, create_beneficiary, create_cohort, create_program):
        self.rng, self.officer = rng, officer
        self.ledger = Ledger()
        self.records = {}  # id: Beneficiary
        self.cohorts = []
        self._register(create_beneficiary)
        programs = [create_program(name=f"Program {n}") for n in range(2)]
        for n in range(COHORTS):
            start = _day(rng, FIRST_DAY, LAST_DAY - timedelta(days=120))
            self.cohorts.append(create_cohort(name=f"Cohort {n}", program=programs[n % 2], start_on=start,
                                              end_on=start + timedelta(days=rng.randint(30, 120)),
                                              province=rng.choice(PROVINCES), capacity=rng.randint(3, 5)))

    def _register(self, create_beneficiary):
        rng = self.rng
        for n in range(PEOPLE):
            full = n < MERGEABLE
            born = _day(rng, date(1975, 1, 1), date(2012, 12, 31)) if full or rng.random() < 0.7 else None
            estimated = born is not None and not full and rng.random() < 0.3
            values = {
                "given_name": f"Person{n}", "family_name": "Scenario", "sex": rng.choice(("female", "male", "other")),
                "date_of_birth": None if estimated else born, "birth_year": born.year if estimated else None,
                "province": rng.choice(PROVINCES) if full or rng.random() < 0.8 else None,
                "category": rng.choice(("returned_migrant", "at_risk")),
                "disability": rng.choice((True, False)) if full else rng.choice((True, False, None)),
                "baseline_monthly_income": (Decimal(rng.randint(0, 300)) if full or rng.random() < 0.8 else None),
                "baseline_income_currency": "USD", "registered_on": date(2024, 6, 1), "consent_on": date(2024, 6, 1),
                "consent_follow_up": n < PEOPLE - WITHOUT_CONSENT,
            }
            record = create_beneficiary(**values)
            self.records[record.id] = record
            self.ledger.people[record.id] = Person(
                record.id, values["sex"], date(born.year, 7, 1) if estimated else born, values["province"],
                values["category"], values["disability"], values["baseline_monthly_income"])

    def enroll_everyone(self, chains):
        """Each cohort takes more people than it has seats; both records of each chain link share a cohort."""
        rng, ids = self.rng, sorted(self.records)
        wanted = {cohort.id: set() for cohort in self.cohorts}
        for chain in chains:
            for first, second in zip(chain, chain[1:]):
                wanted[rng.choice(self.cohorts).id] |= {first, second}
        for cohort in self.cohorts:
            chosen = sorted(wanted[cohort.id]) + rng.sample(ids, cohort.capacity + rng.randint(0, 3))
            for person_id in dict.fromkeys(chosen):
                self._enroll(cohort, person_id)

    def _enroll(self, cohort, person_id):
        asked = cohort.start_on - timedelta(days=self.rng.randint(0, 30))
        enrollment = enrolling.enroll(cohort, self.records[person_id], asked, self.officer)
        self.ledger.enrollments[enrollment.id] = reference.Enrollment(
            enrollment.id, person_id, cohort.program_id,
            enrolled_on=asked if enrollment.status == "enrolled" else None, status=enrollment.status)

    def run_the_cohorts(self):
        """People complete, drop out or withdraw; then the waitlist is admitted or withdrawn, and so on."""
        for cohort in self.cohorts:
            entries = [e for e in self.ledger.enrollments.values() if Enrollment.get_by_id(e.id).cohort_id == cohort.id]
            for entry in [e for e in entries if e.status == "enrolled"]:
                self._move_on(cohort, entry)
            for entry in [e for e in entries if e.status == "waitlisted"]:
                self._leave_the_waitlist(cohort, entry)

    def _move_on(self, cohort, entry):
        rng, roll = self.rng, self.rng.random()
        on = _day(rng, max(entry.enrolled_on, cohort.start_on), cohort.end_on)
        enrollment = Enrollment.get_by_id(entry.id)
        if roll < 0.6:
            if rng.random() < 0.5:
                pre, post = Decimal(rng.randint(1, 5)), Decimal(rng.randint(1, 5))
                enrolling.set_assessment(enrollment, {"pre_score": pre, "post_score": post}, self.officer)
                entry.pre, entry.post = pre, post
            enrolling.change_status(enrollment, "completed", on, self.officer, override_reason="no register kept")
            entry.status, entry.ended_on = "completed", on
        elif roll < 0.8:
            status = rng.choice(("dropped_out", "withdrawn"))
            enrolling.change_status(enrollment, status, on, self.officer, reason="found work away")
            entry.status, entry.ended_on = status, on

    def _leave_the_waitlist(self, cohort, entry):
        rng, roll = self.rng, self.rng.random()
        requested = Enrollment.get_by_id(entry.id).requested_on
        on = _day(rng, requested, cohort.end_on)
        if roll < 0.55:
            try:
                enrolling.change_status(Enrollment.get_by_id(entry.id), "enrolled", on, self.officer)
            except CohortFull:
                return  # nobody left: still waiting
            entry.status, entry.enrolled_on = "enrolled", on
            self._move_on(cohort, entry)
        elif roll < 0.85:
            enrolling.change_status(Enrollment.get_by_id(entry.id), "withdrawn", on, self.officer,
                                    reason="took another course")
            entry.status, entry.ended_on = "withdrawn", on

    def follow_up_everyone(self):
        """Completers are called 0-3 times, some past their 12-month window; nobody without consent is."""
        for entry in [e for e in self.ledger.enrollments.values() if e.status == "completed"]:
            for _n in range(self.rng.randint(0, 3)):
                on = min(entry.ended_on + timedelta(days=self.rng.randint(0, 430)), TODAY)
                values = self._contact(entry, on)
                person = self.records[entry.person]
                if not person.consent_follow_up:
                    with pytest.raises(outcomes.NoFollowUpConsent):
                        outcomes.record_follow_up(person, values, self.officer, Enrollment.get_by_id(entry.id))
                    continue
                follow_up = outcomes.record_follow_up(person, values, self.officer, Enrollment.get_by_id(entry.id))
                self.ledger.follow_ups[follow_up.id] = self._as_contact(follow_up.id, entry, values)

    def _contact(self, entry, on):
        rng = self.rng
        values = {"followed_on": on, "reached": rng.random() < 0.85, "method": "phone"}
        if values["reached"]:
            status = rng.choice(STATUSES)
            values.update(status=status, monthly_income=(Decimal(rng.randint(0, 500)) if rng.random() < 0.9
                                                         else None), currency="USD")
            if status in ("wage_employed", "self_employed"):
                values["job_started_on"] = (entry.enrolled_on + timedelta(days=rng.randint(-300, 200))
                                            if rng.random() < 0.85 else None)
            if status == "migrated_abroad":
                values.update(country="Thailand", regular_channels=rng.choice((True, False, None)))
        return values

    @staticmethod
    def _as_contact(follow_up_id, entry, values):
        return Contact(follow_up_id, entry.id, values["followed_on"], values["reached"], values.get("status"),
                       values.get("job_started_on"), values.get("monthly_income"), values.get("regular_channels"))

    def merge_chains(self, chains):
        """Each chain merged link by link (A into B, then B into C...); some merges undone afterwards."""
        merges = []
        for chain in chains:
            for duplicate, survivor in zip(chain, chain[1:]):
                merges.append(merging.merge_beneficiaries(self.records[survivor], self.records[duplicate],
                                                          self.officer))
                self.ledger.merged_into[duplicate] = survivor
        for merge in self.rng.sample(merges, len(merges) // 3):  # in the middle of a chain or at its end
            merging.undo_merge(merge, self.officer)
            del self.ledger.merged_into[merge.duplicate_id]

    def correct_follow_ups(self):
        """A third of the follow-ups corrected (a new date, status, income or start), some deleted."""
        for contact in list(self.ledger.follow_ups.values()):
            roll = self.rng.random()
            follow_up = FollowUp.get_by_id(contact.id)
            entry = self.ledger.enrollments[contact.enrollment]
            if roll < 0.3:
                on = min(entry.ended_on + timedelta(days=self.rng.randint(0, 430)), TODAY)
                values = self._contact(entry, on)
                outcomes.update_follow_up(follow_up, values, self.officer, "typed from the wrong sheet",
                                          Enrollment.get_by_id(entry.id))
                self.ledger.follow_ups[contact.id] = self._as_contact(contact.id, entry, values)
            elif roll < 0.45:
                outcomes.delete_follow_up(follow_up, self.officer, "recorded for the wrong person")
                contact.deleted = True


def _chains(rng):
    """Disjoint chains of mergeable people: three of three records and one of four."""
    people = rng.sample(range(MERGEABLE), 13)
    return [people[0:3], people[3:6], people[6:9], people[9:13]]


def _periods():
    """Each quarter and year of FY2025 and FY2026, and the life of the project."""
    periods = [Period(date(2024, 1, 1), TODAY, "life")]
    for year in (2025, 2026):
        periods += [fiscal_quarter(year, q) for q in (1, 2, 3, 4)] + [fiscal_year(year)]
    return periods


def _assert_same(computed, expected, where):
    """A report's indicator against the reference: the total, each disaggregation's categories and figures."""
    code = computed["code"]
    close = computed["kind"] == "average"
    for key in ("numerator", "denominator", "value"):
        _assert_figure(computed[key], expected[key], close, f"{where} {code} {key}")
    reported = {}
    for row in computed["disaggregations"]:
        reported.setdefault(row["by"], {})[row["category"]] = row
    for by in Indicator.get(Indicator.code == code).disaggregation_list():
        assert set(reported.get(by, {})) == set(expected["by"][by]), f"{where} {code} by {by}"
        for category, row in reported.get(by, {}).items():
            for key in ("numerator", "denominator", "value"):
                _assert_figure(row[key], expected["by"][by][category][key], close,
                               f"{where} {code} {by}={category} {key}")
    if "no_baseline_now_earning" in expected:
        assert computed["notes"]["no_baseline_now_earning"] == expected["no_baseline_now_earning"], where


def _assert_figure(got, wanted, close, where):
    if close and got is not None and wanted is not None:
        assert got == pytest.approx(wanted, abs=2e-6), where
    else:
        assert got == wanted, where


@pytest.mark.parametrize("seed", SEEDS)
def test_every_figure_matches_the_rules_worked_out_from_the_scenario(seed, officer, create_beneficiary,
                                                                     create_cohort, create_program):
    rng = random.Random(seed)
    scenario = Scenario(rng, officer, create_beneficiary, create_cohort, create_program)
    chains = [[sorted(scenario.records)[n] for n in chain] for chain in _chains(rng)]
    scenario.enroll_everyone(chains)
    scenario.run_the_cohorts()
    scenario.follow_up_everyone()
    scenario.merge_chains(chains)
    scenario.correct_follow_ups()
    ledger = scenario.ledger

    # The scenario did what it is for: people waited, merges chained, follow-ups were corrected and deleted.
    entries = ledger.enrollments.values()
    assert any(e.enrolled_on is None and e.status == "withdrawn" for e in entries)
    assert any(e.enrolled_on is not None and e.enrolled_on != Enrollment.get_by_id(e.id).requested_on
               for e in entries)  # admitted from a waitlist
    assert any(ledger.merged_into[p] in ledger.merged_into for p in ledger.merged_into)  # two merges chained
    assert any(e.beneficiary.status == "merged" for e in Enrollment.select())  # a row that could not move
    assert any(c.deleted for c in ledger.follow_ups.values())

    for period in _periods():
        expected = reference.indicators(ledger, period.start, period.end)
        for computed in indicator_report(period)["indicators"]:
            _assert_same(computed, expected[computed["code"]], period.label)

    for year in (2025, 2026):  # the tracking sheet's quarters, from one pass over the year
        *quarters, whole = fiscal_year_reports(year)
        for report in quarters + [whole]:
            expected = reference.indicators(ledger, report["start"], report["end"])
            for computed in report["indicators"]:
                _assert_figure(computed["value"], expected[computed["code"]]["value"], computed["kind"] == "average",
                               f"{report['period_label']} {computed['code']} tracking")
