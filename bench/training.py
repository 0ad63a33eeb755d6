"""Benchmark training attendance: saving a whole session, and the cohort grid and page at full size.

It builds a cohort of N participants with S sessions on past weekdays, every mark filled, beside
background data (other participants, and other cohorts with their attendance), then times, over
--repeat runs each: saving the marks of one session through the service and through HTTP, and
rendering the cohort grid and the cohort page. It also counts the SQL statements of each request,
for a cohort of 10 and one of N, to show they do not grow with the number of people. It prints a
Markdown table for docs/performance.md. Run from the repository root:

    python -m bench.training [--people 40] [--sessions 60] [--repeat 200]
        [--database-url URL] [--seed 1]

Without --database-url it uses a new SQLite file in a temporary folder. A PostgreSQL URL is
WIPED first (DROP SCHEMA public CASCADE): never point it at a database you want to keep.
"""
import argparse
import os
import platform
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

from registry import create_app
from registry.beneficiaries.models import Beneficiary
from registry.db import database, migrate
from registry.programs.attendance import record_attendance
from registry.programs.enrollment import enroll
from registry.programs.models import MARKS, Attendance, Cohort, Enrollment, TrainingSession
from registry.programs.services import add_session, save_cohort, save_program
from registry.synthetic.people import People
from registry.users.services import create_user

from bench.databases import BENCH_WITNESS
from bench.participants import bench_database, database_kind, database_options, generate, percentile

PASSWORD = "bench-password-1"
PROVINCE = "02"
SMALL = 10  # the people of the second cohort, for the query counts
BACKGROUND_PEOPLE, BACKGROUND_COHORTS, BACKGROUND_SIZE, BACKGROUND_SESSIONS = 2000, 20, 25, 30
# Most people come; the rest spread over the other marks, as on a real register.
FILL_WEIGHTS = (80, 8, 5, 7)


def parse_args(argv=None):
    """The command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=40, help="participants of the measured cohort (default 40)")
    parser.add_argument("--sessions", type=int, default=60, help="sessions of the measured cohort (default 60)")
    parser.add_argument("--repeat", type=int, default=200, help="timed runs of each measure (default 200)")
    database_options(parser)
    args = parser.parse_args(argv)
    if min(args.people, args.sessions, args.repeat) < 1:
        parser.error("every count must be at least 1.")
    return args


def bench_config(url):
    """The app configuration of the benchmark; errors raise with their traceback instead of a 500 page."""
    return {"TESTING": False, "SECRET_KEY": "bench", "DATABASE_URL": url, "PASSWORD_HASH_PROFILE": "CHEAPEST",
            "AUDIT_WITNESS_FILE": BENCH_WITNESS,
            "WTF_CSRF_ENABLED": False, "PROPAGATE_EXCEPTIONS": True}


class QueryCounter:
    """Count the SQL statements sent through the database's execute_sql while the block runs."""

    def __enter__(self):
        self.count = 0
        original = database.obj.execute_sql

        def counting(*args, **kwargs):
            self.count += 1
            return original(*args, **kwargs)

        database.obj.execute_sql = counting  # an instance attribute: peewee calls self.execute_sql
        return self

    def __exit__(self, *exc):
        del database.obj.execute_sql


def past_weekdays(count, before):
    """The last count weekdays (Monday to Friday) before a day, oldest first."""
    days, day = [], before
    while len(days) < count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days[::-1]


def new_participants(count, people, user):
    """Insert count participants with insert_many; return their records."""
    generate(count, people, user)
    return list(Beneficiary.select().order_by(Beneficiary.id.desc()).limit(count))


def cohort_with_sessions(program, name, days, capacity, trainer, admin):
    """A cohort in PROVINCE with its trainer and a 3-hour session on each day, through the services."""
    values = {"program": program, "name": name, "venue": "Centre", "province": PROVINCE, "start_on": days[0],
              "end_on": days[-1], "capacity": capacity}
    cohort = save_cohort(None, values, [trainer.id], admin)
    for day in days:
        add_session(cohort, day, Decimal("3"), admin)
    return cohort


def make_cohort(program, name, days, members, trainer, admin):
    """A cohort with a session on each day and the members enrolled from its first day."""
    cohort = cohort_with_sessions(program, name, days, len(members), trainer, admin)
    for beneficiary in members:
        enroll(cohort, beneficiary, days[0], admin)
    return cohort


def fill_marks(cohort, user, rng):
    """Mark every person at every session of a cohort."""
    ids = [e.id for e in cohort.enrollments]
    for session in cohort.sessions:
        marks = dict(zip(ids, rng.choices(MARKS, FILL_WEIGHTS, k=len(ids))))
        record_attendance(session, marks, user)


