"""`flask verify-audit`: seal what is pending, check the audit log's hash chain, and compare it with its witness."""
from pathlib import Path

import click
from flask.cli import with_appcontext

from registry.audit import chain
from registry.audit.witness import current_witness, database_identity, read_entries
from registry.audit.witness_check import compare
from registry.db import database


def _witness_files(own, extra):
    """The app's own witness file (when it exists yet) and the extra ones, each once."""
    paths = [own] if own.exists() else []
    for path in extra:
        if path.resolve() not in {p.resolve() for p in paths}:
            paths.append(path)
    return paths


def _chain_failure(report):
    problem = report.problem
    intact = "1 event before it is" if report.count == 1 else f"{report.count} events before it are"
    return (f"Audit chain broken at event id {problem.event_id} (seq {problem.seq}): {problem.kind}: "
            f"{problem.message}. {intact} intact.")


def _agreement(found, paths, witness):
    """The witness half of the summary line."""
    if found.newest is None:
        where = ", ".join(str(p) for p in paths) if paths else f"{witness.path} (not written yet)"
        return f"The witness ({where}) has no checkpoint of this log yet."
    files = "1 file" if len(paths) == 1 else f"{len(paths)} files"
    restored = f", {found.excused} replaced by a restore" if found.excused else ""
    return (f"The witness agrees: {found.entries} checkpoints in {files}{restored}, the newest at seq "
            f"{found.newest.seq} ({found.newest.at}).")


@click.command("verify-audit")
@with_appcontext
@click.option("--witness", "extra", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Also compare with this witness file (another app server's, or a rotated one); repeatable.")
def verify_audit_command(extra):
    """Seal pending events, walk the chain, compare with the witness; exit 1 on anything altered or removed."""
    witness = current_witness()
    with chain.own_connection():
        chain.seal_pending(witness=witness)
        report = chain.verify_chain()
        paths = _witness_files(witness.path, extra)  # after the seal: it may have written the first line
        entries, unreadable = read_entries(witness, paths, database_identity(database.obj))
        found = compare(entries, database_identity(database.obj))
        failures = ([_chain_failure(report)] if report.problem else []) + \
            [f"Audit witness {line}." for line in unreadable] + found.problems
        if failures:
            for failure in failures:
                click.echo(failure, err=True)
            click.get_current_context().exit(1)
        if found.newest is None and report.count:
            # Trust on first use (a registry upgraded to the witness): anchor the head just verified.
            witness.checkpoint(database.obj, report.last_seq, report.last_hash)
    click.echo(f"{report.count} events, chain intact (last seq {report.last_seq}, hash {report.last_hash}). "
               + _agreement(found, paths, witness))
