"""Load test: trainers and officers at once against gunicorn, then every acknowledged write checked.

It creates its own database (PostgreSQL, or a SQLite file with --database-url sqlite:////path.sqlite3),
migrates it with `flask --app wsgi init-db`, builds accounts, API tokens and the training data
in-process (a program, 20 cohorts of 25 to 40 participants, each with one trainer and eight
sessions on past weekdays), then starts gunicorn and, for --duration seconds, runs simulated people,
each a thread with its own requests.Session:

- trainers save the attendance of a session of their own cohort, again and again, with random marks
  for the whole roster (PUT /api/v1/sessions/<id>/attendance, bearer token);
- every API write carries a new Idempotency-Key; after no answer (connection error, timeout) or a 409
  (the first attempt still running) it is sent again with the same key, up to --retries times, as a
  field client would: a retry of a write that was done gets its first answer again and writes nothing;
- officers sign in on /login (CSRF token from the form), then in turn register participants
  (POST /api/v1/beneficiaries with "allow_duplicate": true and a unique given name) and import a
  generated sheet of 20 rows with unique names through the pages: upload, wait for the check by
  polling the job's state URL as the page's script does, confirm, wait for the import, read the result.

Every answer's status and latency is recorded, and every acknowledged write (a 2xx answer; for an
import, the job's page saying the rows were imported). After the run it stops gunicorn and checks the
database: each acknowledged registration is there once (by code and by name), each acknowledged
import's rows are there once, each import job wrote all of its rows or none, each session's marks are
those of its last acknowledged save (one mark per person), and no answer was a 5xx. "Writes lost or
doubled" compares what the clients believe they wrote with the database. It prints a summary and
exits 1 on FAIL.

With --kills N (--kill-worker is --kills 1), N workers are killed in the second half of the run, each
in its own window. The first kill looks for a gunicorn worker running an import (the worker that
answered a job's confirmation, named by the access log, while the job is importing; best, while that
worker's connection is inside the import's transaction, seen in pg_stat_activity) and sends it SIGKILL;
gunicorn starts another. Requests in flight on it get no answer: they are counted apart, neither
acknowledged nor 5xx. The other kills look for a worker inside an API write's transaction (PostgreSQL
shows it; on SQLite a worker at random, nearly always busy). Afterwards, a job the kill interrupted
must have written nothing: the script waits until the job's state URL reports it interrupted (the
app's STALE_AFTER, 2 minutes after its last heartbeat, so such a run lasts about 2 minutes longer),
checks that it left no rows, takes it up again ("retry") and imports it; those requests show in the table as "(after)".

Run from the repository root, with the project's Python (gunicorn and requests come with
requirements-dev.txt):

    python -m bench.loadtest --duration 10                 # a quick try
    python -m bench.loadtest                               # 60 seconds
    python -m bench.loadtest --kill-worker                 # 60 seconds, one worker killed
    python -m bench.loadtest --kills 3 --workers 2 --database-url sqlite:////tmp/load.sqlite3
        [--database-url postgresql://postgres@127.0.0.1:5432/registry_load] [--duration 60] [--kills N]
        [--trainers 20] [--officers 5] [--workers 4] [--max-requests 20000] [--timeout 60] [--retries 5]
        [--keep] [--seed N]

The database of --database-url is DROPPED and created again, and dropped at the end unless --keep:
give it a name of its own (the script refuses `test`, `postgres` and the templates; a SQLite file must
end in .db, .sqlite or .sqlite3). The gunicorn log, the access log and every record of the run are
kept in a folder under /tmp that the summary names. This is not part of `make test`.
"""
import argparse
import json
import os
import random
import re
import signal
import socket
import string
import subprocess
import uuid
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import psycopg2
import requests

from registry import create_app
from registry.api.tokens import create_token
from registry.beneficiaries.importing import STALE_AFTER
from registry.beneficiaries.models import Beneficiary
from registry.db import database
from registry.programs.models import MARKS, Enrollment, EnrollmentChange, TrainingSession
from registry.programs.services import save_program
from registry.synthetic.people import People
from registry.users.services import create_user

from bench import ROOT
from bench.databases import (BENCH_WITNESS, connect, database_name, drop_database, fetch, is_sqlite, recreate_database,
                             refuse)
from bench.participants import generate, import_sheet, percentile
from bench.training import cohort_with_sessions, past_weekdays

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/registry_load"
HOST = "127.0.0.1"
PASSWORD = "load-test-passphrase-7391"
COHORTS, SESSIONS, ROSTER = 20, 8, (25, 40)
REGISTRATIONS_PER_TURN, SHEET_ROWS = 3, 20
WORKING = ("queued", "checking", "importing")  # the statuses while the page's script keeps polling
CONFIRMED = re.compile(r'pid <(\d+)> "POST /beneficiaries/import/(\d+)/confirm ')
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
IMPORTED = re.compile(r"(\d+) participants? imported")
# The access log names the worker (pid) and the time taken: evidence for the kill and for any 5xx.
ACCESS_LOG = '%(t)s pid %(p)s "%(r)s" %(s)s %(b)s %(M)sms'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def parse_args(argv=None):
    """The command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help="PostgreSQL database or SQLite file to DROP, "
                                                                     "create and use (default %(default)s)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--trainers", type=int, default=20, help="simulated trainers, one cohort each (default 20)")
    parser.add_argument("--officers", type=int, default=5, help="simulated officers (default 5)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--kill-worker", action="store_true", help="SIGKILL a gunicorn worker midway (--kills 1)")
    parser.add_argument("--kills", type=int, default=0, help="SIGKILL this many gunicorn workers, spread over the "
                                                             "second half of the run (default 0)")
    parser.add_argument("--retries", type=int, default=5, help="times an API write is sent again, with the same "
                                                               "Idempotency-Key, after no answer or a 409 "
                                                               "(default 5)")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--max-requests", type=int, default=20_000, help="at most this many requests (default 20000)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per request (default 60)")
    parser.add_argument("--job-wait", type=float, default=45, help="seconds an officer waits for a job phase "
                                                                   "(default 45)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: drawn and printed)")
    args = parser.parse_args(argv)
    if args.trainers < 1 or args.trainers > COHORTS or args.officers < 0 or args.workers < 1:
        parser.error(f"give 1 to {COHORTS} trainers (one cohort each), 0 or more officers, 1 or more workers.")
    if refuse(args.database_url):
        parser.error(refuse(args.database_url))
    args.kills = max(args.kills, 1 if args.kill_worker else 0)
    args.kill_worker = args.kills > 0
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(10**6)
    return args


# --- The database and the data ---------------------------------------------------------------------------

def server_env(url, secret):
    """The environment of the flask command and of gunicorn: this database, one secret key, the benches' witness."""
    return {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secret, "AUDIT_WITNESS_FILE": BENCH_WITNESS}


