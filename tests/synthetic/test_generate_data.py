"""`flask generate-data`: synthetic data in proportion to N, consistent with the registry's rules, and usable."""
import random
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest

from registry import synthetic
from registry.audit.models import AuditEvent
from registry.auth.models import User
from registry.beneficiaries.duplicates import find_duplicates, search_keys
from registry.beneficiaries.models import Beneficiary, format_code
from registry.beneficiaries.services import register_beneficiary
from registry.reference.counters import Counter as CodeCounter
from registry.outcomes.models import WINDOWS, FollowUp, FollowUpDue
from registry.programs.attendance import rates
from registry.programs.models import (ATTENDED, ENDED_STATUSES, Attendance, Cohort, CohortTrainer, Enrollment,
                                      EnrollmentChange, Program, TrainingSession)
from registry.synthetic.accounts import PASSWORD
from registry.synthetic.generate import generate
from registry.synthetic.training import plan_cohorts, plan_enrollments
from registry.synthetic.vocabulary import PROVINCES
from registry.timeutil import add_months

N = 400
SEED = 7
KEYS = ("latin_key", "phonetic_key", "khmer_key", "id_number_key", "match_birth_year", "name_blocks", "phone_key")


def _add_command(app):
    if "generate-data" not in app.cli.commands:
        synthetic.init_app(app)


@pytest.fixture
def generated(app, runner):
    """The test database filled with N synthetic participants by the command; the command's output."""
    _add_command(app)
    result = runner.invoke(args=["generate-data", "--participants", str(N), "--seed", str(SEED)])
    assert result.exit_code == 0, result.output
    return result.output


def test_counts_are_in_proportion_to_n(generated):
    assert Beneficiary.select().count() == N
    assert Program.select().count() == 8
    cohorts = list(Cohort.select())
    assert len(cohorts) == round(N / 40)
    direct = Enrollment.select(Enrollment.cohort).where(Enrollment.enrolled_on == Enrollment.requested_on)
    sizes = Counter(e.cohort_id for e in direct)  # the seats given at once, waitlists aside
    assert all(20 <= sizes[c.id] <= 40 for c in cohorts), sizes
    assert all(c.capacity >= sizes[c.id] for c in cohorts)
    sessions = Counter(s.cohort_id for s in TrainingSession.select(TrainingSession.cohort))
    assert all(20 <= sessions[c.id] <= 32 for c in cohorts), sessions
    assert 0.55 <= Enrollment.admitted().select(Enrollment.beneficiary).distinct().count() / N <= 0.8
    assert 10 <= Attendance.select().count() / N <= 25
    assert all(CohortTrainer.select().where(CohortTrainer.cohort == c).exists() for c in cohorts)
    assert FollowUp.select().count() > Enrollment.select().where(Enrollment.status == "completed").count()
    assert "participants" in generated and "attendance marks" in generated


def test_participants_cover_the_country_and_both_categories(generated):
    people = list(Beneficiary.select())
    assert {p.province_id for p in people} == set(PROVINCES)
    assert {p.category for p in people} == {"returned_migrant", "at_risk"}
    migrants = [p for p in people if p.category == "returned_migrant"]
    assert all(p.destination_country and p.return_date < p.registered_on for p in migrants)
    assert not any(p.destination_country or p.return_date for p in people if p.category == "at_risk")
    both = sum(1 for p in people if p.given_name and p.given_name_km)
    latin_only = sum(1 for p in people if p.given_name and not p.given_name_km)
    khmer_only = sum(1 for p in people if p.given_name_km and not p.given_name)
    assert both > N / 2 and latin_only > 0 and khmer_only > 0 and both + latin_only + khmer_only == N
    assert {p.sex for p in people} >= {"female", "male"}
    phones = Counter(p.phone for p in people if p.phone)
    assert sum(phones.values()) > N / 2 and any(count > 1 for count in phones.values())
    assert sum(1 for p in people if p.id_document_number) > N / 3


def test_search_keys_codes_and_counter_are_those_of_the_services(generated):
    people = list(Beneficiary.select())
    for person in people:
        values = {name: getattr(person, name) for name in
                  ("given_name", "family_name", "given_name_km", "family_name_km", "date_of_birth", "birth_year",
                   "id_document_number", "phone")}
        assert {k: getattr(person, k) for k in KEYS} == search_keys(values), person.code
    codes = [p.code for p in people]
    assert len(set(codes)) == N
    counter = CodeCounter.get_by_id("beneficiary").value
    assert counter >= max(int(code[3:]) for code in codes)
    officer = User.get(User.username == "synth-officer")
    fresh = register_beneficiary({"given_name": "Dara", "family_name": "Sok", "sex": "male", "province": "02",
                                  "category": "at_risk"}, officer, allow_duplicate=True)
    assert fresh.code == format_code(counter + 1) and fresh.code not in codes