def build(args, rng):
    """Accounts, background data, and the measured cohort and the small one, every mark filled; return them."""
    people = People(rng)
    admin = create_user("admin", "Benchmark admin", "admin", PASSWORD)
    trainer = create_user("trainer", "Benchmark trainer", "trainer", PASSWORD)
    program = save_program(None, {"name": "Sewing", "sector": "garment", "min_attendance": Decimal("0.8")}, admin)
    pool = new_participants(BACKGROUND_PEOPLE, people, admin)
    today = date.today()
    for n in range(BACKGROUND_COHORTS):
        days = past_weekdays(BACKGROUND_SESSIONS, today - timedelta(weeks=n))
        other = make_cohort(program, f"Background {n + 1}", days, rng.sample(pool, BACKGROUND_SIZE), trainer, admin)
        fill_marks(other, admin, rng)
    days = past_weekdays(args.sessions, today)
    cohorts = {}
    for size in sorted({SMALL, args.people}):
        cohorts[size] = make_cohort(program, f"Measured {size}", days, new_participants(size, people, admin),
                                    trainer, admin)
        fill_marks(cohorts[size], admin, rng)
    return {"admin": admin, "trainer": trainer, "cohorts": cohorts}


def last_session(cohort):
    """The latest session of a cohort (the one saved over and over)."""
    return cohort.sessions.order_by(TrainingSession.held_on.desc()).get()


def rotated_marks(ids, turn):
    """Marks for every enrollment, shifted by one each turn: every run changes every mark."""
    return {eid: MARKS[(turn + n) % len(MARKS)] for n, eid in enumerate(ids)}


def summary(timings):
    """p50, p95 and max of timings in ms."""
    return {"p50": percentile(timings, 0.5), "p95": percentile(timings, 0.95), "max": max(timings),
            "runs": len(timings)}


def timed(action, repeat):
    """Run action(turn) once to warm up, then repeat times; return the summary of the timed runs."""
    action(0)
    timings = []
    for turn in range(1, repeat + 1):
        started = time.perf_counter()
        action(turn)
        timings.append((time.perf_counter() - started) * 1000)
    return summary(timings)


def service_save(cohort, user, repeat):
    """Time record_attendance on the cohort's latest session with every mark changing; count its queries."""
    session = last_session(cohort)
    ids = [e.id for e in cohort.enrollments.order_by(Enrollment.id)]
    figures = timed(lambda turn: record_attendance(session, rotated_marks(ids, turn), user), repeat)
    with QueryCounter() as counter:
        record_attendance(session, rotated_marks(ids, repeat + 1), user)
    return figures, counter.count


def sign_in(client, username):
    """Sign the test client in through the login form."""
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"Signing in as {username} failed ({response.status_code}).")


def fetch(client, method, url, expected, data=None):
    """One request through the test client; stop the benchmark on an unexpected status."""
    response = client.open(url, method=method, data=data)
    if response.status_code != expected:
        raise SystemExit(f"{method} {url} answered {response.status_code}, not {expected}.")
    return response


def post_marks(client, session_id, ids, turn):
    """POST a session's attendance form with every mark; drop its flashes (a browser would show them)."""
    form = {f"mark-{eid}": mark for eid, mark in rotated_marks(ids, turn).items()}
    fetch(client, "POST", f"/sessions/{session_id}", 302, form)
    with client.session_transaction() as session:
        session.pop("_flashes", None)


def counted(action):
    """How many SQL statements action() sends."""
    with QueryCounter() as counter:
        action()
    return counter.count


def http_figures(client, cohort, ids, session_id, repeat):
    """Time the session save, the grid and the cohort page of a cohort through the test client."""
    base = f"/cohorts/{cohort}"
    return {
        "save": timed(lambda turn: post_marks(client, session_id, ids, turn), repeat),
        "grid": timed(lambda turn: fetch(client, "GET", base + "/grid", 200), repeat),
        "page": timed(lambda turn: fetch(client, "GET", base, 200), repeat),
    }


def http_counts(client, cohort, ids, session_id):
    """The SQL statements of one session save, one grid and one cohort page of a cohort."""
    base = f"/cohorts/{cohort}"
    return {"save": counted(lambda: post_marks(client, session_id, ids, 10_001)),
            "grid": counted(lambda: fetch(client, "GET", base + "/grid", 200)),
            "page": counted(lambda: fetch(client, "GET", base, 200))}