def tool(name):
    """The copy of a command (flask, gunicorn) installed beside this Python, as in a virtualenv, or the one on PATH."""
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else name


def init_db(url, secret):
    """Migrate the new database with `flask --app wsgi init-db`, as a deployment does."""
    done = subprocess.run([tool("flask"), "--app", "wsgi", "init-db"], cwd=ROOT, env=server_env(url, secret),
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"init-db failed:\n{done.stdout}{done.stderr}")


@dataclass
class Cast:
    """Who takes part: the trainers' tokens, cohorts and rosters, and the officers' logins and tokens."""

    trainers: list = field(default_factory=list)  # {"username", "token", "sessions": [id], "roster": [code]}
    officers: list = field(default_factory=list)  # {"username", "token"}
    sessions: dict = field(default_factory=dict)  # session id: cohort id, for every session built


def make_cohort(program, name, days, members, trainer, admin):
    """A cohort with a session on each day (through the services) and its members enrolled in bulk."""
    cohort = cohort_with_sessions(program, name, days, len(members), trainer, admin)
    # enroll() one by one costs five statements a person; these rows are what it would write.
    Enrollment.insert_many([{"beneficiary": b.id, "cohort": cohort.id, "requested_on": days[0], "enrolled_on": days[0],
                             "status": "enrolled", "status_on": days[0]} for b in members]).execute()
    EnrollmentChange.insert_many([{"enrollment": e.id, "to_status": "enrolled", "changed_on": days[0],
                                   "changed_by": admin.id} for e in cohort.enrollments]).execute()
    return cohort


def build(url, secret, args, rng):
    """Accounts, tokens, a program and the cohorts with their people and sessions; return the Cast."""
    # The cheapest password hashes: these accounts exist for the run only, and 26 costly hashes would
    # take longer than the rest of the build. One transaction: one commit instead of thousands.
    app = create_app({"SECRET_KEY": secret, "DATABASE_URL": url, "PASSWORD_HASH_PROFILE": "CHEAPEST",
                      "AUDIT_WITNESS_FILE": BENCH_WITNESS})
    cast = Cast()
    with app.app_context(), database.connection_context(), database.atomic():
        admin = create_user("load-admin", "Load test admin", "admin", PASSWORD)
        for n in range(1, args.officers + 1):
            officer = create_user(f"load-officer-{n}", f"Load test officer {n}", "officer", PASSWORD)
            cast.officers.append({"username": officer.username, "token": create_token(officer, "loadtest")[0]})
        program = save_program(None, {"name": "Load test sewing", "sector": "garment",
                                      "min_attendance": Decimal("0.8")}, admin)
        sizes = [rng.randint(*ROSTER) for _ in range(COHORTS)]
        generate(sum(sizes), People(rng), admin)
        people = list(Beneficiary.select().order_by(Beneficiary.id))
        days = past_weekdays(SESSIONS, date.today())
        for n, size in enumerate(sizes):
            trainer = create_user(f"load-trainer-{n + 1}", f"Load test trainer {n + 1}", "trainer", PASSWORD)
            members, people = people[:size], people[size:]
            cohort = make_cohort(program, f"Load cohort {n + 1}", days, members, trainer, admin)
            sessions = [s.id for s in cohort.sessions.order_by(TrainingSession.held_on)]
            cast.sessions.update({s: cohort.id for s in sessions})
            if n < args.trainers:  # every member is enrolled (the capacity is the roster's size)
                cast.trainers.append({"username": trainer.username, "token": create_token(trainer, "loadtest")[0],
                                      "sessions": sessions, "roster": [m.code for m in members]})
    return cast


# --- gunicorn ------------------------------------------------------------------------------------------------

def free_port():
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with N workers on a free port of 127.0.0.1, its logs in the run's folder."""

    def __init__(self, url, secret, workers, folder):
        self.port, self.count = free_port(), workers
        self.base = f"http://{HOST}:{self.port}"
        self.log_path, self.access_path = folder / "gunicorn.log", folder / "access.log"
        command = [tool("gunicorn"), "--workers", str(workers), "--bind", f"{HOST}:{self.port}",
                   "--access-logfile", str(self.access_path), "--access-logformat", ACCESS_LOG,
                   "--no-control-socket", "wsgi:app"]
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, cwd=ROOT, env=server_env(url, secret), stdout=self.log,
                                        stderr=subprocess.STDOUT)

    def wait_ready(self, seconds=60):
        """Wait until the sign-in page answers 200 and every worker is up."""
        deadline, probe = time.monotonic() + seconds, requests.Session()
        probe.trust_env = False  # no proxy from the environment
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}): see {self.log_path}")
            try:
                if probe.get(self.base + "/login", timeout=5).status_code == 200 and len(self.workers()) == self.count:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within {seconds} s: see {self.log_path}")

    def workers(self):
        """{pid: thread count} of the master's children (its workers)."""
        found = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = dict(line.split(":\t", 1) for line in (entry / "status").read_text().splitlines()
                              if ":\t" in line)
            except OSError:  # the process ended while we looked
                continue
            if int(status.get("PPid", "0")) == self.process.pid:
                found[int(entry.name)] = int(status["Threads"])
        return found

    def stop(self):
        """Stop gunicorn gracefully (SIGTERM), then for good if it lingers; return its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=45)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode


# --- HTTP, recorded ----------------------------------------------------------------------------------------

class OutOfRequests(Exception):
    """The run's request budget (--max-requests) is spent."""


@dataclass
class Call:
    """One request: its kind, status (None without an answer), error, latency and when it was sent."""

    kind: str
    status: int = None
    error: str = ""
    seconds: float = 0.0
    sent_at: float = 0.0
    replayed: bool = False  # the stored first answer to its Idempotency-Key


