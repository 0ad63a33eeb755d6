"""Merges found late: a chain of merges counts as one person, its final survivor, and undoes exactly.

The people A, B, C, D are one person registered several times. Each shares a cohort with the next
(A and B are both in "A+B", so when A is merged into B, A's enrollment there cannot move and stays
with A), and each has a cohort of their own; A completed theirs and was followed up. Their sex, age,
province and disability all differ, so the reports show whose values a person is counted with.
"""
import itertools
import json
import random
import re
import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import psycopg2
import pytest

from registry.audit.models import AuditEvent
from registry.auth.models import User
from registry.beneficiaries import merging, services
from registry.beneficiaries.models import Beneficiary, BeneficiaryMerge
from registry.dashboard.counts import follow_up_counts, in_training, people_by_province
from registry.dashboard.series import monthly_flow
from registry.dashboard.sql import Scope
from registry.db import database, migration_runner
from registry.outcomes.models import FollowUp
from registry.outcomes.services import record_follow_up
from registry.programs import enrollment as enrolling
from registry.programs.models import Enrollment
from tests.conftest import TEST_DATABASE_URL
from tests.reports.conftest import results

Q1 = (date(2025, 10, 1), date(2025, 12, 31))  # FY2026 Q1: every enrollment below starts in it
TODAY = date(2026, 6, 15)
EVERYWHERE = Scope()
PEOPLE = {  # name: (sex, born, province, disability, own values that a merge copies into a blank survivor)
    "A": ("female", date(2005, 1, 1), "02", True, {"phone": "+85512345678"}),
    "B": ("other", date(1980, 1, 1), "17", None, {"village": "Kouk Khmum"}),
    "C": ("male", date(2008, 6, 1), "12", False, {"district": "Sangkae"}),
    "D": ("female", date(1998, 3, 1), "03", True, {"commune": "Ou Mal"}),
    "E": ("male", date(1995, 5, 5), "21", None, {"phone": "+85598765432"}),
}


@dataclass
class World:
    """The people by name, and their rows by label ("A@A+B": A's enrollment in the cohort A and B share)."""

    people: dict
    enrollments: dict
    follow_up: int


@pytest.fixture
def chain(app, registrar, create_beneficiary, create_cohort):
    """chain("ABC") -> World: the people named, each in a cohort with the next and in one of their own."""

    def make(names):
        people = {}
        for name in names:
            sex, born, province, disability, own = PEOPLE[name]
            people[name] = create_beneficiary(given_name=f"Person {name}", family_name="Chan", sex=sex,
                                              date_of_birth=born, province=province, disability=disability, **own)
        cohorts = [f"{a}+{b}" for a, b in zip(names, names[1:])] + list(names)
        cohorts = {c: create_cohort(name=c, start_on=date(2025, 1, 1), end_on=date(2026, 12, 31)) for c in cohorts}
        with app.app_context():
            return _train(names, people, cohorts, User.get_by_id(registrar.id))

    return make


def _train(names, people, cohorts, user):
    """Enroll each person in their cohorts; the first completes their own and is followed up."""
    enrollments = {}
    for n, name in enumerate(names):
        for cohort in cohorts:
            if name in cohort.split("+"):
                enrollment = enrolling.enroll(cohorts[cohort], people[name], date(2025, 10, 1 + n), user)
                enrollments[f"{name}@{cohort}"] = enrollment.id
    first = Enrollment.get_by_id(enrollments[f"{names[0]}@{names[0]}"])
    enrolling.change_status(first, "completed", date(2025, 11, 20), user, override_reason="test data")
    follow_up = record_follow_up(people[names[0]], {
        "followed_on": date(2025, 12, 20), "reached": True, "method": "phone", "status": "wage_employed",
        "job_started_on": date(2025, 12, 1), "monthly_income": Decimal("200"), "currency": "USD"},
        user, Enrollment.get_by_id(first.id))
    return World(people, enrollments, follow_up.id)


def merge(world, duplicate, survivor, user):
    """Merge one of the world's people into another, by name."""
    return merging.merge_beneficiaries(Beneficiary.get_by_id(world.people[survivor].id),
                                       Beneficiary.get_by_id(world.people[duplicate].id), user)


def undo(merge_record, user):
    """Undo a merge, read again as a page would."""
    return merging.undo_merge(BeneficiaryMerge.get_by_id(merge_record.id), user)


