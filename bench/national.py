"""Benchmark the registry at national scale: pages, the fiscal-year report, the export, throughput.

For each size N (--sizes) and database (--databases) it takes a registry filled by the synthetic
generator (registry/synthetic, through bench/reports.py's load(): the data as it stands on
30 September 2026, when FY2026 closes, with FY2026 targets) and measures:

- p50 and p95 of --requests requests each, through Flask's test client, signed in as synth-officer
  (an officer of all provinces): the participant list with a name search (terms drawn from
  registered people: "Family Given", a given name, or the Khmer name), profiles of random people,
  the dashboard (the officer's home page: its figures kept, and computed), the report page
  (FY2026 Q4); and as the trainer of a cohort: saving the marks of a session with 40 people open
  (every mark changes each time) and that cohort's grid. Each request runs once untimed first; its
  SQL statements are counted once.
- the duplicate check: find_duplicates, called directly (no HTTP), on --requests probes as in
  bench/participants.py: half perturbed copies of registered people, half new people;
- the FY2026 indicator report computed and exported (bench.reports.time_report), --repeat runs;
- the named participant export (all N people) in a fresh process: time, rows per second and peak
  resident memory, beside a plain openpyxl write-only loop over the same rows (bench/serving.py),
  the two taking turns --repeat times (the median run of each counts);
- requests per second of the participant list (page 1, and with name searches) under gunicorn
  with 4 sync workers on 127.0.0.1, beside the one-line route of bench/hello.py served the same way
  (measured before and after the list), for --duration seconds each (bench/serving.py).

It prints a Markdown table per size and database with the targets (TARGETS below) MET or NOT MET,
then a summary across runs. It takes about half an hour with the defaults, and a PostgreSQL
server on 127.0.0.1:5432. Run from the repository root (`make bench` runs the defaults):

    python -m bench.national [--sizes 10000,100000] [--databases sqlite,postgresql]
        [--requests 200] [--report-requests N] [--repeat 3] [--duration 15] [--seed 1]
        [--database-url-base postgresql://postgres@127.0.0.1:5432/] [--cache-dir /tmp/registry-bench]
        [--measures requests,duplicates,report,export,throughput] [--no-cache] [--fresh] [--drop-caches]

Generated databases are cached, as they take minutes to fill at N=100,000: SQLite files in
--cache-dir named by N, seed and a fingerprint of the generator's code (registry/synthetic and
bench/reports.py), and PostgreSQL databases registry_bench_<N>_cache (the fingerprint in their
comment). A cache is migrated in place when the code has new migrations, as a deployment would
be; each run measures a fresh copy of it (a file copy; CREATE DATABASE registry_bench_<N> TEMPLATE
...), deleted or dropped afterwards, so the requests that write never change the cache. --fresh
regenerates the caches, --no-cache neither reads nor keeps one, --drop-caches deletes them all.
Only databases named registry_bench_* are ever created or dropped.
"""
import argparse
import hashlib
import os
import platform
import random
import shutil
import sqlite3
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from peewee import fn

from registry import create_app
from registry.auth.models import User
from registry.beneficiaries.duplicates import find_duplicates
from registry.beneficiaries.models import Beneficiary
from registry.beneficiaries.phones import phone_key
from registry.db import database, is_postgres, migrate
from registry.outcomes.models import FollowUp
from registry.programs.attendance import is_open_on
from registry.programs.models import Attendance, Cohort, CohortTrainer, Enrollment, TrainingSession
from registry.synthetic.people import People

from bench import ROOT, reports, serving
from bench.databases import drop_database, recreate_database, server_execute
from bench.participants import database_kind, probes, time_checks
from bench.serving import OFFICER, sign_in
from bench.training import QueryCounter, bench_config, counted, fetch, post_marks, rotated_marks, saved_marks, timed

MEASURES = ("requests", "duplicates", "report", "export", "throughput")
DATABASES = ("sqlite", "postgresql")
PREFIX = "registry_bench_"
SESSION_SIZE = 40
REPORT_PAGE = "/reports/?period=FY2026-Q4"  # the last quarter of the data
PROBE_FIELDS = ("family_name", "given_name", "family_name_km", "given_name_km", "date_of_birth", "birth_year",
                "phone", "code")