class Recorder:
    """Every request of the run, the budget they draw from, and the answers no one expected.

    The last RESERVE requests of the budget are kept for the work after the load (interrupted jobs).
    """

    RESERVE = 300

    def __init__(self, max_requests):
        self.lock = threading.Lock()
        self.left = max_requests
        self.reserve = min(self.RESERVE, max_requests // 10)
        self.calls = []
        self.unexpected = []  # evidence: method, path, status, body
        self.after_load = False

    def take(self):
        """Draw one request from the budget; raise OutOfRequests when it is spent."""
        with self.lock:
            if self.left <= (0 if self.after_load else self.reserve):
                raise OutOfRequests()
            self.left -= 1

    def add(self, call, evidence=None):
        """Keep a call, and its evidence when the answer was not the one expected."""
        with self.lock:
            self.calls.append(call)
            if evidence:
                self.unexpected.append(evidence)


class Client:
    """One simulated person's HTTP: a requests.Session to the server only, every call timed and recorded."""

    def __init__(self, base, recorder, timeout, who, token=None):
        self.base, self.recorder, self.timeout, self.who = base, recorder, timeout, who
        self.http = requests.Session()
        self.http.trust_env = False  # no proxy from the environment: requests go to 127.0.0.1 only
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    def call(self, kind, method, path, expect, **options):
        """The response to one request (any status), or None when none came; redirects are not followed."""
        self.recorder.take()
        call = Call(kind + (" (after)" if self.recorder.after_load else ""), sent_at=time.time())
        started = time.perf_counter()
        try:
            response = self.http.request(method, self.base + path, timeout=self.timeout, allow_redirects=False,
                                         **options)
        except requests.Timeout as error:
            response, call.error = None, "timeout: " + type(error).__name__
        except requests.RequestException as error:
            response, call.error = None, "no answer: " + type(error).__name__
        call.seconds = time.perf_counter() - started
        evidence = None
        if response is not None:
            call.status = response.status_code
            call.replayed = response.headers.get("Idempotent-Replayed") == "true"
            if response.status_code not in (expect if isinstance(expect, tuple) else (expect,)):
                evidence = {"who": self.who, "method": method, "path": path, "status": response.status_code,
                            "expected": expect, "at": _stamp(call.sent_at), "body": response.text[:1000]}
        self.recorder.add(call, evidence)
        return response

    def write(self, kind, method, path, expect, retries, **options):
        """An API write with a new Idempotency-Key; after no answer (or a 409: the first still running) it is
        sent again with the same key, up to `retries` times. Returns (the last response or None, retries made).

        A retry of a write that was done gets its first answer again (Idempotent-Replayed: true) and writes
        nothing more, so the client may retry without knowing whether the lost attempt committed.
        """
        headers = {"Idempotency-Key": uuid.uuid4().hex}
        response = self.call(kind, method, path, expect, headers=headers, **options)
        made = 0
        while made < retries and (response is None or response.status_code == 409):
            time.sleep(min(0.5 * 2 ** made, 4))
            made += 1
            response = self.call(kind + " retry", method, path, (expect, 409), headers=headers, **options)
        return response, made


def _stamp(seconds):
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%H:%M:%S.%f")[:-3]


# --- The simulated people ----------------------------------------------------------------------------------

class NameBook:
    """Given names drawn at random and never handed out twice in a run."""

    def __init__(self):
        self.lock = threading.Lock()
        self.given = set()

    def new(self, rng):
        """A new given name of nine random letters."""
        while True:
            name = "".join(rng.choice(string.ascii_lowercase) for _ in range(9)).capitalize()
            with self.lock:
                if name not in self.given:
                    self.given.add(name)
                    return name


@dataclass
class Save:
    """One attendance save: the session, the marks sent ({code: mark}), and whether a 200 acknowledged it."""

    session: int
    marks: dict
    sent_at: float
    answered_at: float
    acked: bool
    status: int = None
    retries: int = 0
    replayed: bool = False


def run_trainer(trainer, client, stop, rng, saves, retries):
    """Save random marks for the whole roster of a session of the trainer's own cohort, until stopped.

    A save without an answer is sent again with the same Idempotency-Key (up to `retries` times). One
    still without a 200 leaves its session's state unknown (committed or not), so the trainer never
    saves that session again: its last acknowledged save, or that one, must be what the database holds.
    """
    sessions = list(trainer["sessions"])
    while not stop.is_set() and sessions:
        session = rng.choice(sessions)
        marks = {code: rng.choice(MARKS) for code in trainer["roster"]}
        body = {"marks": [{"beneficiary": code, "status": mark} for code, mark in marks.items()]}
        sent = time.time()
        response, made = client.write("attendance PUT", "PUT", f"/api/v1/sessions/{session}/attendance", 200, retries,
                                      json=body)
        acked = response is not None and response.status_code == 200
        saves.append(Save(session, marks, sent, time.time(), acked, response.status_code if response else None,
                          made, acked and response.headers.get("Idempotent-Replayed") == "true"))
        if not acked:
            sessions.remove(session)


@dataclass
class Registration:
    """One participant sent through the API: the unique given name, and the code if a 201 acknowledged it."""

    officer: str
    given_name: str
    code: str = None
    acked: bool = False
    status: int = None
    answered_at: float = 0.0
    retries: int = 0
    replayed: bool = False


@dataclass
class ImportAttempt:
    """One sheet taken through the import pages, and what the officer saw of its job."""

    officer: str
    filename: str
    names: list
    job_id: int = None
    confirmed: bool = False
    seen: str = ""  # the last status the state URL answered
    imported: int = None  # from the job's page once done
    acked: bool = False
    retried: bool = False
    notes: list = field(default_factory=list)


class Officer:
    """A signed-in officer who registers participants through the API and imports sheets through the pages."""

    def __init__(self, account, base, recorder, args, rng, names):
        self.username = account["username"]
        self.api = Client(base, recorder, args.timeout, self.username, account["token"])
        self.web = Client(base, recorder, args.timeout, self.username)
        self.rng, self.names, self.job_wait, self.retries = rng, names, args.job_wait, args.retries
        self.people = People(rng)
        self.registrations, self.imports = [], []
        self.sheets = 0

    def person(self):
        """A new participant's values, with a unique given name and no Khmer spelling."""
        person = self.people.person()
        person.update(given_name=self.names.new(self.rng), given_name_km="", family_name_km="")
        return person

    def run(self, stop):
        """Sign in, then register participants and import a sheet in turn, until stopped."""
        if not self.sign_in():
            return
        while not stop.is_set():
            for _ in range(REGISTRATIONS_PER_TURN):
                if stop.is_set():
                    return
                self.register()
            if not stop.is_set():
                self.import_sheet()

    def csrf(self, kind, path, reloads=3):
        """The CSRF token of a page's form, or None; a page that got no answer is loaded again, as a user would."""
        response = self.web.call(kind, "GET", path, 200)
        while response is None and reloads > 0:  # a killed worker: without a form there is nothing to post
            time.sleep(1)
            reloads -= 1
            response = self.web.call(kind, "GET", path, 200)
        found = CSRF.search(response.text) if response is not None and response.status_code == 200 else None
        return found.group(1) if found else None

    def sign_in(self):
        """Sign in on /login with the token of its form; True when the app redirects to the home page."""
        token = self.csrf("login GET", "/login")
        response = self.web.call("login POST", "POST", "/login", 302,
                                 data={"csrf_token": token, "username": self.username, "password": PASSWORD})
        return response is not None and response.status_code == 302

    def register(self):
        """Register one participant, with allow_duplicate: a 201 acknowledges it with its code."""
        person = self.person()
        body = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in person.items() if v not in (None, "")}
        record = Registration(self.username, person["given_name"])
        self.registrations.append(record)
        response, record.retries = self.api.write("register POST", "POST", "/api/v1/beneficiaries", 201, self.retries,
                                                  json={**body, "allow_duplicate": True})
        record.answered_at = time.time()
        if response is not None:
            record.status = response.status_code
            if response.status_code == 201:
                record.code, record.acked = response.json()["code"], True
                record.replayed = response.headers.get("Idempotent-Replayed") == "true"

    def import_sheet(self):
        """Upload a sheet of new people, then follow its job as the page does."""
        self.sheets += 1
        people = [self.person() for _ in range(SHEET_ROWS)]
        attempt = ImportAttempt(self.username, f"{self.username}-sheet-{self.sheets}.xlsx",
                                [p["given_name"] for p in people])
        self.imports.append(attempt)
        token = self.csrf("import page GET", "/beneficiaries/import/")
        response = self.web.call("upload POST", "POST", "/beneficiaries/import/", 302, data={"csrf_token": token},
                                 files={"file": (attempt.filename, import_sheet(people), XLSX)})
        location = response.headers.get("Location", "") if response is not None else ""
        found = re.search(r"/beneficiaries/import/(\d+)$", location)
        if found is None:
            attempt.notes.append("the upload got no redirect to its job")
            return
        attempt.job_id = int(found.group(1))
        self.follow(attempt)

    def follow(self, attempt):
        """Wait for the check, confirm, wait for the import, then read the result on the job's page."""
        status = self.wait(attempt)
        if status == "checked":
            if not self.confirm(attempt):
                return
            status = self.wait(attempt)
        if status == "done":
            response = self.web.call("job page GET", "GET", f"/beneficiaries/import/{attempt.job_id}", 200)
            found = IMPORTED.search(response.text) if response is not None and response.status_code == 200 else None
            if found:
                attempt.imported, attempt.acked = int(found.group(1)), True

    def wait(self, attempt):
        """Poll the job's state URL as the page's script does (0.5 s, then every second); return the status."""
        path = f"/beneficiaries/import/{attempt.job_id}/state"
        deadline, pause = time.monotonic() + self.job_wait, 0.5
        while time.monotonic() < deadline:
            time.sleep(pause)
            pause = 1.0
            response = self.web.call("state GET", "GET", path, 200, headers={"Accept": "application/json"})
            if response is None or response.status_code != 200:
                pause = 5.0  # the page's script waits 5 s after a failed poll
                continue
            attempt.seen = response.json()["status"]
            if attempt.seen not in WORKING:
                return attempt.seen
        attempt.notes.append(f"still {attempt.seen or 'unknown'} after {self.job_wait:.0f} s of polling")
        return None

    def confirm(self, attempt):
        """Confirm the checked job (with the rows that look like duplicates: they are different people)."""
        path = f"/beneficiaries/import/{attempt.job_id}"
        token = self.csrf("job page GET", path)
        response = self.web.call("confirm POST", "POST", path + "/confirm", 302,
                                 data={"csrf_token": token, "include_duplicates": "y"})
        attempt.confirmed = True
        if response is None:
            attempt.notes.append("the confirmation got no answer")
        return response is not None and response.status_code == 302

    def retry(self, attempt):
        """Take up an interrupted job ("Take it up again"), then follow it to its end."""
        path = f"/beneficiaries/import/{attempt.job_id}"
        token = self.csrf("job page GET", path)
        response = self.web.call("retry POST", "POST", path + "/retry", 302, data={"csrf_token": token})
        attempt.retried = True
        if response is not None and response.status_code == 302:
            self.follow(attempt)