def test_enrollments_keep_to_their_cohorts_dates_and_rules(generated):
    today = date.today()
    enrollments = list(Enrollment.select(Enrollment, Cohort, Program).join(Cohort).join(Program))
    rate = rates(Enrollment.select())
    for e in enrollments:
        cohort = e.cohort
        assert e.requested_on <= cohort.end_on and e.requested_on <= e.status_on <= today
        assert e.enrolled_on is None or e.requested_on <= e.enrolled_on <= e.status_on
        assert (e.ended_on is not None) == (e.status in ENDED_STATUSES)
        if e.status == "completed":
            assert cohort.end_on <= e.ended_on <= min(cohort.end_on + timedelta(days=7), today)
            held = rate[e.id]
            assert e.override_reason or Decimal(str(held.value)) >= cohort.program.min_attendance
        elif e.status in ("dropped_out", "withdrawn"):
            assert e.leave_reason and (e.enrolled_on or e.requested_on) <= e.ended_on <= cohort.end_on
        if e.ended_on:
            assert e.status_on == e.ended_on
    last = {}
    for change in EnrollmentChange.select().order_by(EnrollmentChange.changed_on, EnrollmentChange.id):
        assert change.changed_on <= today
        last[change.enrollment_id] = change
    assert all(last[e.id].to_status == e.status and last[e.id].changed_on == e.status_on for e in enrollments)


def test_full_cohorts_keep_waitlists_as_the_services_do(generated):
    today = date.today()
    waited = {c.enrollment_id for c in EnrollmentChange.select().where(EnrollmentChange.to_status == "waitlisted")}
    assert waited
    seen = set()
    for e in Enrollment.select(Enrollment, Cohort).join(Cohort).where(Enrollment.id.in_(waited)):
        cohort, history = e.cohort, [(c.from_status, c.to_status, c.changed_on) for c in e.changes.order_by(
            EnrollmentChange.changed_on, EnrollmentChange.id)]
        assert history[0] == ("", "waitlisted", e.requested_on)
        if e.enrolled_on is None:  # never admitted: still waiting, or withdrawn from the waitlist with a reason
            seen.add(e.status)
            assert not e.marks.exists() and e.status in ("waitlisted", "withdrawn")
            assert e.status == "withdrawn" or cohort.end_on > today
            assert history[1:] == ([("waitlisted", "withdrawn", e.ended_on)] if e.status == "withdrawn" else [])
        else:  # admitted on a later day, when someone who left had freed a seat
            seen.add("admitted")
            assert history[1] == ("waitlisted", "enrolled", e.enrolled_on) and e.requested_on < e.enrolled_on
        # They asked when every seat was taken: the cohort's capacity is the seats it gave at once.
        direct = cohort.enrollments.where(Enrollment.enrolled_on == Enrollment.requested_on)
        assert cohort.capacity == direct.count()
        assert not direct.where(Enrollment.requested_on > e.requested_on).exists()
    assert seen == {"admitted", "withdrawn", "waitlisted"}
    for cohort in Cohort.select():  # never more people seated at once than seats
        spans = [(e.enrolled_on, e.ended_on if e.status in ("dropped_out", "withdrawn") else None)
                 for e in Enrollment.admitted().where(Enrollment.cohort == cohort)]
        for day in {start for start, _end in spans}:
            assert sum(1 for start, end in spans if start <= day and (end is None or end >= day)) <= cohort.capacity


def test_marks_are_only_on_sessions_held_while_the_enrollment_was_open(generated):
    today = date.today()
    marks = (Attendance.select(Attendance, Enrollment, TrainingSession).join(Enrollment)
             .switch(Attendance).join(TrainingSession))
    for mark in marks:
        e, session = mark.enrollment, mark.session
        assert session.cohort_id == e.cohort_id and not session.cancelled
        assert e.enrolled_on <= session.held_on <= today
        assert e.ended_on is None or session.held_on <= e.ended_on
    active = Enrollment.select().where(Enrollment.status == "active")
    attended = Attendance.select(Attendance.enrollment).where(Attendance.status.in_(ATTENDED))
    assert not active.where(Enrollment.id.not_in(attended)).exists()