# The targets, on a 2-core machine at N=100,000 (docs/performance.md): (what, met?).
TARGETS = {
    "list": ("p95 < 100 ms", lambda f: f["p95"] < 100),
    "list_typo": ("p95 < 100 ms", lambda f: f["p95"] < 100),
    "list_phone": ("p95 < 100 ms", lambda f: f["p95"] < 100),
    "profile": ("p95 < 100 ms", lambda f: f["p95"] < 100),
    "duplicates": ("p95 < 150 ms", lambda f: f["p95"] < 150),
    "save": ("p95 < 100 ms", lambda f: f["p95"] < 100),
    "fy_compute": ("< 5 s", lambda s: s < 5),
    "fy_export": ("< 5 s", lambda s: s < 5),
    "export_ratio": ("≤ 1.5× the plain loop", lambda r: r <= 1.5),
    "export_peak": ("< 200 MB", lambda mb: mb < 200),
    "throughput": ("≥ 25% of the one-line route", lambda r: r >= 0.25),
}


def parse_args(argv=None):
    """The command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="participants N, comma-separated (default %(default)s)")
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated (default %(default)s)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests of each page (default 200)")
    parser.add_argument("--report-requests", type=int, help="timed requests of the report page (default: --requests)")
    parser.add_argument("--repeat", type=int, help="runs of the FY report and of each export way (default 3; 1 from "
                                                   "N=1,000,000)")
    parser.add_argument("--duration", type=float, default=15, help="seconds of load per throughput figure (default 15)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the data and requests (default 1)")
    parser.add_argument("--database-url-base", default="postgresql://postgres@127.0.0.1:5432/",
                        help="PostgreSQL server; the script creates and drops its own registry_bench_* databases")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/registry-bench"),
                        help="where cached SQLite databases and run copies go (default %(default)s)")
    parser.add_argument("--measures", default=",".join(MEASURES), help="comma-separated subset of %(default)s")
    parser.add_argument("--no-cache", action="store_true", help="generate for this run only; keep nothing")
    parser.add_argument("--fresh", action="store_true", help="regenerate the cached databases")
    parser.add_argument("--drop-caches", action="store_true", help="delete every cached database, then stop")
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(size) for size in args.sizes.split(",")]
    except ValueError:
        parser.error("--sizes takes whole numbers separated by commas, such as 10000,100000.")
    args.databases = args.databases.split(",")
    args.measures = args.measures.split(",")
    if not set(args.databases) <= set(DATABASES) or not set(args.measures) <= set(MEASURES):
        parser.error(f"--databases takes {', '.join(DATABASES)}; --measures takes {', '.join(MEASURES)}.")
    if min(args.sizes) < 1000 or args.requests < 2 or (args.report_requests or 2) < 2 or (args.repeat or 1) < 1:
        parser.error("sizes start at 1000, and requests at 2.")
    args.report_requests = args.report_requests or args.requests
    return args


# --- The databases: generated once, cached, copied for each run ---------------------------------------------

def fingerprint(n, seed):
    """What a cached database depends on: N, the seed, the day of the data and the generator's code."""
    digest = hashlib.sha256(f"{n} {seed} {reports.AS_OF}".encode())
    for path in sorted((ROOT / "registry" / "synthetic").glob("*.py")) + [ROOT / "bench" / "reports.py"]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@contextmanager
def connected_app(app):
    """A request context of app with a connection open."""
    with app.app_context(), app.test_request_context(), database.connection_context():
        yield app


def connected(url):
    """An app on url, in a request context with a connection open (a context manager)."""
    return connected_app(create_app(bench_config(url)))


def generate(url, n, seed):
    """Fill the empty database of url with the synthetic registry of n participants (and FY2026 targets)."""
    log(f"Generating N={n:,} (seed {seed}) into {url}")
    with connected(url):
        migrate()
        reports.load(n, seed)
        checkpoint()


def upgrade(url):
    """Apply the code's new migrations to a database; return their names."""
    with connected(url):
        applied = migrate()
        checkpoint()
    return applied