def actor(work, errors):
    """Run one simulated person; a spent budget ends it quietly, anything else is kept as an error."""
    def run():
        try:
            work()
        except OutOfRequests:
            pass
        except Exception as error:  # a crash of the load test itself must show in the summary
            errors.append(f"{threading.current_thread().name}: {type(error).__name__}: {error}")
    return run


# --- Killing a worker -------------------------------------------------------------------------------------

@dataclass
class Kill:
    """The worker killed, when, what it was doing, and the workers before and after."""

    pid: int = None
    at: float = 0.0
    reason: str = ""
    importing: list = field(default_factory=list)  # jobs importing at that moment
    workers_before: dict = field(default_factory=dict)
    workers_after: dict = field(default_factory=dict)


def jobs_by_status(conn):
    """{status: [job id]} of the jobs that are working now."""
    found = defaultdict(list)
    for status, job_id in fetch(conn, "SELECT status, id FROM import_job "
                                      "WHERE status IN ('queued', 'checking', 'importing')"):
        found[status].append(job_id)
    return found


class AccessLog:
    """The confirmations gunicorn's access log shows, with the worker that answered each, as lines arrive."""

    def __init__(self, path):
        self.file = open(path)
        self.partial = ""

    def confirmations(self):
        """[(worker pid, job id)] of the confirmations logged since the last call."""
        text = self.partial + self.file.read()
        lines = text.split("\n")
        self.partial = lines.pop()  # a line gunicorn has not finished writing
        return [(int(m.group(1)), int(m.group(2))) for m in map(CONFIRMED.search, lines) if m]


def worker_backends(conn, pid):
    """(state, has written, query) of a worker's PostgreSQL connections, from pg_stat_activity ([] on SQLite).

    A connection is the worker's when its client port is the local port of one of the worker's sockets.
    """
    if not isinstance(conn, psycopg2.extensions.connection):
        return []
    try:
        inodes = {os.readlink(fd)[8:-1] for fd in Path(f"/proc/{pid}/fd").iterdir()
                  if os.readlink(fd).startswith("socket:[")}
        rows = [line.split() for name in ("tcp", "tcp6")
                for line in Path(f"/proc/{pid}/net/{name}").read_text().splitlines()[1:]]
    except OSError:  # the worker is gone
        return []
    ports = [int(cols[1].rsplit(":", 1)[1], 16) for cols in rows if cols[9] in inodes]
    return fetch(conn, "SELECT state, backend_xid IS NOT NULL, left(query, 80) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND client_port IN %s", ports)


def in_import_transaction(backends, rows_written):
    """Whether a connection is inside a transaction that has written (with rows_written: participants or events).

    The import's transaction first reserves the codes (UPDATE counter), then inserts the participants and
    their audit events, then marks the job done.
    """
    tables = ('"beneficiary"', '"audit_event"', '"import_job"') if rows_written else ('"',)
    return any(wrote and "attendance" not in query and any(t in query for t in tables)
               for _state, wrote, query in backends)


