"""The audit log's hash chain: events are sealed in order after they are committed, then verified.

Why sealing is separate from writing: record_event runs inside the transactions of many
services, some long (an import of a thousand rows). Chaining at write time would need a global
lock held until each of those transactions commits, serialising every audited request behind the
longest one (and, with the other locks a service takes, inviting deadlocks). So record_event
inserts the event unsealed, and seal_pending(), in short transactions of its own, chains the
committed events: it takes the sealing lock (PostgreSQL: a transaction-scoped advisory lock;
SQLite: the write lock of BEGIN IMMEDIATE), reads the last sealed event, and gives each
unsealed event, in id order, the next seq, the previous hash and its own hash.

seq, not id, is the chain order: on PostgreSQL a long transaction may commit its events after
later ids were sealed; they are sealed when they become visible, at the end of the chain.

What the chain proves: an event changed, or removed from the middle, after it was sealed breaks
it (verify_chain finds the first such event). It cannot see its own tail cut off, nor the whole
chain rewritten: after each batch the sealer appends the new head to the witness file outside the
database (registry.audit.witness), and `flask verify-audit` compares the log with it.
"""
import hashlib
import json
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timezone

from registry.audit.models import AuditEvent
from registry.audit.witness import WitnessError, current_witness
from registry.db import database, is_postgres

log = logging.getLogger(__name__)

GENESIS = "0" * 64  # the prev_hash of the first event
# The key of the PostgreSQL advisory lock that sealers take: "audit" in ASCII.
SEAL_LOCK_KEY = 0x6175646974
BATCH_SIZE = 500
HASHED_FIELDS = (AuditEvent.id, AuditEvent.at, AuditEvent.user, AuditEvent.username, AuditEvent.action,
                 AuditEvent.object_type, AuditEvent.object_id, AuditEvent.ip, AuditEvent.user_agent,
                 AuditEvent.detail)


def _iso_utc(at):
    """A stored timestamp (naive UTC) as ISO 8601 with microseconds and a Z."""
    if at.tzinfo is not None:
        at = at.astimezone(timezone.utc).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds") + "Z"


def canonical_json(row):
    """The event's fields as the chain hashes them: sorted keys, no spaces, UTF-8 text kept.

    `row` is a dict as `.dicts()` gives it; the detail is hashed as the stored text, not re-encoded.
    """
    return json.dumps({
        "id": row["id"], "at": _iso_utc(row["at"]), "user_id": row["user"], "username": row["username"],
        "action": row["action"], "object_type": row["object_type"], "object_id": row["object_id"],
        "ip": row["ip"], "user_agent": row["user_agent"], "detail": row["detail"],
    }, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(prev_hash, row):
    """sha256 over the previous hash and the event's canonical JSON, as hex."""
    return hashlib.sha256((prev_hash + canonical_json(row)).encode("utf-8")).hexdigest()


@contextmanager
def own_connection():
    """Use the open connection, or open one and close it afterwards (teardown hooks, commands)."""
    opened = database.is_closed()
    if opened:
        database.connect()
    try:
        yield
    finally:
        if opened and not database.is_closed():
            database.close()


def _sealing_transaction():
    """A transaction that holds SQLite's write lock from its first statement."""
    # BEGIN IMMEDIATE on SQLite takes the write lock at once: one sealer at a time, and no
    # writer between reading the last hash and writing the next one.
    return database.atomic() if is_postgres() else database.atomic(lock_type="IMMEDIATE")


def last_sealed():
    """The seq and hash the next event chains to: the end of the chain, or the genesis."""
    last = (AuditEvent.select(AuditEvent.seq, AuditEvent.hash)
            .where(AuditEvent.seq.is_null(False) & AuditEvent.hash.is_null(False))
            .order_by(AuditEvent.seq.desc()).first())
    return (last.seq, last.hash) if last else (0, GENESIS)


def _seal_batch(limit):
    """Seal up to `limit` unsealed events in one transaction under the sealing lock.

    Return how many, and the seq and hash of the chain's end once they are sealed.
    """
    with _sealing_transaction():
        if is_postgres():
            # Held until this transaction ends; READ COMMITTED then shows the statements below
            # everything the previous sealer committed.
            database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (SEAL_LOCK_KEY,))
        seq, prev_hash = last_sealed()
        rows = list(AuditEvent.select(*HASHED_FIELDS).where(AuditEvent.hash.is_null())
                    .order_by(AuditEvent.id).limit(limit).dicts())
        for row in rows:
            seq += 1
            digest = event_hash(prev_hash, row)
            AuditEvent.seal(row["id"], seq, prev_hash, digest)
            prev_hash = digest
    return len(rows), seq, prev_hash