def checkpoint():
    """On SQLite, move the WAL into the database file, so that copying the file copies everything."""
    if not is_postgres():
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def pg_url(base, name):
    """The URL of a database of ours on the server of base."""
    if not name.startswith(PREFIX) or name == "test":
        raise SystemExit(f"Refusing to touch the database {name}: the benchmark's names start with {PREFIX}.")
    return urlunsplit(urlsplit(base)._replace(path="/" + name))


@contextmanager
def sqlite_database(n, args):
    """The URL of a fresh copy of the cached SQLite registry of n participants (built if missing)."""
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    work = args.cache_dir / f"run-{n}.sqlite3"
    cached = args.cache_dir / f"registry-{n}-seed{args.seed}-{fingerprint(n, args.seed)}.sqlite3"
    upgraded = []
    if args.no_cache:
        generate("sqlite:///" + str(work), n, args.seed)
    else:
        if args.fresh or not cached.exists():
            for old in args.cache_dir.glob(f"registry-{n}-seed{args.seed}-*"):
                old.unlink()
            partial = cached.with_suffix(".partial")  # renamed once complete: an interrupted load is no cache
            generate("sqlite:///" + str(partial), n, args.seed)
            partial.rename(cached)
        upgraded = upgrade("sqlite:///" + str(cached))
        shutil.copyfile(cached, work)
    try:
        yield "sqlite:///" + str(work), upgraded
    finally:
        for path in (work, Path(f"{work}-wal"), Path(f"{work}-shm")):
            path.unlink(missing_ok=True)