def kill_worker(server, url, start_at, search_seconds, stop, kill):
    """At start_at, SIGKILL the worker that runs an import, or after search_seconds a worker picked at random.

    The import runs in a thread of the worker that answered the job's confirmation, and the access log
    names that worker. For the first half of the window, the kill waits until that worker's connection
    is inside the import's transaction with participants written (the strongest test of all-or-nothing),
    then until it is inside the transaction at all, and in the last fifth any moment of the import will do.
    SQLite shows no connections: there, any moment of the import will do.
    """
    while time.time() < start_at:
        if stop.wait(0.2):
            return
    conn = connect(url)
    log, candidates = AccessLog(server.access_path), {}
    started = time.monotonic()
    while time.monotonic() - started < search_seconds and not stop.is_set() and kill.pid is None:
        candidates.update((job, pid) for pid, job in log.confirmations())
        importing, workers = jobs_by_status(conn).get("importing", []), server.workers()
        waited = (time.monotonic() - started) / search_seconds
        for job, pid in list(candidates.items()):
            if job not in importing or pid not in workers:
                del candidates[job]
                continue
            backends = worker_backends(conn, pid)
            if waited > 0.8 or is_sqlite(url) or in_import_transaction(backends, rows_written=waited < 0.5):
                os.kill(pid, signal.SIGKILL)
                kill.pid, kill.at, kill.importing, kill.workers_before = pid, time.time(), sorted(importing), workers
                kill.reason = (f"it answered the confirmation of job {job}, still importing, and had "
                               f"{workers[pid]} threads; its connections: {backends}")
                break
        time.sleep(0.01)
    if kill.pid is None and not stop.is_set():
        kill.workers_before = server.workers()
        kill.pid, kill.reason = random.choice(sorted(kill.workers_before)), "no import caught: a worker at random"
        kill.importing = sorted(jobs_by_status(conn).get("importing", []))
        os.kill(kill.pid, signal.SIGKILL)
        kill.at = time.time()
    conn.close()
    if kill.pid is not None:
        time.sleep(3)
        kill.workers_after = server.workers()


def in_api_write(backends):
    """Whether a connection is inside a transaction that has written for an API write (attendance, registration)."""
    return any(wrote and any(t in query for t in ('"attendance"', '"beneficiary"', '"idempotency_key"',
                                                    '"audit_event"', '"counter"'))
               for _state, wrote, query in backends)


def kill_in_write(server, url, start_at, search_seconds, stop, kill):
    """At start_at, SIGKILL a worker inside an API write's transaction (PostgreSQL shows it), else one at random.

    Its client gets no answer and sends the write again with the same Idempotency-Key.
    """
    while time.time() < start_at:
        if stop.wait(0.2):
            return
    conn = connect(url)
    started = time.monotonic()
    while not is_sqlite(url) and time.monotonic() - started < search_seconds and not stop.is_set():
        workers = server.workers()
        found = next(((pid, backends) for pid in workers
                      for backends in [worker_backends(conn, pid)] if in_api_write(backends)), None)
        if found:
            os.kill(found[0], signal.SIGKILL)
            kill.pid, kill.at, kill.workers_before = found[0], time.time(), workers
            kill.reason = f"inside an API write's transaction; its connections: {found[1]}"
            break
        time.sleep(0.01)
    if kill.pid is None and not stop.is_set():
        kill.workers_before = server.workers()
        kill.pid = random.choice(sorted(kill.workers_before))
        kill.reason = "a worker at random (SQLite shows no transactions)" if is_sqlite(url) else \
            "no API write caught: a worker at random"
        os.kill(kill.pid, signal.SIGKILL)
        kill.at = time.time()
    kill.importing = sorted(jobs_by_status(conn).get("importing", []))
    conn.close()
    if kill.pid is not None:
        time.sleep(3)
        kill.workers_after = server.workers()


def killer(server, url, run_started, args, stop, kills):
    """SIGKILL --kills workers in the second half of the run, each in its own window: the first one while it
    runs an import, the others inside an API write. Each Kill is appended to `kills`."""
    window = args.duration * 0.4 / args.kills
    for n in range(args.kills):
        if stop.is_set():
            return
        kill = Kill()
        kills.append(kill)
        start_at = run_started + args.duration / 2 + n * window
        (kill_worker if n == 0 else kill_in_write)(server, url, start_at, window * 0.8, stop, kill)


# --- The run ------------------------------------------------------------------------------------------------

@dataclass
class Run:
    """Everything the simulated people did and saw."""

    recorder: Recorder
    saves: list
    officers: list
    kills: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    started: float = 0.0
    ended: float = 0.0


def load(server, cast, args, url):
    """Run the trainers and officers for --duration seconds (and the killer with --kills)."""
    recorder, saves, stop, names = Recorder(args.max_requests), [], threading.Event(), NameBook()
    run = Run(recorder, saves, [])
    threads = []
    for n, trainer in enumerate(cast.trainers[:args.trainers]):
        client = Client(server.base, recorder, args.timeout, trainer["username"], trainer["token"])
        work = lambda t=trainer, c=client, r=random.Random(args.seed * 1000 + n): run_trainer(t, c, stop, r, saves,
                                                                                             args.retries)
        threads.append(threading.Thread(target=actor(work, run.errors), name=trainer["username"]))
    for n, account in enumerate(cast.officers):
        officer = Officer(account, server.base, recorder, args, random.Random(args.seed * 1000 + 500 + n), names)
        run.officers.append(officer)
        threads.append(threading.Thread(target=actor(lambda o=officer: o.run(stop), run.errors),
                                        name=officer.username))
    run.started = time.time()
    if args.kills:
        threads.append(threading.Thread(target=killer, name="killer", args=(
            server, url, run.started, args, stop, run.kills)))
    for thread in threads:
        thread.start()
    stop.wait(args.duration)
    stop.set()
    for thread in threads:
        thread.join()
    run.ended = time.time()
    return run


def unfinished(run, conn):
    """Import attempts with a job whose end the officer did not see (found by file name if the upload had no answer)."""
    attempts = [a for o in run.officers for a in o.imports if not a.acked]
    ids = dict(fetch(conn, "SELECT filename, id FROM import_job WHERE filename IN %s", [a.filename for a in attempts]))
    for attempt in attempts:
        attempt.job_id = attempt.job_id or ids.get(attempt.filename)
    return [a for a in attempts if a.job_id]


def officer_of(run, attempt):
    """The officer who uploaded a sheet."""
    return next(o for o in run.officers if o.username == attempt.officer)


def job_rows(conn, ids):
    """{job id: (status, heartbeat_at, imported_rows)} of jobs."""
    rows = fetch(conn, "SELECT id, status, heartbeat_at, imported_rows FROM import_job WHERE id IN %s", list(ids))
    return {row[0]: row[1:] for row in rows}