def saved_marks(session_id):
    """{enrollment id: mark} of a session, as stored."""
    query = Attendance.select(Attendance.enrollment, Attendance.status).where(Attendance.session == session_id)
    return dict(query.tuples())


def sizes(cohort):
    """The ids the HTTP measures need: the cohort, its enrollments and its latest session."""
    return {"cohort": cohort.id, "ids": [e.id for e in cohort.enrollments.order_by(Enrollment.id)],
            "session": last_session(cohort).id}


def run(url, args):
    """Build the data on url, run every measurement and return the figures."""
    app = create_app(bench_config(url))
    load = os.getloadavg()[0]  # other work on the machine slows every figure
    with app.test_request_context(), database.connection_context():
        migrate()
        print("Building the data…", file=sys.stderr)
        built = build(args, random.Random(args.seed))
        measured, small = built["cohorts"][args.people], built["cohorts"][SMALL]
        service, service_queries = service_save(measured, built["admin"], args.repeat)
        targets = {SMALL: sizes(small), args.people: sizes(measured)}
        data = {"kind": database_kind(), "marks": Attendance.select().count(), "cohorts": Cohort.select().count(),
                "participants": Beneficiary.select().count()}
    # No app context is held open from here: each request gets its own, as in production.
    print("Timing the requests…", file=sys.stderr)
    clients = {"trainer": app.test_client(), "admin": app.test_client()}
    for username, client in clients.items():
        sign_in(client, username)
    target = targets[args.people]
    http = http_figures(clients["trainer"], target["cohort"], target["ids"], target["session"], args.repeat)
    http["admin page"] = timed(lambda turn: fetch(clients["admin"], "GET", f"/cohorts/{target['cohort']}", 200),
                               args.repeat)
    with app.app_context(), database.connection_context():
        if saved_marks(target["session"]) != rotated_marks(target["ids"], args.repeat):
            raise SystemExit("The HTTP saves did not store the marks posted: the timings would be of no-ops.")
    counts = {size: http_counts(clients["trainer"], t["cohort"], t["ids"], t["session"]) for size, t in targets.items()}
    return {**data, "nproc": len(os.sched_getaffinity(0)), "load": load, "args": args, "service": service,
            "service_queries": service_queries, "http": http, "counts": counts}


def ms(figures):
    """A summary as table text."""
    return (f"p50 {figures['p50']:.1f} ms, p95 {figures['p95']:.1f} ms, max {figures['max']:.1f} ms "
            f"({figures['runs']} runs)")


def table(figures):
    """The figures as a Markdown table."""
    args, http, counts = figures["args"], figures["http"], figures["counts"]
    n, s = args.people, args.sessions

    def per_size(kind):
        return ", ".join(f"{counts[size][kind]} with {size} people" for size in sorted(counts))

    lines = [
        ("Database", figures["kind"]),
        ("Machine", f"{figures['nproc']} CPU (nproc), Python {platform.python_version()}, "
                    f"load average {figures['load']:.2f} at the start"),
        ("Data", f"{figures['participants']:,} participants, {figures['cohorts']} cohorts, "
                 f"{figures['marks']:,} attendance marks; measured cohort {n} people × {s} sessions, all marked"),
        (f"Save a {n}-person session: service (record_attendance), every mark changed", ms(figures["service"])),
        (f"Save a {n}-person session: HTTP `POST /sessions/<id>`, trainer, whole request", ms(http["save"])),
        (f"Cohort grid, {n} × {s}: `GET /cohorts/<id>/grid`, trainer", ms(http["grid"])),
        ("Cohort page: `GET /cohorts/<id>`, trainer", ms(http["page"])),
        ("Cohort page: `GET /cohorts/<id>`, admin (with the management forms)", ms(http["admin page"])),
        ("SQL statements per grid request", per_size("grid")),
        ("SQL statements per cohort page request", per_size("page")),
        ("SQL statements per session save (HTTP, sign-in check included)", per_size("save")),
        (f"SQL statements per session save (service, {n} people)", str(figures["service_queries"])),
    ]
    note = ("\n\nEach measure runs once untimed first (templates compile, caches warm). SQL statements are "
            "those sent through peewee's execute_sql (BEGIN and COMMIT are not).")
    return "\n".join(["| Measure | Value |", "|---|---|"] + [f"| {a} | {b} |" for a, b in lines]) + note


def main(argv=None):
    """Run the benchmark on the chosen database and print the table."""
    args = parse_args(argv)
    with bench_database(args.database_url, "bench-training-") as url:
        print(table(run(url, args)))


if __name__ == "__main__":
    main()
