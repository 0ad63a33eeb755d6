"""`flask verify-audit`: seals what is pending, then names the first altered or removed event."""
from registry.audit.models import AuditEvent
from registry.audit.services import record_event


def write_events(app, n):
    """n unsealed events written as a command would; return their ids."""
    with app.app_context():
        return [record_event("test.event", username="tester", detail={"n": i}).id for i in range(n)]


def unsealed_count():
    """How many events wait to be sealed."""
    return AuditEvent.select().where(AuditEvent.hash.is_null()).count()


def test_an_intact_chain_exits_0_with_a_one_line_summary(app, runner, tamper):
    write_events(app, 3)
    tamper("UPDATE audit_event SET seq = NULL, prev_hash = NULL, hash = NULL")  # as after the migration
    assert unsealed_count() == 3
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("3 events, chain intact") and result.output.count("\n") == 1
    assert unsealed_count() == 0


def test_an_empty_log_is_intact(runner):
    result = runner.invoke(args=["verify-audit"])
    assert (result.exit_code, result.output.split(" (")[0]) == (0, "0 events, chain intact")


def test_an_altered_event_exits_1_and_is_named(app, runner, tamper):
    ids = write_events(app, 4)
    runner.invoke(args=["verify-audit"])
    tamper(f"UPDATE audit_event SET username = 'nobody' WHERE id = {ids[1]}")
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1
    assert f"event id {ids[1]} (seq 2): altered" in result.output
    assert "1 event before it is intact" in result.output


def test_a_removed_event_exits_1_and_names_the_gap(app, runner, tamper):
    ids = write_events(app, 4)
    runner.invoke(args=["verify-audit"])
    tamper(f"DELETE FROM audit_event WHERE id = {ids[1]}")
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1
    assert f"event id {ids[2]} (seq 3): removed: seq 2 missing" in result.output


def test_a_broken_link_exits_1(app, runner, tamper):
    ids = write_events(app, 3)
    runner.invoke(args=["verify-audit"])
    tamper(f"UPDATE audit_event SET prev_hash = '{'0' * 64}' WHERE id = {ids[2]}")
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1
    assert f"event id {ids[2]} (seq 3): removed" in result.output and "prev_hash" in result.output