def names_found(conn, names):
    """{given name: number of participants with it}."""
    return dict(fetch(conn, "SELECT given_name, count(*) FROM beneficiary WHERE given_name IN %s GROUP BY given_name",
                      list(names)))


def recover_interrupted(run, url, stale_wait):
    """After a kill, take up each job whose end its officer did not see, as the officer would on its page.

    A job left working must come to show as interrupted, with no rows written; it is then taken up again
    ("retry") and imported. A job still checked (its confirmation got no answer) is confirmed again.
    Returns {job id: what was seen}, for the summary.
    """
    conn = connect(url)
    seen = {}
    run.recorder.after_load = True
    for attempt in unfinished(run, conn):
        status, heartbeat, _imported = job_rows(conn, [attempt.job_id])[attempt.job_id]
        officer = officer_of(run, attempt)
        note = {"db status": status, "heartbeat": str(heartbeat)[:19]}
        if status == "checked":
            note["rows left"] = sum(names_found(conn, attempt.names).values())
            officer.follow(attempt)
            note["confirmed again"] = f"{attempt.seen}, {attempt.imported} imported" if attempt.acked else attempt.seen
        elif status in WORKING:
            note.update(await_interrupted(officer, attempt, conn, stale_wait))
            if note["state URL"].startswith("interrupted"):
                officer.retry(attempt)
                note["after retry"] = f"{attempt.seen}, {attempt.imported} imported" if attempt.acked else attempt.seen
        else:
            continue
        seen[attempt.job_id] = note
    conn.close()
    return seen


def await_interrupted(officer, attempt, conn, stale_wait):
    """Poll a stuck job's state URL until it is no longer working; say how it and the database look then."""
    deadline = time.monotonic() + stale_wait
    shown, waited = None, time.monotonic()
    while time.monotonic() < deadline:
        response = officer.web.call("state GET", "GET", f"/beneficiaries/import/{attempt.job_id}/state", 200)
        shown = response.json()["status"] if response is not None and response.status_code == 200 else None
        if shown not in WORKING:
            break
        time.sleep(5)
    index = officer.web.call("import page GET", "GET", "/beneficiaries/import/", 200)
    listed = re.search(re.escape(attempt.filename) + r"</a>\s*<span[^>]*>[^<]*·\s*([^<]+)</span>", index.text) \
        if index is not None else None
    return {"state URL": f"{shown} after {time.monotonic() - waited:.0f} s",
            "db status then": job_rows(conn, [attempt.job_id])[attempt.job_id][0],
            "rows left": sum(names_found(conn, attempt.names).values()),
            "recent imports list says": listed.group(1).strip() if listed else "?"}


def settle(run, url, seconds=60):
    """Wait until no job is working (normal runs: a job left working would be stuck); return those still working."""
    conn = connect(url)
    deadline = time.monotonic() + seconds
    while True:
        working = jobs_by_status(conn)
        if not working or time.monotonic() > deadline:
            break
        time.sleep(1)
    conn.close()
    return dict(working)


# --- The checks ------------------------------------------------------------------------------------------

def check_registrations(conn, run):
    """Acknowledged registrations: found once by code and by name; unacknowledged ones: at most once."""
    records = [r for o in run.officers for r in o.registrations]
    counts = names_found(conn, [r.given_name for r in records])
    by_code = dict(fetch(conn, "SELECT code, given_name FROM beneficiary WHERE code IN %s",
                         [r.code for r in records if r.code]))
    acked = [r for r in records if r.acked]
    return {
        "acknowledged": len(acked),
        "found once": sum(1 for r in acked if counts.get(r.given_name) == 1 and by_code.get(r.code) == r.given_name),
        "missing": [r.given_name for r in acked if counts.get(r.given_name, 0) == 0 or r.code not in by_code],
        "duplicated": [r.given_name for r in records if counts.get(r.given_name, 0) > 1],
        "code mismatch": [r.code for r in acked if r.code in by_code and by_code[r.code] != r.given_name],
        "unacknowledged": len(records) - len(acked),
        "unacknowledged found": sum(1 for r in records if not r.acked and counts.get(r.given_name)),
        "retried": sum(1 for r in records if r.retries), "replayed": sum(1 for r in records if r.replayed),
    }


def check_imports(conn, run):
    """Acknowledged imports: all their rows once; every job: all of its rows or none, and done only with all."""
    attempts = [a for o in run.officers for a in o.imports]
    jobs = {row[0]: row[1:] for row in fetch(conn, "SELECT filename, id, status, imported_rows FROM import_job")}
    counts = names_found(conn, [n for a in attempts for n in a.names])
    result = {"acknowledged": 0, "rows acknowledged": 0, "rows found once": 0, "missing": [], "duplicated": [],
              "partial": [], "done without rows": [], "rows without done": [], "jobs": len(jobs), "statuses": Counter()}
    for attempt in attempts:
        found = [counts.get(n, 0) for n in attempt.names]
        present = sum(1 for c in found if c)
        job_id, status, imported = jobs.get(attempt.filename, (None, "no job", None))
        result["statuses"][status] += 1
        result["duplicated"] += [f"job {job_id}: {n}" for n, c in zip(attempt.names, found) if c > 1]
        if 0 < present < len(attempt.names):
            result["partial"].append(f"job {job_id} ({status}): {present} of {len(attempt.names)} rows")
        if status == "done" and (present < len(attempt.names) or imported != len(attempt.names)):
            result["done without rows"].append(f"job {job_id}: {present} rows found, {imported} said imported")
        if status != "done" and present:
            result["rows without done"].append(f"job {job_id} ({status}): {present} rows found")
        if attempt.acked:
            result["acknowledged"] += 1
            result["rows acknowledged"] += attempt.imported
            result["rows found once"] += sum(1 for c in found if c == 1) if attempt.imported == len(found) else 0
            if attempt.imported != len(found) or present < len(found):
                result["missing"].append(f"job {job_id}: page said {attempt.imported}, {present} of {len(found)} found")
    return result


def final_marks(conn):
    """{session id: {code: mark}} as stored, and the (session, enrollment) pairs with more than one mark."""
    marks = defaultdict(dict)
    for session, code, status in fetch(conn, "SELECT a.session_id, b.code, a.status FROM attendance a "
                                             "JOIN enrollment e ON e.id = a.enrollment_id "
                                             "JOIN beneficiary b ON b.id = e.beneficiary_id"):
        marks[session][code] = status
    doubled = fetch(conn, "SELECT session_id, enrollment_id, count(*) FROM attendance "
                          "GROUP BY session_id, enrollment_id HAVING count(*) > 1")
    return marks, doubled