def records(world):
    """{name: (status, name of the record it points at)}."""
    names = {b.id: name for name, b in world.people.items()}
    query = Beneficiary.select(Beneficiary.id, Beneficiary.status, Beneficiary.merged_into).where(
        Beneficiary.id.in_(list(names)))
    return {names[b.id]: (b.status, names.get(b.merged_into_id)) for b in query}


def holders(world):
    """{row: name of the record that holds it}: every enrollment, and the follow-up."""
    names = {b.id: name for name, b in world.people.items()}
    found = {label: names[Enrollment.get_by_id(i).beneficiary_id] for label, i in world.enrollments.items()}
    found["follow-up"] = names[FollowUp.get_by_id(world.follow_up).beneficiary_id]
    return found


def values(world):
    """{name: the record's editable values}."""
    return {name: services.editable_values(Beneficiary.get_by_id(b.id)) for name, b in world.people.items()}


def finals(world):
    """{name: the name of the record the person counts as}: the one their record points at, or itself."""
    return {name: into or name for name, (_status, into) in records(world).items()}


def assert_consistent(world):
    """The invariants every state keeps: pointers one step long, rows with their own person, follow-ups
    with their enrollment, and the report counting one person per group, with the final survivor's values."""
    state, final = records(world), finals(world)
    assert all(state[into][0] != "merged" for _status, into in state.values() if into), state
    owners = {label: label.split("@")[0] for label in world.enrollments} | {"follow-up": next(iter(world.people))}
    for label, holder in holders(world).items():
        assert final[holder] == final[owners[label]], (label, holder)
    follow_up = FollowUp.get_by_id(world.follow_up)
    assert follow_up.beneficiary_id == Enrollment.get_by_id(follow_up.enrollment_id).beneficiary_id
    persons = set(final.values())
    custom1 = results(*Q1)["CUSTOM-1"]
    assert custom1["numerator"] == len(persons)
    assert by(custom1, "province") == {PEOPLE[p][2]: (1, None) for p in persons}


def last_event(action):
    """The detail of the latest audit event of an action."""
    event = AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id.desc()).first()
    return json.loads(event.detail)


def by(result, dimension):
    """{category: (numerator, denominator)} of one disaggregation."""
    return {d["category"]: (d["numerator"], d["denominator"]) for d in result["disaggregations"]
            if d["by"] == dimension}


ORIGINAL_ABC = {"A@A+B": "A", "A@A": "A", "B@A+B": "B", "B@B+C": "B", "B@B": "B", "C@B+C": "C", "C@C": "C",
                "follow-up": "A"}


def test_a_chain_of_three_points_every_record_at_the_final_survivor(officer, chain):
    world = chain("ABC")
    first = merge(world, "A", "B", officer)
    assert holders(world) == {**ORIGINAL_ABC, "A@A": "B", "follow-up": "B"}  # A@A+B could not move
    second = merge(world, "B", "C", officer)
    assert records(world) == {"A": ("merged", "C"), "B": ("merged", "C"), "C": ("active", None)}
    assert holders(world) == {**ORIGINAL_ABC, "A@A": "C", "B@A+B": "C", "B@B": "C", "follow-up": "C"}
    assert json.loads(BeneficiaryMerge.get_by_id(second.id).detail)["repointed"] == [world.people["A"].id]
    assert json.loads(BeneficiaryMerge.get_by_id(first.id).detail)["repointed"] == []
    assert last_event("beneficiary.merge")["repointed"] == [world.people["A"].code]
    assert_consistent(world)


def test_the_report_counts_a_chain_of_three_once_with_the_final_survivors_values(officer, chain):
    world = chain("ABC")
    merge(world, "A", "B", officer)
    merge(world, "B", "C", officer)
    report = results(*Q1)
    for code in ("CUSTOM-1", "CUSTOM-2", "EG.6-12"):
        result = report[code]
        count = (1, None) if result["denominator"] is None else (1, 1)
        assert (result["numerator"], result["denominator"]) == count, code
        assert by(result, "sex") == {"male": count}, code  # C's values, not A's or B's
        assert by(result, "age_band") == {"15-19": count}, code
        assert by(result, "province") == {"12": count}, code
        assert by(result, "disability") == {"no": count}, code
    gender, youth = report["GNDR-2"], report["YOUTH-3"]
    assert (gender["numerator"], gender["denominator"]) == (0, 1)
    assert (youth["numerator"], youth["denominator"]) == (1, 1)