def _witness(witness, seq, digest):
    """Append the committed head to the witness; a failure is logged, never raised (the seal holds)."""
    try:
        witness.checkpoint(database.obj, seq, digest)
    except WitnessError as error:
        log.error("%s The audit log's end is not witnessed until the next seal.", error)


def seal_pending(batch_size=BATCH_SIZE, witness=None):
    """Seal every committed unsealed event, oldest id first, in short transactions; return how many.

    After each batch commits, its new head goes to the witness (the current app's by default).

    :raise RuntimeError: called inside a transaction (the lock would last as long as it, and the
        caller's own uncommitted events would be sealed before they are certain).
    """
    if database.in_transaction():
        raise RuntimeError("seal_pending() must run outside any transaction.")
    witness = witness or current_witness()
    total = 0
    while True:
        sealed, seq, digest = _seal_batch(batch_size)
        total += sealed
        if sealed and witness is not None:
            _witness(witness, seq, digest)
        if sealed < batch_size:
            return total


@dataclass
class ChainBreak:
    """The first event at which the chain does not hold."""

    event_id: int
    seq: int
    kind: str  # "altered" or "removed"
    message: str


@dataclass
class ChainReport:
    """What verify_chain found: how many sealed events it checked, the last hash, the first break."""

    count: int
    last_seq: int
    last_hash: str
    problem: ChainBreak = None


def _check(row, expected_seq, prev_hash):
    """The break at this event, if any: a gap, a broken link, then a hash mismatch."""
    if row["seq"] != expected_seq:
        missing = f"seq {expected_seq}" if row["seq"] == expected_seq + 1 else \
            f"seq {expected_seq} to {row['seq'] - 1}"
        return ChainBreak(row["id"], row["seq"], "removed",
                          f"{missing} missing before it: events were removed from the log")
    if row["prev_hash"] != prev_hash:
        return ChainBreak(row["id"], row["seq"], "removed",
                          f"its prev_hash {(row['prev_hash'] or '')[:16]}… is not the hash of the event before it "
                          f"({prev_hash[:16]}…): that event was removed, replaced or re-hashed")
    computed = event_hash(row["prev_hash"], row)
    if computed != row["hash"]:
        return ChainBreak(row["id"], row["seq"], "altered",
                          f"its fields no longer match its hash (stored {(row['hash'] or '')[:16]}…, "
                          f"computed {computed[:16]}…): it was changed after it was sealed")
    return None


def verify_chain(chunk=5000):
    """Walk the sealed events by seq, in chunks so memory stays flat; stop at the first break."""
    count, seq, prev_hash = 0, 0, GENESIS
    fields = HASHED_FIELDS + (AuditEvent.seq, AuditEvent.prev_hash, AuditEvent.hash)
    while True:
        rows = list(AuditEvent.select(*fields).where(AuditEvent.seq > seq)
                    .order_by(AuditEvent.seq).limit(chunk).dicts())
        for row in rows:
            problem = _check(row, seq + 1, prev_hash)
            if problem:
                return ChainReport(count, seq, prev_hash, problem)
            count, seq, prev_hash = count + 1, row["seq"], row["hash"]
        if len(rows) < chunk:
            return ChainReport(count, seq, prev_hash)