def check_attendance(conn, run, cast):
    """Each saved session holds its last acknowledged save, or an unanswered save sent after it.

    A trainer never saves a session again after a save without an answer, so what the session holds is
    well defined: the last acknowledged save, or (if it committed before its answer was lost) the
    unanswered one. Sessions nobody saved hold no marks.
    """
    marks, doubled = final_marks(conn)
    by_session = defaultdict(list)
    for save in sorted(run.saves, key=lambda s: s.sent_at):
        by_session[save.session].append(save)
    result = {"saves acknowledged": sum(s.acked for s in run.saves),
              "saves unacknowledged": sum(not s.acked for s in run.saves), "unanswered saves committed": 0,
              "saves retried": sum(1 for s in run.saves if s.retries),
              "saves replayed": sum(1 for s in run.saves if s.replayed),
              "sessions acknowledged": 0, "sessions as last acknowledged": 0, "mismatched": [],
              "marks stored": sum(map(len, marks.values())), "marks doubled": doubled,
              "marks on sessions never saved": sum(len(marks.get(s, {})) for s in cast.sessions if s not in by_session)}
    for session, saves in by_session.items():
        stored, acked = marks.get(session, {}), [s for s in saves if s.acked]
        last = acked[-1] if acked else None
        expected = last.marks if last else {}
        later = [s for s in saves if not s.acked and (last is None or s.sent_at > last.sent_at)]
        result["sessions acknowledged"] += bool(last)
        if stored == expected:
            result["sessions as last acknowledged"] += bool(last)
        elif any(stored == s.marks for s in later):
            result["unanswered saves committed"] += 1
        else:
            differ = sum(1 for code in set(stored) | set(expected) if stored.get(code) != expected.get(code))
            result["mismatched"].append(f"session {session}: {differ} marks differ from the last acknowledged save "
                                        f"(answered {_stamp(last.answered_at) if last else '-'})")
    return result


def check(url, run, cast):
    """Every check against the database once gunicorn has stopped."""
    conn = connect(url)
    try:
        return {"registrations": check_registrations(conn, run), "imports": check_imports(conn, run),
                "attendance": check_attendance(conn, run, cast)}
    finally:
        conn.close()


# --- The summary ---------------------------------------------------------------------------------------

def by_kind(calls):
    """Rows of the requests table: kind, counts by class of status, no answers, latency p50 and p95."""
    kinds = defaultdict(list)
    for call in calls:
        kinds[call.kind].append(call)
    kinds["all"] = list(calls)
    rows = []
    for kind, group in kinds.items():
        classes = Counter(f"{c.status // 100}xx" if c.status else "none" for c in group)
        answered = [c.seconds * 1000 for c in group if c.status] or [0]
        rows.append((kind, len(group), classes["2xx"], classes["3xx"], classes["4xx"], classes["5xx"],
                     sum(1 for c in group if c.error.startswith("no answer")),
                     sum(1 for c in group if c.error.startswith("timeout")),
                     percentile(answered, 0.5), percentile(answered, 0.95)))
    return rows


def lost_and_doubled(reg, imp, att):
    """(writes lost, writes doubled): what the clients believe they wrote, compared with the database.

    Lost: an acknowledged registration or imported row not found (or under another code), a session not
    holding its last acknowledged save. Doubled: a name registered or imported more than once, a person
    marked twice for a session.
    """
    lost = (len(reg["missing"]) + len(reg["code mismatch"]) + imp["rows acknowledged"] - imp["rows found once"]
            + len(att["mismatched"]))
    doubled = len(reg["duplicated"]) + len(imp["duplicated"]) + len(att["marks doubled"])
    return lost, doubled


def verdict(results, run, args, stuck, interrupted):
    """The reasons to FAIL (an empty list is a PASS)."""
    reg, imp, att = results["registrations"], results["imports"], results["attendance"]
    calls = run.recorder.calls
    fivexx = sum(1 for c in calls if c.status and c.status >= 500)
    no_answer = sum(1 for c in calls if c.status is None)
    lost, doubled = lost_and_doubled(reg, imp, att)
    checks = [
        (fivexx, f"{fivexx} answers were 5xx"),
        (lost or doubled, f"writes lost {lost}, doubled {doubled}"),
        (reg["missing"] or reg["code mismatch"], "acknowledged registrations missing or under another code"),
        (reg["duplicated"], f"{len(reg['duplicated'])} names registered more than once"),
        (imp["missing"], "acknowledged imports with rows missing"),
        (imp["duplicated"], f"{len(imp['duplicated'])} imported names found more than once"),
        (imp["partial"] or imp["done without rows"] or imp["rows without done"], "import jobs not all-or-nothing"),
        (att["mismatched"], f"{len(att['mismatched'])} sessions do not hold their last acknowledged save"),
        (att["marks doubled"], "a person has two marks for one session"),
        (att["marks on sessions never saved"], "marks on sessions nobody saved"),
        (stuck, f"import jobs still working at the end: {stuck}"),
        (run.errors, f"the load test itself failed: {run.errors}"),
        (reg["acknowledged"] == 0 and args.officers, "no registration was acknowledged"),
        (att["saves acknowledged"] == 0, "no attendance save was acknowledged"),
    ]
    if args.kill_worker:
        checks += [(len([k for k in run.kills if k.pid]) != args.kills,
                    f"{len([k for k in run.kills if k.pid])} workers killed of {args.kills}"),
                   (any(len(k.workers_after) != args.workers for k in run.kills if k.pid),
                    "gunicorn did not replace a killed worker"),
                   (any(n["rows left"] for n in interrupted.values()), "an interrupted import left rows behind"),
                   (any(not n.get("state URL", "interrupted").startswith("interrupted") for n in interrupted.values()),
                    "a stuck job was never shown as interrupted"),
                   (any(not (n.get("after retry") or n.get("confirmed again") or "").startswith("done")
                        for n in interrupted.values()), "a job the kill interrupted could not be imported afterwards")]
    else:
        checks.append((no_answer, f"{no_answer} requests got no answer"))
    checks.append((run.recorder.unexpected, f"{len(run.recorder.unexpected)} answers were not the expected status"))
    return [message for failed, message in checks if failed]