def test_follow_ups_and_those_due_follow_the_completions(generated):
    today = date.today()
    completed = list(Enrollment.select().where(Enrollment.status == "completed"))
    expected = {(e.id, n, add_months(e.ended_on, n)) for e in completed for n in WINDOWS}
    dues = list(FollowUpDue.select())
    assert {(d.enrollment_id, d.window_months, d.due_on) for d in dues} == expected
    follow_ups = list(FollowUp.select(FollowUp, Enrollment).join(Enrollment))
    assert follow_ups
    reached, tried = {}, {}
    for f in follow_ups:
        e = f.enrollment
        assert e.status == "completed" and f.beneficiary_id == e.beneficiary_id
        assert e.ended_on <= f.followed_on <= today
        assert (f.status is not None) == f.reached == (f.monthly_income is not None)  # 0 when none, as the form asks
        if f.status in ("wage_employed", "self_employed"):
            assert f.job_started_on or f.job_before_training
        if f.reached:
            reached.setdefault(e.id, []).append((f.window_months, f.followed_on, f.id))
        else:
            tried[(e.id, f.window_months)] = max(f.followed_on, tried.get((e.id, f.window_months), f.followed_on))
    for due in dues:  # closed by the first reached follow-up of its window or the nearest later one
        closing = sorted(r for r in reached.get(due.enrollment_id, []) if r[0] >= due.window_months)
        assert due.follow_up_id == (closing[0][2] if closing else None)
        assert due.last_tried_on == tried.get((due.enrollment_id, due.window_months))
    declined = {p.id for p in Beneficiary.select().where(~Beneficiary.consent_follow_up)}
    assert declined and not any(f.beneficiary_id in declined for f in follow_ups)
    currencies = {f.currency for f in follow_ups if f.monthly_income}
    assert currencies == {"KHR", "USD"}
    assert any(f.status == "migrated_abroad" and f.country for f in follow_ups)


def test_the_app_works_on_the_data(generated, client, auth):
    response = auth.login("synth-officer", PASSWORD)
    assert response.status_code == 302
    person = (Beneficiary.select().join(FollowUp, on=FollowUp.beneficiary == Beneficiary.id).first())
    cohort = Cohort.select().order_by(Cohort.id).first()
    for url in ("/beneficiaries/", f"/beneficiaries/{person.code}", f"/cohorts/{cohort.id}",
                f"/cohorts/{cohort.id}/grid", "/follow-ups/", "/reports/?period=life", "/reports/"):
        assert client.get(url).status_code == 200, url
    auth.logout()
    trainer = User.get(User.id == CohortTrainer.get(CohortTrainer.cohort == cohort).trainer_id)
    assert auth.login(trainer.username, PASSWORD).status_code == 302
    assert client.get(f"/cohorts/{cohort.id}").status_code == 200


def test_it_refuses_a_database_that_holds_participants(app, runner, create_user):
    _add_command(app)
    officer = create_user("officer")
    with app.app_context():
        register_beneficiary({"given_name": "Sokha", "family_name": "Chea", "sex": "female", "province": "02",
                              "category": "at_risk"}, officer)
    result = runner.invoke(args=["generate-data", "--participants", "100"])
    assert result.exit_code == 1 and "already holds participants" in result.output
    assert Beneficiary.select().count() == 1 and User.select().count() == 1


def test_it_refuses_to_run_twice(generated, runner):
    result = runner.invoke(args=["generate-data", "--participants", "100"])
    assert result.exit_code == 1 and "already holds participants" in result.output
    assert Beneficiary.select().count() == N
    assert AuditEvent.select().where(AuditEvent.action == "synthetic.generate").count() == 1


def test_it_refuses_a_future_day_and_a_weak_password(app, runner):
    _add_command(app)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    result = runner.invoke(args=["generate-data", "--participants", "100", "--as-of", tomorrow])
    assert result.exit_code == 2 and "future" in result.output
    result = runner.invoke(args=["generate-data", "--participants", "100", "--password", "short"])
    assert result.exit_code == 2
    assert Beneficiary.select().count() == 0 and User.select().count() == 0


def test_near_duplicates_are_found_by_the_duplicate_search(app_ctx):
    summary = generate(N, seed=SEED, echo=lambda line: None)
    assert len(summary.duplicates) == round(N * 0.015)
    found = 0
    for twin_id, original_id in summary.duplicates:
        twin = Beneficiary.get_by_id(twin_id)
        values = {name: getattr(twin, name) for name in ("given_name", "family_name", "given_name_km",
                                                          "family_name_km", "date_of_birth", "birth_year", "phone",
                                                          "id_document_number")}
        found += original_id in {m.beneficiary.id for m in find_duplicates(values, exclude_ids=[twin_id])}
    assert found >= 0.8 * len(summary.duplicates)


def test_the_same_seed_plans_the_same_data():
    def plan():
        rng = random.Random(3)
        cohorts = plan_cohorts(200, rng, date(2026, 3, 1))
        return [(e.cohort.id, e.person, e.status, e.enrolled_on, e.ended_on, e.marks)
                for e in plan_enrollments(cohorts, 200, rng, date(2026, 3, 1))]

    assert plan() == plan()


def test_the_benchmarks_bulk_insert_leaves_the_app_able_to_register(app_ctx, create_user):
    """insert_values writes explicit ids: PostgreSQL's sequence must follow, or the next registration fails."""
    from registry.synthetic.people import People
    from registry.synthetic.register import insert_values

    user = create_user("officer")
    people = People(random.Random(3))
    insert_values([people.person() for _ in range(5)], user.id)
    person = register_beneficiary({**people.person(), "province": "02"}, User.get_by_id(user.id),
                                  allow_duplicate=True)
    assert person.id == 6
