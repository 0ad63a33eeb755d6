"""Comparing the audit log with its witness: every witnessed seq must still be there with the same hash.

Which entries are held to the log: those of this database (a restore into a spare database writes
lines of another), except those a restore excuses. A restore puts the log back to the head its
backup carried, taken at backup_at; entries written from backup_at until the restore describe a
history the restore replaced, so they are not checked. Entries older than the backup are: the
backup held every event they saw, so a backup of an already-cut log does not hide the cut.

Entries of several files (several app servers) are merged by time; their clocks should agree
to within the time between a backup and its restore.
"""
from dataclasses import dataclass, field

from peewee import chunked, fn

from registry.audit.chain import GENESIS
from registry.audit.models import AuditEvent


@dataclass
class WitnessReport:
    """What the comparison found; `problems` lists clear sentences, empty when the witness agrees."""

    entries: int = 0  # the entries of this database held to the log
    newest: object = None  # the entry of the highest seq held to the log
    other_databases: int = 0
    excused: int = 0
    problems: list = field(default_factory=list)


def _excused(entry, restores):
    """Tell whether a restore replaced the history this entry saw."""
    return any((r.backup_at is None or r.backup_at <= entry.at) and entry.at < r.at for r in restores)


def _stored_hashes(seqs):
    """{seq: hash} of the events at these seqs that are in the log."""
    found = {}
    for chunk in chunked(sorted(seqs), 500):
        query = AuditEvent.select(AuditEvent.seq, AuditEvent.hash).where(AuditEvent.seq.in_(chunk))
        found.update(query.tuples())
    return found


def _present_between(first, last):
    return AuditEvent.select().where(AuditEvent.seq.between(first, last)).count()


def _gone_sentence(missing, newest):
    """One sentence on the witnessed events that are gone: the first missing, how many, up to which."""
    end = AuditEvent.select(fn.MAX(AuditEvent.seq)).scalar() or 0
    last = max(missing)
    first = min(missing[0], end + 1)  # past the log's end every seq is gone, witnessed or not
    gone = (last - first + 1) - _present_between(first, last)
    events = "1 event is" if gone == 1 else f"{gone} events are"
    return (f"Audit events are missing that the witness saw: {events} gone, the first missing is seq {first} "
            f"(the witness saw the log reach seq {last} at {newest.at}, in {newest.source}; "
            f"the log now ends at seq {end}).")


def compare(entries, identity):
    """Hold the log to the witness entries of the database `identity`; return a WitnessReport."""
    report = WitnessReport()
    mine = sorted((e for e in entries if e.db == identity), key=lambda e: e.at)
    report.other_databases = len(entries) - len(mine)
    restores = [e for e in mine if e.kind == "restore"]
    held = [e for e in mine if not _excused(e, restores)]
    report.excused, report.entries = len(mine) - len(held), len(held)
    for entry in held:
        if entry.seq == 0 and entry.hash != GENESIS:
            report.problems.append(f"{entry.source}: seq 0 with a hash other than the genesis.")
    held = [e for e in held if e.seq > 0]
    if not held:
        return report
    report.newest = max(held, key=lambda e: (e.seq, e.at))
    stored = _stored_hashes({e.seq for e in held})
    changed = sorted((e for e in held if e.seq in stored and stored[e.seq] != e.hash), key=lambda e: (e.seq, e.at))
    if changed:
        report.problems.append(_changed_sentence(changed, stored))
    missing = sorted({e.seq for e in held if e.seq not in stored})
    if missing:
        report.problems.append(_gone_sentence(missing, max((e for e in held if e.seq == missing[-1]),
                                                           key=lambda e: e.at)))
    return report


def _changed_sentence(changed, stored):
    """One sentence on the first witnessed event that is not the one the witness saw, and how many more."""
    entry = changed[0]
    others = len({e.seq for e in changed}) - 1
    more = "" if not others else f" {others} later witnessed events differ too."
    return (f"The audit event at seq {entry.seq} is not the one the witness saw (stored hash "
            f"{(stored[entry.seq] or '(none)')[:16]}…, witnessed {entry.hash[:16]}… at {entry.at}, in "
            f"{entry.source}): the log was rewritten from there or before.{more}")