def print_summary(results, run, args, stuck, interrupted, folder, load_average):
    """The summary table, the kill and the evidence, and PASS or FAIL."""
    reg, imp, att = results["registrations"], results["imports"], results["attendance"]
    print(f"\nLoad test: {args.trainers} trainers, {args.officers} officers, {args.workers} gunicorn workers, "
          f"{run.ended - run.started:.1f} s, {args.kills} workers killed, seed {args.seed}; "
          f"load average {load_average:.2f} at the start, {os.cpu_count()} CPUs; {database_name(args.database_url)}")
    print_requests(run.recorder.calls)
    print_writes(reg, imp, att)
    calls = run.recorder.calls
    lost, doubled = lost_and_doubled(reg, imp, att)
    print(f"5xx answers {sum(1 for c in calls if c.status and c.status >= 500)}; requests with no answer "
          f"{sum(1 for c in calls if c.status is None)}; unexpected statuses {len(run.recorder.unexpected)}")
    print(f"writes lost {lost}, doubled {doubled}; API writes retried with the same Idempotency-Key: registrations "
          f"{reg['retried']}, attendance saves {att['saves retried']}; answered by a replay: registrations "
          f"{reg['replayed']}, attendance saves {att['saves replayed']}; replayed answers "
          f"{sum(1 for c in calls if c.replayed)}")
    spent = " (spent: the load stopped early)" if run.recorder.left <= run.recorder.reserve else ""
    print(f"requests sent {len(calls)} of at most {args.max_requests}{spent}")
    if args.kill_worker:
        print_kills(run.kills, interrupted)
    print_evidence(run, reg, imp, att, folder)
    problems = verdict(results, run, args, stuck, interrupted)
    print("\nFAIL:\n  " + "\n  ".join(problems) if problems else "\nPASS")
    return not problems


def print_requests(calls):
    """The table of requests by kind."""
    print(f"\n{'requests by kind':<22} {'sent':>6} {'2xx':>6} {'3xx':>5} {'4xx':>5} {'5xx':>5} {'no ans':>6} "
          f"{'t/out':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for row in sorted(by_kind(calls), key=lambda r: (r[0] == "all", r[0])):
        print(f"{row[0]:<22} {row[1]:>6} {row[2]:>6} {row[3]:>5} {row[4]:>5} {row[5]:>5} {row[6]:>6} {row[7]:>5} "
              f"{row[8]:>8.0f} {row[9]:>8.0f}")


def print_writes(reg, imp, att):
    """The table of acknowledged writes and what the database holds of them."""
    print("\nwrites                                       acknowledged   found once   missing   duplicated")
    print(f"{'registrations (API)':<44} {reg['acknowledged']:>13} {reg['found once']:>12} {len(reg['missing']):>9} "
          f"{len(reg['duplicated']):>12}")
    print(f"{'imported rows (' + str(imp['acknowledged']) + ' jobs seen done)':<44} {imp['rows acknowledged']:>13} "
          f"{imp['rows found once']:>12} {len(imp['missing']):>9} {len(imp['duplicated']):>12}")
    print(f"{'attendance sessions (last acknowledged save)':<44} {att['sessions acknowledged']:>13} "
          f"{att['sessions as last acknowledged']:>12} {len(att['mismatched']):>9} {len(att['marks doubled']):>12}")
    print(f"\nattendance saves acknowledged {att['saves acknowledged']}, unacknowledged {att['saves unacknowledged']} "
          f"(of which committed before the answer was lost: {att['unanswered saves committed']}); "
          f"marks stored {att['marks stored']}, people marked twice for a session {len(att['marks doubled'])}")
    print(f"registrations unacknowledged {reg['unacknowledged']} (of which found in the database: "
          f"{reg['unacknowledged found']}, each once)")
    print(f"import jobs {imp['jobs']}: {dict(imp['statuses'])}; not all-or-nothing: "
          f"{len(imp['partial']) + len(imp['done without rows']) + len(imp['rows without done'])}")


def print_evidence(run, reg, imp, att, folder):
    """The answers no one expected, the writes that failed a check, and gunicorn's errors."""
    for item in run.recorder.unexpected[:10]:
        print(f"  unexpected: {item['who']} {item['method']} {item['path']} -> {item['status']} at {item['at']}: "
              f"{item['body'][:300]!r}")
    for key in ("missing", "duplicated", "partial", "done without rows", "rows without done"):
        for line in (reg.get(key) or [])[:5] + (imp.get(key) or [])[:5]:
            print(f"  {key}: {line}")
    for line in att["mismatched"][:10]:
        print(f"  attendance: {line}")
    errors = [line for line in (folder / "gunicorn.log").read_text().splitlines()
              if "[ERROR]" in line or "[CRITICAL]" in line or "Traceback" in line]
    print(f"\ngunicorn log: {len(errors)} lines of errors")
    for line in errors[:10]:
        print(f"  {line}")
    print(f"records and logs: {folder}")


def print_kills(kills, interrupted):
    """What each kill hit and how the interrupted jobs looked."""
    for kill in kills:
        if kill.pid is None:
            print("\na kill did not happen (the load ended first)")
            continue
        print(f"\nkilled worker {kill.pid} at {_stamp(kill.at)} (UTC): {kill.reason}")
        print(f"  workers before {sorted(kill.workers_before)}, 3 s after {sorted(kill.workers_after)}")
    if not interrupted:
        print("  no job was left working by the kill")
    for job_id, note in interrupted.items():
        print(f"  job {job_id}: " + "; ".join(f"{k}: {v}" for k, v in note.items()))


def save_records(folder, run, results, interrupted):
    """Keep every call, save, registration and import of the run as JSON, for evidence."""
    data = {"calls": [asdict(c) for c in run.recorder.calls], "unexpected": run.recorder.unexpected,
            "saves": [asdict(s) for s in run.saves], "kills": [asdict(k) for k in run.kills],
            "registrations": [asdict(r) for o in run.officers for r in o.registrations],
            "imports": [asdict(a) for o in run.officers for a in o.imports], "interrupted": interrupted,
            "results": results, "errors": run.errors}
    (folder / "records.json").write_text(json.dumps(data, default=str, indent=1))


def main(argv=None):
    """Build, load, check, report; exit 1 on FAIL."""
    args = parse_args(argv)
    url, secret, rng = args.database_url, os.urandom(24).hex(), random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="loadtest-", dir="/tmp"))
    load_average = os.getloadavg()[0]  # others' work on the machine slows every figure
    recreate_database(url)
    try:
        print(f"Database {database_name(url)}: migrating and building the data…", file=sys.stderr)
        started = time.perf_counter()
        init_db(url, secret)
        cast = build(url, secret, args, rng)
        print(f"Built in {time.perf_counter() - started:.1f} s; starting gunicorn…", file=sys.stderr)
        server = Server(url, secret, args.workers, folder)
        try:
            server.wait_ready()
            print(f"gunicorn answers on {server.base}; {args.duration:.0f} s of load…", file=sys.stderr)
            run = load(server, cast, args, url)
            interrupted = {}
            if args.kill_worker:
                print("Waiting for interrupted jobs to show as such…", file=sys.stderr)
                interrupted = recover_interrupted(run, url, STALE_AFTER.total_seconds() + 60)
            stuck = settle(run, url)
        finally:
            server.stop()
        results = check(url, run, cast)
        save_records(folder, run, results, interrupted)
        passed = print_summary(results, run, args, stuck, interrupted, folder, load_average)
    finally:
        if not args.keep:
            drop_database(url)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