def test_the_dashboard_counts_a_chain_of_three_once(officer, chain):
    world = chain("ABC")
    merge(world, "A", "B", officer)
    merge(world, "B", "C", officer)
    flow = monthly_flow(EVERYWHERE, TODAY)
    assert (flow.enrolled, flow.completed) == (1, 1)
    assert in_training(EVERYWHERE, date(2025, 11, 1)) == 1
    assert follow_up_counts(EVERYWHERE, date(2025, 7, 1), TODAY) == (1, 1)
    assert {p.code: p.people for p in people_by_province(EVERYWHERE)} == {"12": 1}


def test_undo_in_the_middle_then_at_the_end_restores_everything(officer, chain):
    world = chain("ABC")
    services.archive_beneficiary(Beneficiary.get_by_id(world.people["A"].id), officer)
    before = values(world)
    first, second = merge(world, "A", "B", officer), merge(world, "B", "C", officer)
    assert Beneficiary.get_by_id(world.people["C"].id).phone == "+85512345678"  # A's, carried on through B

    undo(first, officer)
    assert records(world) == {"A": ("archived", None), "B": ("merged", "C"), "C": ("active", None)}
    assert holders(world) == {**ORIGINAL_ABC, "B@A+B": "C", "B@B": "C"}  # A's rows came back from C
    now = values(world)
    assert now["A"] == before["A"]
    assert now["B"]["phone"] == now["C"]["phone"] == ""  # A's phone left B and C with the undo
    assert now["C"]["village"] == "Kouk Khmum"  # B's, still merged into C
    assert_consistent(world)
    assert last_event("beneficiary.merge_undone")["cleared"] == {world.people["B"].code: ["phone", "disability"],
                                                                 world.people["C"].code: ["phone"]}

    undo(second, officer)
    assert records(world) == {"A": ("archived", None), "B": ("active", None), "C": ("active", None)}
    assert holders(world) == ORIGINAL_ABC  # A's rows stayed with A
    assert values(world) == before
    assert_consistent(world)


def test_undo_at_the_end_then_in_the_middle_restores_everything(officer, chain):
    world = chain("ABC")
    before = values(world)
    first, second = merge(world, "A", "B", officer), merge(world, "B", "C", officer)

    undo(second, officer)
    assert records(world) == {"A": ("merged", "B"), "B": ("active", None), "C": ("active", None)}
    assert holders(world) == {**ORIGINAL_ABC, "A@A": "B", "follow-up": "B"}  # back as after the first merge
    assert values(world)["C"] == before["C"]
    assert_consistent(world)

    undo(first, officer)
    assert records(world) == {"A": ("active", None), "B": ("active", None), "C": ("active", None)}
    assert holders(world) == ORIGINAL_ABC
    assert values(world) == before
    assert_consistent(world)


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_a_chain_of_four_counts_once_and_undoes_in_any_order(officer, chain, order):
    world = chain("ABCD")
    before, rows = values(world), holders(world)
    merges = [merge(world, "A", "B", officer), merge(world, "B", "C", officer), merge(world, "C", "D", officer)]
    assert records(world) == {"A": ("merged", "D"), "B": ("merged", "D"), "C": ("merged", "D"),
                              "D": ("active", None)}
    result = results(*Q1)["CUSTOM-1"]
    assert result["numerator"] == 1
    assert (by(result, "sex"), by(result, "age_band"), by(result, "disability")) == (
        {"female": (1, None)}, {"25-29": (1, None)}, {"yes": (1, None)})
    assert_consistent(world)
    for index in order:
        undo(merges[index], officer)
        assert_consistent(world)
    assert all(status == "active" for status, _into in records(world).values())
    assert holders(world) == rows
    assert values(world) == before


def test_records_merged_into_a_duplicate_go_back_to_it_when_its_merge_is_undone(officer, chain,
                                                                               create_beneficiary):
    world = chain("ABC")
    z = create_beneficiary(given_name="Person Z", family_name="Chan")
    world.people["Z"] = z
    merge(world, "Z", "A", officer)
    first, second = merge(world, "A", "B", officer), merge(world, "B", "C", officer)
    assert records(world)["Z"] == ("merged", "C")
    undo(first, officer)
    assert records(world)["Z"] == ("merged", "A")  # Z is A's person, wherever the chain had taken it
    undo(second, officer)
    assert records(world) == {"A": ("active", None), "B": ("active", None), "C": ("active", None),
                              "Z": ("merged", "A")}