@contextmanager
def postgres_database(n, args):
    """The URL of registry_bench_<n>, a copy of the cached registry_bench_<n>_cache (built if missing)."""
    base, work, cache = args.database_url_base, f"{PREFIX}{n}", f"{PREFIX}{n}_cache"
    mark = fingerprint(n, args.seed)
    upgraded = []
    if args.no_cache:
        recreate_database(pg_url(base, work))
        generate(pg_url(base, work), n, args.seed)
    else:
        found = server_execute(base, "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                               (cache,))
        if args.fresh or not found or found[0][0] != mark:
            recreate_database(pg_url(base, cache))
            generate(pg_url(base, cache), n, args.seed)
            server_execute(base, f"COMMENT ON DATABASE \"{cache}\" IS '{mark}'")
        upgraded = upgrade(pg_url(base, cache))
        drop_database(pg_url(base, work))
        server_execute(base, f'CREATE DATABASE "{work}" TEMPLATE "{cache}"')
    try:
        yield pg_url(base, work), upgraded
    finally:
        drop_database(pg_url(base, work))


def drop_caches(args):
    """Delete every cached database: the SQLite files of --cache-dir, and the PostgreSQL registry_bench_* ones."""
    for path in args.cache_dir.glob("registry-*.sqlite3*") if args.cache_dir.exists() else []:
        log(f"Deleting {path}")
        path.unlink()
    if "postgresql" in args.databases:
        for (name,) in server_execute(args.database_url_base, "SELECT datname FROM pg_database WHERE datname LIKE %s",
                                      (PREFIX.replace("_", r"\_") + "%",)):
            log(f"Dropping the database {name}")
            drop_database(pg_url(args.database_url_base, name))


# --- What the requests ask for -------------------------------------------------------------------------------

def search_term(person, turn):
    """What an officer types to find a person: "Family Given" mostly, sometimes the given name or the Khmer name."""
    latin = " ".join(p for p in (person["family_name"], person["given_name"]) if p)
    khmer = " ".join(p for p in (person["family_name_km"], person["given_name_km"]) if p)
    if turn % 4 == 3 and khmer:
        return khmer
    if turn % 4 == 2 and person["given_name"]:
        return person["given_name"]
    return latin or khmer


def typo_term(person):
    """The person's Latin name with a letter of the given name left out ("Sok Chanthy" as "Sok Chathy")."""
    given = person["given_name"]
    middle = len(given) // 2
    return " ".join(p for p in (person["family_name"], given[:middle] + given[middle + 1:]) if p)


def phone_term(person):
    """Six digits from the middle of the person's phone, as someone reads part of it out ("345678")."""
    return phone_key(person["phone"])[-7:-1]


def sample_people(rng, count):
    """About count active participants drawn at random (ids are dense), with the fields the probes need."""
    top = Beneficiary.select(fn.MAX(Beneficiary.id)).scalar()
    ids = rng.sample(range(1, top + 1), min(top, count + count // 4 + 10))
    columns = [getattr(Beneficiary, name) for name in PROBE_FIELDS]
    people = list(Beneficiary.select(*columns).where(Beneficiary.id.in_(ids) & (Beneficiary.status == "active"))
                  .order_by(Beneficiary.id).dicts())
    rng.shuffle(people)
    return people[:count]


def pick_session(size=SESSION_SIZE):
    """The latest session held, not cancelled, with exactly size people open on its day: (session, enrollment ids)."""
    large = (Enrollment.select(Enrollment.cohort).where(Enrollment.status != "waitlisted")
             .group_by(Enrollment.cohort).having(fn.COUNT(Enrollment.id) >= size))
    sessions = (TrainingSession.select().where(TrainingSession.cohort.in_(large) & ~TrainingSession.cancelled
                                               & (TrainingSession.held_on <= date.today()))
                .order_by(TrainingSession.held_on.desc(), TrainingSession.id.desc()))
    rosters = {}
    for session in sessions.iterator():
        if session.cohort_id not in rosters:
            rosters[session.cohort_id] = list(Enrollment.select().where(Enrollment.cohort == session.cohort_id))
        ids = sorted(e.id for e in rosters[session.cohort_id] if is_open_on(e, session.held_on))
        if len(ids) == size:
            return session, ids
    raise SystemExit(f"No session has exactly {size} people open: is the database generated?")


def plan(rng, count):
    """The URLs and people the measures use, the session to save and its trainer, and the data's size."""
    people = sample_people(rng, count)
    session, ids = pick_session()
    trainer = (User.select(User.username).join(CohortTrainer, on=CohortTrainer.trainer == User.id)
               .where(CohortTrainer.cohort == session.cohort_id).order_by(CohortTrainer.id).get().username)
    grid_sessions = TrainingSession.select().where((TrainingSession.cohort == session.cohort_id)
                                                   & ~TrainingSession.cancelled).count()
    return {
        "searches": ["/beneficiaries/?" + urlencode({"q": search_term(p, turn)}) for turn, p in enumerate(people)],
        "typos": ["/beneficiaries/?" + urlencode({"q": typo_term(p)}) for p in people if len(p["given_name"]) >= 5],
        "phones": ["/beneficiaries/?" + urlencode({"q": phone_term(p)}) for p in people if p["phone"]],
        "profiles": [f"/beneficiaries/{p['code']}" for p in people], "people": people,
        "session": session.id, "cohort": session.cohort_id, "ids": ids, "trainer": trainer,
        "grid": (Enrollment.select().where(Enrollment.cohort == session.cohort_id).count(), grid_sessions),
        "data": {"participants": Beneficiary.select().count(), "cohorts": Cohort.select().count(),
                 "sessions": TrainingSession.select().count(), "enrollments": Enrollment.select().count(),
                 "attendance marks": Attendance.select().count(), "follow-ups": FollowUp.select().count()},
        "kind": database_kind(),
    }


# --- The measures --------------------------------------------------------------------------------------------

def page(client, urls):
    """An action for timed(): GET the turn's URL, which must answer 200."""
    return lambda turn: fetch(client, "GET", urls[turn % len(urls)], 200)


def cold(app, action):
    """The action with the dashboard's kept figures forgotten first, as after any change to the registry."""
    def run(turn):
        app.extensions.pop("registry.dashboard", None)
        return action(turn)
    return run


def time_pages(app, targets, args):
    """p50/p95 and SQL statements of each page, through the test client, signed in."""
    officer = sign_in(app.test_client(), OFFICER)
    trainer = sign_in(app.test_client(), targets["trainer"])
    save = lambda turn: post_marks(trainer, targets["session"], targets["ids"], turn)  # noqa: E731
    actions = {
        "list": (page(officer, targets["searches"]), args.requests),
        "list_typo": (page(officer, targets["typos"]), args.requests),
        "list_phone": (page(officer, targets["phones"]), args.requests),
        "profile": (page(officer, targets["profiles"]), args.requests),
        "save": (save, args.requests),
        "grid": (page(trainer, [f"/cohorts/{targets['cohort']}/grid"]), args.requests),
        "dashboard": (page(officer, ["/"]), args.requests),
        "dashboard_cold": (cold(app, page(officer, ["/"])), args.report_requests),
        "report_page": (page(officer, [REPORT_PAGE]), args.report_requests),
    }
    figures = {}
    for name, (action, repeat) in actions.items():
        log(f"  {name}: {repeat} requests…")
        figures[name] = {**timed(action, repeat), "queries": counted(lambda: action(repeat + 1))}
    with app.app_context(), database.connection_context():
        if saved_marks(targets["session"]) != rotated_marks(targets["ids"], args.requests + 1):
            raise SystemExit("The attendance saves did not store the marks posted: the timings would be of no-ops.")
    return figures


def time_duplicates(app, targets, args, rng):
    """find_duplicates on perturbed copies of registered people and on new people; its statements for one copy."""
    latin = [p for p in targets["people"] if p["family_name"] and p["given_name"]]  # the copies misspell Latin names
    samples = probes(args.requests, latin, People(rng))
    with connected_app(app):
        figures = time_checks(samples)
        with QueryCounter() as counter:
            find_duplicates(samples[0][1])
    return {**figures, "queries": counter.count}


def time_fy_report(app, repeat):
    """The FY2026 report computed and exported (reports.time_report), and its slowest indicator."""
    with connected_app(app):
        report = reports.time_report(repeat)
        slowest = reports.time_indicators()[0]
    return {"compute": report["compute"], "export": report["export"], "workbook": report["workbook"],
            "slowest": slowest}


def time_export(url, runs):
    """The named export through the app and the plain loop, each in a fresh process, taking turns runs times.

    Each way's figures are those of its median run (by time): one run on a shared machine can land
    on a busy second. The ratio of CPU seconds is printed beside, as the steadier figure.
    """
    turns = {"app": [], "plain": []}
    for _turn in range(runs):
        for way in ("plain", "app"):
            turns[way].append(serving.export_figures(url, way))
    app, plain = (sorted(turns[way], key=lambda f: f["seconds"])[len(turns[way]) // 2] for way in ("app", "plain"))
    if app["rows"] != plain["rows"]:
        raise SystemExit(f"The export wrote {app['rows']} rows, the plain loop {plain['rows']}: not the same rows.")
    return {"app": app, "plain": plain, "ratio": app["seconds"] / plain["seconds"], "runs": runs,
            "cpu_ratio": app["cpu_seconds"] / plain["cpu_seconds"]}


def time_throughput(url, targets, args):
    """Requests per second of the list (page 1, and searches) and of the one-line route under gunicorn."""
    return serving.throughput(url, {"list": ["/beneficiaries/"], "list_search": targets["searches"]},
                                    args.duration)


def measure(url, n, args):
    """Every measure chosen on the database of url; return the figures."""
    rng = random.Random(args.seed)
    app = create_app(bench_config(url))
    figures = {"n": n, "load_start": os.getloadavg()[0]}
    with connected_app(app):
        targets = plan(rng, args.requests)
    figures.update(kind=targets["kind"], data=targets["data"], grid=targets["grid"])
    if "requests" in args.measures:
        figures["pages"] = time_pages(app, targets, args)
    if "duplicates" in args.measures:
        log("  duplicate checks…")
        figures["duplicates"] = time_duplicates(app, targets, args, rng)
    if "report" in args.measures:
        log("  FY2026 report…")
        figures["fy"] = time_fy_report(app, args.repeat or (1 if n >= 1_000_000 else 3))
    if "export" in args.measures:
        log("  participant export…")
        figures["export"] = time_export(url, args.repeat or (1 if n >= 1_000_000 else 3))
    if "throughput" in args.measures:
        log("  throughput under gunicorn…")
        figures["throughput"] = time_throughput(url, targets, args)
    figures["load_end"] = os.getloadavg()[0]
    return figures


# --- Tables --------------------------------------------------------------------------------------------------

PAGES = {
    "list": "Participant list, name search (`GET /beneficiaries/?q=`), officer",
    "list_typo": "Participant list, name search with a letter missing (`?q=Sok Chathy`), officer",
    "list_phone": "Participant list, six digits of a phone (`?q=345678`), officer",
    "profile": "Profile (`GET /beneficiaries/<code>`), officer",
    "duplicates": "Duplicate check (`find_duplicates`, no HTTP): {copies} perturbed copies + {new} new people",
    "save": "Save a 40-person session (`POST /sessions/<id>`), trainer",
    "grid": "Cohort grid (`GET /cohorts/<id>/grid`, {people} people × {sessions} sessions), trainer",
    "dashboard": "Dashboard (`GET /`, officer's home page), figures kept from the previous visit",
    "dashboard_cold": "Dashboard, figures computed (as after any change to the registry)",
    "report_page": f"Report page (`GET {REPORT_PAGE}`), officer",
}


def verdict(key, value):
    """The target of a figure and MET / NOT MET, as two table cells."""
    if key not in TARGETS:
        return "", ""
    text, met = TARGETS[key]
    return text, "**MET**" if met(value) else "**NOT MET**"


def row(*cells):
    """A Markdown table row."""
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def page_rows(figures):
    """The rows of the request table."""
    lines = []
    timed_pages = {**figures.get("pages", {}), **({"duplicates": figures["duplicates"]}
                                                  if "duplicates" in figures else {})}
    for key, label in PAGES.items():
        if key not in timed_pages:
            continue
        f = timed_pages[key]
        if key == "duplicates":
            label = label.format(copies=f["totals"]["copy"], new=f["totals"]["new"])
            label += f" (matches found: {f['found']['copy']}/{f['totals']['copy']} copies, " \
                     f"{f['found']['new']}/{f['totals']['new']} new)"
        label = label.format(people=figures["grid"][0], sessions=figures["grid"][1])
        runs = f.get("runs", sum(f.get("totals", {}).values()))
        lines.append(row(label, runs, f"{f['p50']:.1f}", f"{f['p95']:.1f}", f"{f['max']:.1f}", f["queries"],
                         *verdict(key, f)))
    return lines


def seconds_text(summary):
    """A min/median summary of timings in seconds."""
    runs = ", ".join(f"{s:.2f}" for s in summary["runs"])
    return f"{summary['median']:.2f} s (median of {len(summary['runs'])}: {runs})"


def fy_rows(fy):
    """The rows of the FY2026 report."""
    code, computation, _numerator, _denominator, _value, slow = fy["slowest"]
    return [row("FY2026 indicator report computed (`indicator_report`)", seconds_text(fy["compute"]),
                *verdict("fy_compute", fy["compute"]["median"])),
            row("FY2026 report exported (report + workbook, as `GET /reports/export.xlsx`)",
                seconds_text(fy["export"]), *verdict("fy_export", fy["export"]["median"])),
            row("of which the workbook (tracking sheet: Q1-Q4 + FY)", seconds_text(fy["workbook"]), "", ""),
            row("slowest indicator, computed once", f"{code} ({computation}) {slow:.2f} s", "", "")]


def export_rows(ex):
    """The rows of the participant export and of the plain loop."""
    lines = []
    for way, label in (("app", "Participant export, named (`GET /beneficiaries/export.xlsx`), officer"),
                       ("plain", "Plain openpyxl write-only loop, same rows, one SQL statement")):
        f = ex[way]
        text = (f"{f['rows']:,} rows in {f['seconds']:.2f} s = {f['rows'] / f['seconds']:,.0f} rows/s; peak RSS "
                f"{f['peak_mb']:.0f} MB ({f['growth_mb']:+.0f} MB over the RSS before it)")
        lines.append(row(label, text, *(verdict("export_peak", f["peak_mb"]) if way == "app" else ("", ""))))
    runs = f" (median of {ex['runs']} runs each, taking turns)" if ex.get("runs", 1) > 1 else ""
    figure = f"{ex['ratio']:.2f}× (CPU time: {ex['cpu_ratio']:.2f}×)"
    return lines + [row(f"Export time, app / plain loop{runs}", figure, *verdict("export_ratio", ex["ratio"]))]


def throughput_rows(tp):
    """The rows of throughput under gunicorn."""
    hello = tp["one-line route"]
    lines = [row(f"Throughput, one-line Flask route (gunicorn, {tp['workers']} workers)", rps_text(hello), "", "")]
    if "health check" in tp:
        health = tp["health check"]
        lines.append(row("Throughput, the registry's health check (`GET /healthz`: its request hooks, `SELECT 1`)",
                         f"{rps_text(health)}: {health['rps'] / hello['rps']:.1%} of the one-line route", "", ""))
    for key, label in (("list", "Throughput, participant list page 1 (`GET /beneficiaries/`)"),
                       ("list_search", "Throughput, participant list with name searches")):
        ratio = tp[key]["rps"] / hello["rps"]
        versus_health = f", {tp[key]['rps'] / tp['health check']['rps']:.1%} of the health check" \
            if "health check" in tp else ""
        lines.append(row(label, f"{rps_text(tp[key])}: {ratio:.1%} of the one-line route{versus_health}",
                         *verdict("throughput", ratio)))
    return lines


def other_rows(figures):
    """The rows of the second table: FY report, export, throughput."""
    return ((fy_rows(figures["fy"]) if "fy" in figures else [])
            + (export_rows(figures["export"]) if "export" in figures else [])
            + (throughput_rows(figures["throughput"]) if "throughput" in figures else []))


def rps_text(f):
    """Requests per second, with the answers that were not 200."""
    errors = f", {f['errors']} not 200 ({f['statuses']})" if f["errors"] else ""
    runs = f"; {' and '.join(f'{rps:,.0f}' for rps in f['runs'])} before and after the list" if "runs" in f else ""
    return f"{f['rps']:,.1f} req/s ({f['done']:,} in {f['seconds']:.0f} s, {f['clients']} clients{errors}{runs})"


def run_table(figures, upgraded):
    """The Markdown of one size and database."""
    data = ", ".join(f"{count:,} {name}" for name, count in figures["data"].items())
    lines = [f"### N = {figures['n']:,}, {figures['kind']}", "",
             f"Data: {data}. Load average {figures['load_start']:.2f} at the start, {figures['load_end']:.2f} "
             f"at the end." + (f" Migrations applied to the cache first: {', '.join(upgraded)}." if upgraded else ""),
             ""]
    pages = page_rows(figures)
    if pages:
        lines += [row("Request", "runs", "p50 ms", "p95 ms", "max ms", "SQL statements", "Target", ""),
                  row(*["---"] * 8), *pages, ""]
    others = other_rows(figures)
    if others:
        lines += [row("Measure", "Figure", "Target", ""), row(*["---"] * 4), *others, ""]
    return "\n".join(lines)


def target_figures(figures):
    """{target key: (figure text, value)} of one run, for the summary."""
    found = {}
    for key in ("list", "profile", "save"):
        if key in figures.get("pages", {}):
            found[key] = (f"p95 {figures['pages'][key]['p95']:.0f} ms", figures["pages"][key])
    if "duplicates" in figures:
        found["duplicates"] = (f"p95 {figures['duplicates']['p95']:.0f} ms", figures["duplicates"])
    if "fy" in figures:
        for key, part in (("fy_compute", "compute"), ("fy_export", "export")):
            found[key] = (f"{figures['fy'][part]['median']:.1f} s", figures["fy"][part]["median"])
    if "export" in figures:
        found["export_ratio"] = (f"{figures['export']['ratio']:.2f}×", figures["export"]["ratio"])
        found["export_peak"] = (f"{figures['export']['app']['peak_mb']:.0f} MB", figures["export"]["app"]["peak_mb"])
    if "throughput" in figures:
        tp = figures["throughput"]
        ratio = tp["list_search"]["rps"] / tp["one-line route"]["rps"]
        found["throughput"] = (f"{ratio:.1%} (search), {tp['list']['rps'] / tp['one-line route']['rps']:.1%} "
                               f"(page 1)", min(ratio, tp["list"]["rps"] / tp["one-line route"]["rps"]))
    return found


SUMMARY_LABELS = {"list": "List with name search", "profile": "Profile", "duplicates": "Duplicate check",
                  "save": "Attendance save (40)", "fy_compute": "FY report computed", "fy_export": "FY report exported",
                  "export_ratio": "Participant export vs plain loop", "export_peak": "Participant export peak memory",
                  "throughput": "List throughput vs one-line route"}


def summary_table(runs):
    """Every target against every run: the figure and MET / NOT MET."""
    found = [target_figures(figures) for figures in runs]
    heads = [f"N={f['n']:,} {f['kind'].split()[0]}" for f in runs]
    lines = [row("Target", "", *heads), row(*["---"] * (2 + len(runs)))]
    for key, label in SUMMARY_LABELS.items():
        cells = []
        for figures in found:
            if key in figures:
                text, value = figures[key]
                cells.append(f"{text} {verdict(key, value)[1]}")
            else:
                cells.append("–")
        lines.append(row(label, TARGETS[key][0], *cells))
    return "\n".join(lines)


def growth_table(runs):
    """How p50 and the report grow from one size to the next, on each database."""
    lines = []
    for kind in sorted({f["kind"] for f in runs}):
        mine = sorted((f for f in runs if f["kind"] == kind), key=lambda f: f["n"])
        for small, large in zip(mine, mine[1:]):
            cells = []
            for key in PAGES:
                a = (small.get("pages", {}) | {"duplicates": small.get("duplicates")}).get(key)
                b = (large.get("pages", {}) | {"duplicates": large.get("duplicates")}).get(key)
                cells.append(f"{b['p50'] / a['p50']:.1f}×" if a and b else "–")
            if "fy" in small and "fy" in large:
                cells.append(f"{large['fy']['compute']['median'] / small['fy']['compute']['median']:.1f}×")
            else:
                cells.append("–")
            lines.append(row(f"{kind}: {small['n']:,} → {large['n']:,} (data ×{large['n'] / small['n']:.0f})", *cells))
    if not lines:
        return ""
    heads = [key.replace("_", " ") for key in PAGES] + ["FY report"]
    return "\n".join([row("p50 growth", *heads), row(*["---"] * (1 + len(heads))), *lines])


def machine_text():
    """The machine, as the tables' header."""
    with open("/proc/meminfo") as meminfo:
        memory = int(meminfo.readline().split()[1]) / 2 ** 20
    return (f"Machine: {len(os.sched_getaffinity(0))} CPU (nproc), {memory:.0f} GiB, Python "
            f"{platform.python_version()}, SQLite {sqlite3.sqlite_version} (Python's module), load average "
            f"{os.getloadavg()[0]:.2f} at the start.")


def log(text):
    """Progress, on stderr (the tables go to stdout)."""
    print(text, file=sys.stderr, flush=True)


def main(argv=None):
    """Measure every size on every database; print a table after each, then the summary."""
    args = parse_args(argv)
    if args.drop_caches:
        drop_caches(args)
        return
    print(f"## National scale benchmark (python -m bench.national)\n\n{machine_text()}\n", flush=True)
    runs = []
    for n in args.sizes:
        for kind in args.databases:
            started = time.perf_counter()
            prepare = sqlite_database if kind == "sqlite" else postgres_database
            with prepare(n, args) as (url, upgraded):
                log(f"Measuring N={n:,} on {kind}…")
                figures = measure(url, n, args)
            runs.append(figures)
            print(run_table(figures, upgraded), flush=True)
            log(f"N={n:,} on {kind}: {time.perf_counter() - started:.0f} s")
    print("### Targets\n\n" + summary_table(runs) + "\n", flush=True)
    growth = growth_table(runs)
    if growth:
        print("### Growth with the data\n\n" + growth + "\n", flush=True)


if __name__ == "__main__":
    main()
