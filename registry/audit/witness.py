"""The audit log's witness: signed checkpoints of the chain's head, appended to a file outside the database.

Why: the hash chain shows an event changed or removed from the middle, but not its tail cut off
(the chain that is left is intact). After each seal the sealer appends one line to the witness file
(AUDIT_WITNESS_FILE): the head's seq and hash, when, and of which database, signed with HMAC-SHA256
under a key that is not in the database (AUDIT_WITNESS_KEY, or one derived from SECRET_KEY). Someone
who can write the database but not that file, nor read the key, cannot make the witness forget what
it saw: `flask verify-audit` finds every witnessed seq in the log with the same hash, or says what is gone.

Three kinds of line: "checkpoint" (after a seal), "backup" (the head a backup carries), "restore"
(the log was put back to a backup's head on purpose: checkpoints written between that backup and the
restore described a history the restore replaced; see registry.audit.witness_check).

Several gunicorn workers append to one file: each line is one write(2) on a descriptor opened with
O_APPEND, under an exclusive flock, so lines never interleave.
"""
import fcntl
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, has_app_context
from peewee import SqliteDatabase

from registry.timeutil import utcnow

KINDS = ("checkpoint", "backup", "restore")
KEY_CONTEXT = b"registry audit witness v1"  # derives the default key from SECRET_KEY


class WitnessError(Exception):
    """The witness file cannot be written, or a line in it is no sound witness entry."""


@dataclass(frozen=True)
class Entry:
    """One signed line of a witness file: what the head of which database's log was, and when."""

    kind: str
    at: str  # ISO 8601 UTC with microseconds and a Z: sorts as text
    db: str
    seq: int
    hash: str
    backup_at: str = None  # restore only: when the restored backup's checkpoint was taken
    source: str = ""  # "file, line n", for messages


def stamp():
    """The current UTC time as a witness entry writes it."""
    return utcnow().isoformat(timespec="microseconds") + "Z"


def signing_key(config):
    """The witness key: AUDIT_WITNESS_KEY as given, or an HMAC of SECRET_KEY (never stored in the database)."""
    explicit = config.get("AUDIT_WITNESS_KEY")
    if explicit:
        return explicit.encode("utf-8")
    return hmac.new(str(config["SECRET_KEY"]).encode("utf-8"), KEY_CONTEXT, hashlib.sha256).digest()


def database_identity(db):
    """Which database a line is about: the SQLite file, or PostgreSQL's host, port and name (no secrets)."""
    if isinstance(db, SqliteDatabase):
        return "sqlite:" + (db.database if db.database == ":memory:" else str(Path(db.database).resolve()))
    params = db.connect_params
    return f"postgresql://{params.get('host') or 'localhost'}:{params.get('port') or 5432}/{db.database}"


def _signature(key, fields):
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def signed_line(key, entry):
    """The entry as one line of JSON (no newline) with its signature in "sig"."""
    fields = {"kind": entry.kind, "at": entry.at, "db": entry.db, "seq": entry.seq, "hash": entry.hash}
    if entry.backup_at is not None or entry.kind == "restore":
        fields["backup_at"] = entry.backup_at
    return json.dumps({**fields, "sig": _signature(key, fields)}, sort_keys=True, separators=(",", ":"))


def parse_line(key, text, source=""):
    """The entry a signed line holds.

    :raise WitnessError: the line is no witness entry, or its signature does not match under key.
    """
    try:
        fields = json.loads(text)
        signature = fields.pop("sig")
        entry = Entry(kind=fields["kind"], at=fields["at"], db=fields["db"], seq=fields["seq"],
                      hash=fields["hash"], backup_at=fields.get("backup_at"), source=source)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise WitnessError("not a witness entry (damaged, or not written by the registry)") from None
    if entry.kind not in KINDS or not isinstance(entry.seq, int) or not isinstance(signature, str):
        raise WitnessError("not a witness entry (damaged, or not written by the registry)")
    if not hmac.compare_digest(signature, _signature(key, fields)):
        raise WitnessError("its signature does not match: the line was changed, or signed with another "
                           "AUDIT_WITNESS_KEY")
    return entry


class Witness:
    """A witness file and the key that signs its lines."""

    def __init__(self, path, key):
        self.path = Path(path)
        self.key = key

    def append(self, entry):
        """Append one signed line; return the line.

        :raise WitnessError: the file or its folder cannot be written.
        """
        line = signed_line(self.key, entry)
        data = (line + "\n").encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except FileExistsError:
            raise WitnessError(f"Cannot write the audit witness {self.path}: {self.path.parent} is not a "
                               "folder.") from None
        except OSError as error:
            raise WitnessError(f"Cannot write the audit witness {self.path}: {error.strerror}.") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the descriptor closes
            os.write(handle, data)
        except OSError as error:
            raise WitnessError(f"Cannot write the audit witness {self.path}: {error.strerror}.") from None
        finally:
            os.close(handle)
        return line

    def checkpoint(self, db, seq, digest, kind="checkpoint", at=None):
        """Append that db's log ends at seq with hash digest (as of `at`, by default now); return the line."""
        return self.append(Entry(kind=kind, at=at or stamp(), db=database_identity(db), seq=seq, hash=digest))

    def restored(self, db, carried):
        """Append that db was restored to a backup's checkpoint `carried` (an Entry); return the line."""
        return self.append(Entry(kind="restore", at=stamp(), db=database_identity(db), seq=carried.seq,
                                 hash=carried.hash, backup_at=carried.at))

    def parse(self, text, source=""):
        """The entry of one line signed with this witness's key (see parse_line)."""
        return parse_line(self.key, text, source)


def app_witness(app):
    """The witness of an app: its AUDIT_WITNESS_FILE and key."""
    return Witness(app.config["AUDIT_WITNESS_FILE"], signing_key(app.config))


def current_witness():
    """The current app's witness, or None outside an app context."""
    return app_witness(current_app) if has_app_context() else None


def read_entries(witness, paths, identity=None):
    """Every line of the witness files: (entries in file order, problems, one sentence per file and reason).

    A line that does not check but says it is about another database than `identity` (another
    deployment's, signed with its own key) is left out: it could not vouch for this log either way.
    """
    entries, failed = [], {}
    for path in paths:
        try:
            with open(path, encoding="utf-8", errors="replace") as file:
                for number, text in enumerate(file, start=1):
                    if not text.strip():
                        continue
                    try:
                        entries.append(witness.parse(text.strip(), f"{path}, line {number}"))
                    except WitnessError as error:
                        if identity is None or _claimed_database(text) in (None, identity):
                            failed.setdefault((str(path), str(error)), []).append(number)
        except OSError as error:
            failed.setdefault((str(path), f"cannot be read ({error.strerror})"), [])
    return entries, [_failed_lines(path, reason, numbers) for (path, reason), numbers in failed.items()]


def _claimed_database(text):
    """The database an unchecked line says it is about, or None when it says nothing readable."""
    try:
        claimed = json.loads(text).get("db")
    except (ValueError, AttributeError):
        return None
    return claimed if isinstance(claimed, str) else None


def _failed_lines(path, reason, numbers):
    """One sentence for the lines of a file that failed for the same reason: a few line numbers and a count."""
    if not numbers:
        return f"{path}: {reason}"
    if len(numbers) == 1:
        return f"{path}, line {numbers[0]}: {reason}"
    shown = ", ".join(str(n) for n in numbers[:5]) + (f" and {len(numbers) - 5} more" if len(numbers) > 5 else "")
    return f"{path}, {len(numbers)} lines ({shown}): {reason}"