def test_an_undo_leaves_rows_a_later_merge_brought_from_outside_its_chain(officer, chain):
    world = chain("ABC")
    first, second = merge(world, "A", "B", officer), merge(world, "B", "C", officer)
    undo(first, officer)
    again = merge(world, "A", "C", officer)  # A is C's person after all, not B's
    assert holders(world)["A@A"] == "C" and records(world)["A"] == ("merged", "C")
    undo(second, officer)
    assert records(world) == {"A": ("merged", "C"), "B": ("active", None), "C": ("active", None)}
    assert holders(world) == {**ORIGINAL_ABC, "A@A": "C", "follow-up": "C"}  # A@A+B could not move: C had B@A+B
    assert_consistent(world)
    undo(again, officer)
    assert holders(world) == ORIGINAL_ABC
    assert_consistent(world)


def test_a_follow_up_recorded_after_the_merge_follows_its_enrollment_back(officer, chain):
    world = chain("ABC")
    first, second = merge(world, "A", "B", officer), merge(world, "B", "C", officer)
    enrollment = Enrollment.get_by_id(world.enrollments["A@A"])
    later = record_follow_up(Beneficiary.get_by_id(world.people["C"].id), {
        "followed_on": date(2026, 2, 20), "reached": True, "method": "phone", "status": "self_employed",
        "job_started_on": date(2026, 1, 5), "monthly_income": Decimal("150"), "currency": "USD"}, officer, enrollment)
    undo(first, officer)
    assert FollowUp.get_by_id(later.id).beneficiary_id == world.people["A"].id


def test_a_merged_record_is_refused_on_either_side(officer, chain):
    world = chain("ABC")
    merge(world, "A", "B", officer)
    merge(world, "B", "C", officer)
    for duplicate, survivor in (("A", "C"), ("C", "B"), ("B", "A")):
        with pytest.raises(services.BeneficiaryError):
            merge(world, duplicate, survivor, officer)
    assert BeneficiaryMerge.select().count() == 2


def test_a_merge_refuses_a_record_merged_since_the_page_was_read(officer, chain):
    world = chain("ABC")
    stale_b = Beneficiary.get_by_id(world.people["B"].id)  # read by an officer whose page is still open
    merge(world, "B", "C", officer)  # another officer merges B meanwhile
    with pytest.raises(services.BeneficiaryError):
        merging.merge_beneficiaries(stale_b, Beneficiary.get_by_id(world.people["A"].id), officer)
    assert records(world)["A"] == ("active", None)


def test_an_undo_twice_is_refused_and_changes_nothing(officer, chain):
    world = chain("ABC")
    first = merge(world, "A", "B", officer)
    stale = BeneficiaryMerge.get_by_id(first.id)
    undo(first, officer)
    merge(world, "A", "C", officer)
    with pytest.raises(services.BeneficiaryError):
        merging.undo_merge(stale, officer)  # the copy says "not undone": the undo reads the merge again
    assert records(world)["A"] == ("merged", "C")


def test_a_merge_made_before_chains_were_kept_still_undoes(officer, chain):
    world = chain("AB")
    first = merge(world, "A", "B", officer)
    detail = json.loads(first.detail)
    del detail["repointed"]
    BeneficiaryMerge.update(detail=json.dumps(detail)).where(BeneficiaryMerge.id == first.id).execute()
    undo(first, officer)
    assert records(world) == {"A": ("active", None), "B": ("active", None)}
    assert holders(world) == {"A@A+B": "A", "A@A": "A", "B@A+B": "B", "B@B": "B", "follow-up": "A"}


def root(parent, name):
    """The final survivor of a record in the test's own model of the merges in force."""
    while name in parent:
        name = parent[name]
    return name


