"""Command-line commands: create-user, seed-demo, init-db."""
from registry.audit.models import AuditEvent
from registry.auth.models import User
from registry.beneficiaries.models import Beneficiary
from registry.synthetic.demo import DEMO_PARTICIPANTS, DEMO_USERS


def test_create_user_with_password_and_provinces(runner):
    result = runner.invoke(args=["create-user", "dara", "--role", "officer", "--password", "a long password",
                                 "--provinces", "02,17"])
    assert result.exit_code == 0, result.output
    assert "Created dara (officer, 02, 17)." in result.output
    user = User.get(User.username == "dara")
    assert user.province_codes() == {"02", "17"}
    event = AuditEvent.get(AuditEvent.action == "user.create")
    assert event.username.startswith("cli:")


def test_create_user_prompts_for_the_password(runner):
    result = runner.invoke(args=["create-user", "vuthy", "--role", "manager"],
                           input="a long password\na long password\n")
    assert result.exit_code == 0, result.output
    assert "all provinces" in result.output
    assert User.get(User.username == "vuthy").all_provinces


def test_create_user_refuses_a_weak_password(runner):
    result = runner.invoke(args=["create-user", "kim", "--role", "trainer", "--password", "short"])
    assert result.exit_code == 2
    assert "at least 10 characters" in result.output
    assert User.select().count() == 0


def test_create_user_refuses_unknown_role_and_province(runner):
    result = runner.invoke(args=["create-user", "kim", "--role", "wizard", "--password", "a long password"])
    assert result.exit_code == 2 and "wizard" in result.output
    result = runner.invoke(args=["create-user", "kim", "--role", "trainer", "--password", "a long password",
                                 "--provinces", "02,77"])
    assert result.exit_code == 1 and "Unknown province code: 77." in result.output
    assert User.select().count() == 0


def test_create_user_refuses_a_taken_username(runner):
    runner.invoke(args=["create-user", "kim", "--role", "trainer", "--password", "a long password"])
    result = runner.invoke(args=["create-user", "kim", "--role", "officer", "--password", "a long password"])
    assert result.exit_code == 1 and "The username kim is taken." in result.output


def test_init_db_is_a_no_op_on_a_migrated_database(runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0 and "up to date" in result.output


def test_seed_demo_loads_once_and_prints_logins(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Demo data loaded." in result.output
    assert {u.username for u in User.select()} == {u[0] for u in DEMO_USERS}
    assert "admin    / registry-demo" in result.output
    people = list(Beneficiary.select())
    assert len(people) == DEMO_PARTICIPANTS + 1  # and one likely duplicate to merge
    assert any(p.given_name_km for p in people) and any(p.given_name for p in people)
    assert len({p.province_id for p in people}) > 1
    from registry.programs.models import Attendance, Cohort, Enrollment

    assert Cohort.select().count() == 4 and Attendance.select().count() > 100
    from registry.outcomes.models import FollowUp, FollowUpDue

    assert FollowUp.select().count() > 0
    assert FollowUpDue.select().where(FollowUpDue.follow_up.is_null()).count() > 0  # some still due
    assert FollowUpDue.select().where(FollowUpDue.last_tried_on.is_null(False)).count() > 0  # tried, not reached
    declined = Beneficiary.get(Beneficiary.code == "BR-000018")  # no consent to follow-up contact: never called
    assert not declined.consent_follow_up and FollowUp.select().where(FollowUp.beneficiary == declined).count() == 0
    statuses = {e.status for e in Enrollment.select()}
    assert {"completed", "dropped_out", "active", "waitlisted"} <= statuses
    waited = {e.id: e for e in Enrollment.select().where((Enrollment.requested_on != Enrollment.enrolled_on)
                                                         | Enrollment.enrolled_on.is_null())}
    assert sorted((e.status, e.enrolled_on is None) for e in waited.values()) == [
        ("active", False), ("waitlisted", True), ("withdrawn", True)]  # admitted, still waiting, left waiting
    assert not Attendance.select().where(Attendance.enrollment.in_(
        [e.id for e in waited.values() if e.enrolled_on is None])).exists()
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "already loaded" in again.output
    assert User.select().count() == len(DEMO_USERS)
    assert Beneficiary.select().count() == DEMO_PARTICIPANTS + 1


def test_seed_demo_refuses_a_database_with_real_records(runner, create_user):
    create_user("officer", username="real-officer")
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 1
    assert "already holds real records" in result.output
    assert User.select().count() == 1


def test_seed_demo_refuses_a_real_database_even_with_an_account_named_admin(runner, create_user):
    create_user("admin", username="admin")
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 1 and "already holds real records" in result.output
    assert User.select().count() == 1 and Beneficiary.select().count() == 0
