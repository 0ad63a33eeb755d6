"""`flask verify-audit`: seal what is pending, then check the audit log's hash chain."""
import click
from flask.cli import with_appcontext

from registry.audit import chain


@click.command("verify-audit")
@with_appcontext
def verify_audit_command():
    """Seal pending audit events, then walk the chain; exit 1 at the first altered or removed event."""
    with chain.own_connection():
        chain.seal_pending()
        report = chain.verify_chain()
    if report.problem:
        problem = report.problem
        intact = "1 event before it is" if report.count == 1 else f"{report.count} events before it are"
        click.echo(f"Audit chain broken at event id {problem.event_id} (seq {problem.seq}): {problem.kind}: "
                   f"{problem.message}. {intact} intact.", err=True)
        click.get_current_context().exit(1)
    click.echo(f"{report.count} events, chain intact (last seq {report.last_seq}, hash {report.last_hash}).")