@pytest.mark.parametrize("seed", range(6))
def test_random_merges_and_undos_keep_every_row_with_its_person(officer, chain, seed):
    """Merges and undos in a seeded random order, checked against a model of who is whose survivor."""
    rng = random.Random(seed)
    world = chain("ABCDE")
    before, rows = values(world), holders(world)
    parent, in_force = {}, []  # the model: {duplicate: survivor} of the merges in force, and the merges
    for _step in range(20):
        free = [name for name in world.people if name not in parent]
        if in_force and (len(free) < 2 or rng.random() < 0.4):
            done, duplicate = in_force.pop(rng.randrange(len(in_force)))
            undo(done, officer)
            del parent[duplicate]
        else:
            duplicate, survivor = rng.sample(free, 2)
            in_force.append((merge(world, duplicate, survivor, officer), duplicate))
            parent[duplicate] = survivor
        assert finals(world) == {name: root(parent, name) for name in world.people}
        assert_consistent(world)
    for done, _duplicate in rng.sample(in_force, len(in_force)):
        undo(done, officer)
        assert_consistent(world)
    assert holders(world) == rows and values(world) == before
    assert all(status == "active" for status, _into in records(world).values())


def as_before_chains_were_kept(world, pointers):
    """The data as merges left it before this change: the given records point where they pointed then,
    and no merge lists the records it re-pointed."""
    for name, into in pointers.items():
        Beneficiary.update(merged_into=world.people[into].id).where(Beneficiary.id == world.people[name].id).execute()
    for merge_record in BeneficiaryMerge.select():
        detail = json.loads(merge_record.detail)
        detail.pop("repointed"), detail.pop("given_back", None)
        BeneficiaryMerge.update(detail=json.dumps(detail)).where(BeneficiaryMerge.id == merge_record.id).execute()


def migrate_merge_chains():
    """Run migration 0017's up() on the test database, as the runner would on a database with rows."""
    [migration] = [m for m in migration_runner().migrations() if m.name == "0017_merge_chains"]
    with database.atomic():
        migration.load().up(migration_runner().migrator, database.obj)


def corrections_noted():
    """The audit events migrations wrote about corrected data (without their reason)."""
    from registry.audit.models import AuditEvent

    events = AuditEvent.select().where(AuditEvent.action == "data.corrected").order_by(AuditEvent.id)
    return [{k: v for k, v in json.loads(e.detail).items() if k != "why"} for e in events]


def repointed(merge_record):
    """The ids a merge lists as re-pointed (none listed before this change)."""
    return json.loads(BeneficiaryMerge.get_by_id(merge_record.id).detail).get("repointed", [])


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_the_migration_flattens_a_chain_of_three_so_that_it_counts_and_undoes_right(officer, chain,
                                                                                   order):
    world = chain("ABC")
    before, rows = values(world), holders(world)
    merges = [merge(world, "A", "B", officer), merge(world, "B", "C", officer)]
    as_before_chains_were_kept(world, {"A": "B"})
    assert results(*Q1)["CUSTOM-1"]["numerator"] == 2  # the bug: A counted as B, B's record merged into C
    migrate_merge_chains()
    assert records(world) == {"A": ("merged", "C"), "B": ("merged", "C"), "C": ("active", None)}
    assert [repointed(m) for m in merges] == [[], [world.people["A"].id]]
    assert_consistent(world)
    assert corrections_noted() == [{"records": [world.people["A"].id], "repointed": 1}]  # the trace of the change
    migrate_merge_chains()  # a second run finds nothing to do
    assert [repointed(m) for m in merges] == [[], [world.people["A"].id]]
    assert len(corrections_noted()) == 1
    for index in order:
        undo(merges[index], officer)
        assert_consistent(world)
    assert holders(world) == rows and values(world) == before


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_the_migration_flattens_a_chain_of_four_as_the_merges_now_would(officer, chain, order):
    world = chain("ABCD")
    before, rows = values(world), holders(world)
    merges = [merge(world, "A", "B", officer), merge(world, "B", "C", officer), merge(world, "C", "D", officer)]
    now = [repointed(m) for m in merges]
    as_before_chains_were_kept(world, {"A": "B", "B": "C"})
    migrate_merge_chains()
    assert [repointed(m) for m in merges] == now == [[], [world.people["A"].id],
                                                     [world.people["A"].id, world.people["B"].id]]
    assert records(world) == {"A": ("merged", "D"), "B": ("merged", "D"), "C": ("merged", "D"),
                              "D": ("active", None)}
    for index in order:
        undo(merges[index], officer)
        assert_consistent(world)
    assert holders(world) == rows and values(world) == before


def test_the_migration_flattens_a_record_merged_by_hand_with_no_merge_to_note_it_in(officer, chain):
    world = chain("ABC")
    Beneficiary.update(status="merged", merged_into=world.people["B"].id).where(
        Beneficiary.id == world.people["A"].id).execute()
    Beneficiary.update(status="merged", merged_into=world.people["C"].id).where(
        Beneficiary.id == world.people["B"].id).execute()
    migrate_merge_chains()
    assert records(world) == {"A": ("merged", "C"), "B": ("merged", "C"), "C": ("active", None)}


@pytest.mark.parametrize("middle_first", [True, False])
def test_a_chain_through_the_merge_pages_and_undone_from_the_survivors_profile(app, client, auth, chain,
                                                                                middle_first):
    world = chain("ABC")
    a, b, c = (world.people[name].code for name in "ABC")
    auth.login_as("officer")
    assert client.post(f"/beneficiaries/{a}/merge", data={"other": b, "survivor": b}).location == f"/beneficiaries/{b}"
    assert client.post(f"/beneficiaries/{b}/merge", data={"other": c, "survivor": c}).location == f"/beneficiaries/{c}"
    assert client.get(f"/beneficiaries/{a}").location == f"/beneficiaries/{c}"  # straight to the final survivor
    assert client.get(f"/beneficiaries/{b}").location == f"/beneficiaries/{c}"
    page = client.get(f"/beneficiaries/{c}").get_data(as_text=True)
    assert f"{a} merged into {b}" in page and f"{b} merged into {c}" in page  # both can be undone from here
    undo_urls = re.findall(r'action="(/beneficiaries/merges/\d+/undo)"', page)
    assert len(undo_urls) == 2  # newest first: B into C, then A into B
    for url in (reversed(undo_urls) if middle_first else undo_urls):
        assert client.post(url).status_code == 302
    with app.app_context():
        assert records(world) == {"A": ("active", None), "B": ("active", None), "C": ("active", None)}
        assert holders(world) == ORIGINAL_ABC
    assert client.post(undo_urls[0], follow_redirects=True).get_data(as_text=True).count(
        "This merge was already undone.") == 1


def test_the_merge_pages_refuse_a_record_merged_at_the_end_of_a_chain(app, client, auth, chain):
    world = chain("ABC")
    a, b, c = (world.people[name].code for name in "ABC")
    auth.login_as("officer")
    client.post(f"/beneficiaries/{a}/merge", data={"other": b, "survivor": b})
    client.post(f"/beneficiaries/{b}/merge", data={"other": c, "survivor": c})
    assert client.get(f"/beneficiaries/{a}/merge").location == f"/beneficiaries/{c}"
    assert client.get(f"/beneficiaries/{c}/merge?other={a}").location == f"/beneficiaries/{c}/merge"
    response = client.post(f"/beneficiaries/{c}/merge", data={"other": a, "survivor": c}, follow_redirects=True)
    assert "One of these records is already merged into another." in response.get_data(as_text=True)
    with app.app_context():
        assert BeneficiaryMerge.select().count() == 2
        assert records(world) == {"A": ("merged", "C"), "B": ("merged", "C"), "C": ("active", None)}


def test_an_officer_cannot_undo_a_merge_of_records_outside_their_provinces(app, client, auth, chain):
    world = chain("ABC")
    with app.app_context():
        user = User.get(User.username == "registrar")
        first = merge(world, "A", "B", user)
        merge(world, "B", "C", user)
    auth.login_as("officer", provinces={"12"})  # C's province; A and B are in 02 and 17
    assert client.post(f"/beneficiaries/merges/{first.id}/undo").status_code == 404
    with app.app_context():
        assert records(world)["A"] == ("merged", "C")


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="SQLite's write transactions run one at a time already")
def test_on_postgresql_a_merge_waits_for_the_merge_or_undo_in_progress(app, chain, registrar):
    world = chain("ABC")
    other = psycopg2.connect(TEST_DATABASE_URL)  # another worker, in the middle of a merge or an undo
    other.cursor().execute("SELECT pg_advisory_xact_lock(%s)", (merging.MERGE_LOCK,))
    done = threading.Event()

    def merge_meanwhile():
        with app.app_context():
            merge(world, "A", "B", User.get_by_id(registrar.id))
            database.close()
        done.set()

    waiting = threading.Thread(target=merge_meanwhile)
    waiting.start()
    try:
        assert not done.wait(1)  # it waits for the other transaction to end...
    finally:
        other.commit()
        other.close()
    assert done.wait(30)  # ...and goes on when it does
    waiting.join()
    with app.app_context():
        assert records(world)["A"] == ("merged", "B")
