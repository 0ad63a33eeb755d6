"""Benchmark the participant registry at scale: bulk registration, duplicate checks and a sheet import.

It fills a fresh database with N synthetic participants (registry.synthetic.people.People: common
Cambodian names, Khmer spellings for about half), times find_duplicates on perturbed copies and on
new people, then times both phases of an import of a generated .xlsx, and prints a Markdown table
for docs/performance.md. Run from the repository root:

    python -m bench.participants [--participants 10000] [--import-rows 1000]
        [--checks 200] [--database-url URL] [--seed 1]

Without --database-url it uses a new SQLite file in a temporary folder. A PostgreSQL URL is
WIPED first (DROP SCHEMA public CASCADE): never point it at a database you want to keep.
"""
import argparse
import io
import json
import os
import platform
import random
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg2
from openpyxl import Workbook

from registry import create_app
from registry.beneficiaries.duplicates import find_duplicates
from registry.beneficiaries.import_columns import HEADERS
from registry.beneficiaries.importing import check_job, create_job, import_job
from registry.beneficiaries.models import Beneficiary
from registry.db import database, is_postgres, migrate
from registry.synthetic.duplicates import misspell
from registry.synthetic.people import People
from registry.synthetic.register import insert_values
from registry.users.services import create_user

from bench.databases import BENCH_WITNESS


def database_options(parser):
    """The options of a benchmark on one database: --database-url (see bench_database()) and --seed."""
    parser.add_argument("--database-url", help="PostgreSQL URL to WIPE and use (default: a temporary SQLite file)")
    parser.add_argument("--seed", type=int, default=1, help="random seed, for repeatable data (default 1)")


def parse_args(argv=None):
    """The command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000, help="records generated (default 10000)")
    parser.add_argument("--import-rows", type=int, default=1000, help="rows of the imported sheet (default 1000)")
    parser.add_argument("--checks", type=int, default=200, help="duplicate-check probes (default 200)")
    database_options(parser)
    args = parser.parse_args(argv)
    if min(args.participants, args.import_rows, args.checks) < 1 or args.checks // 2 > args.participants:
        parser.error("every count must be at least 1, and --checks at most twice --participants.")
    return args


def reset_postgres(url):
    """Empty a PostgreSQL database: drop and recreate its public schema."""
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    conn.close()


def bench_config(url):
    """The app configuration of the benchmark."""
    return {"TESTING": False, "SECRET_KEY": "bench", "DATABASE_URL": url, "PASSWORD_HASH_PROFILE": "CHEAPEST",
            "AUDIT_WITNESS_FILE": BENCH_WITNESS,
            "IMPORT_INLINE": True}


def generate(count, people, user):
    """Insert count participants in batches, in one transaction; return (seconds, their values)."""
    started = time.perf_counter()
    persons = [people.person() for _ in range(count)]
    with database.atomic():
        insert_values(persons, user.id)
    return time.perf_counter() - started, persons


def perturbed(person, rng):
    """The same person registered again: Latin name misspelt or swapped, no phone, no Khmer name."""
    probe = {**person, "phone": "", "family_name_km": "", "given_name_km": ""}
    if rng.random() < 1 / 3:
        probe["family_name"], probe["given_name"] = person["given_name"], person["family_name"]
    else:
        probe["given_name"] = misspell(person["given_name"], rng)
    return probe


def probes(count, registered, people):
    """Half perturbed copies of registered people, half new people: [(kind, data)]."""
    rng = people.rng
    copies = [("copy", perturbed(p, rng)) for p in rng.sample(registered, count // 2)]
    return copies + [("new", people.person()) for _ in range(count - count // 2)]


def percentile(values, share):
    """The nearest-rank percentile of values (share between 0 and 1)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def time_checks(samples):
    """Time find_duplicates on each probe; return timings (ms) and match counts by kind."""
    timings, found = [], {"copy": 0, "new": 0}
    for kind, data in samples:
        started = time.perf_counter()
        matches = find_duplicates(data)
        timings.append((time.perf_counter() - started) * 1000)
        found[kind] += bool(matches)
    totals = {kind: sum(1 for k, _d in samples if k == kind) for kind in found}
    return {"p50": percentile(timings, 0.5), "p95": percentile(timings, 0.95), "max": max(timings),
            "found": found, "totals": totals}


SHEET_FIELDS = ["family_name", "given_name", "family_name_km", "given_name_km", "sex", "date_of_birth",
                "birth_year", "phone", "province", "category", "consent_data_use", "consent_on"]


def sheet_cells(person, index):
    """A person as a sheet row: dates of birth as dd/mm/yyyy text, consent dates as real date cells."""
    cells = dict(person)
    born = person["date_of_birth"]
    cells["date_of_birth"] = born.strftime("%d/%m/%Y") if born else None
    cells["consent_data_use"] = "yes"
    # Some phones as people type them, to exercise normalisation.
    if index % 2 and person["phone"]:
        cells["phone"] = "0" + person["phone"][4:]
    return [cells.get(name) or None for name in SHEET_FIELDS]


def import_sheet(persons):
    """An .xlsx (bytes) of persons under the import headers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([HEADERS[name] for name in SHEET_FIELDS])
    for index, person in enumerate(persons):
        sheet.append(sheet_cells(person, index))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def time_import(user, content, rows):
    """Run both import phases; return their timings, the job and how many records were added."""
    before = Beneficiary.select().count()
    started = time.perf_counter()
    job = check_job(create_job(user, "bench.xlsx", content))
    checked = time.perf_counter()
    if job.status != "checked":
        raise SystemExit(f"The check phase ended as {job.status}: {job.message}")
    job = import_job(job)
    finished = time.perf_counter()
    if job.status != "done":
        raise SystemExit(f"The import phase ended as {job.status}: {job.message}")
    added = Beneficiary.select().count() - before
    if added != job.imported_rows:
        raise SystemExit(f"The job says {job.imported_rows} imported, but {added} records were added.")
    return {"check_s": checked - started, "import_s": finished - checked, "rows": rows, "job": job,
            "added": added}


def database_kind():
    """The database engine and its version."""
    if is_postgres():
        return "PostgreSQL " + database.execute_sql("SHOW server_version").fetchone()[0].split()[0]
    return "SQLite " + database.execute_sql("SELECT sqlite_version()").fetchone()[0]


def table(figures):
    """The figures as a Markdown table."""
    checks, imp = figures["checks"], figures["import"]
    found, totals = checks["found"], checks["totals"]
    report = json.loads(imp["job"].report)
    lines = [
        ("Database", figures["kind"]),
        ("Machine", f"{figures['nproc']} CPU (nproc), Python {platform.python_version()}, "
                    f"load average {figures['load']:.2f} at the start"),
        ("Participants generated (N)", f"{figures['n']:,}"),
        ("Generation (multi-row INSERTs, registry.synthetic)",
         f"{figures['generate_s']:.2f} s ({figures['n'] / figures['generate_s']:,.0f} records/s)"),
        (f"find_duplicates, {sum(totals.values())} probes", f"p50 {checks['p50']:.1f} ms, p95 {checks['p95']:.1f} ms, "
                                                            f"max {checks['max']:.1f} ms"),
        ("Probes with a match", f"perturbed copies {found['copy']}/{totals['copy']}, "
                                f"new people {found['new']}/{totals['new']}"),
        (f"Import phase 1: upload + check, {imp['rows']:,} rows",
         f"{imp['check_s']:.2f} s ({imp['rows'] / imp['check_s']:,.0f} rows/s)"),
        (f"Import phase 2: import, {imp['rows']:,} rows",
         f"{imp['import_s']:.2f} s ({imp['rows'] / imp['import_s']:,.0f} rows/s)"),
        ("Rows imported (new, no likely duplicate)", f"{imp['added']:,} of {imp['rows']:,} "
                                                     f"({report['with_duplicates']} held back as likely duplicates, "
                                                     f"{len(report['errors'])} cell errors)"),
    ]
    return "\n".join(["| Measure | Value |", "|---|---|"] + [f"| {a} | {b} |" for a, b in lines])


def run(url, args):
    """Build the app on url, run every measurement and return the figures."""
    app = create_app(bench_config(url))
    load = os.getloadavg()[0]  # other work on the machine slows every figure
    rng = random.Random(args.seed)
    people = People(rng)
    with app.app_context(), app.test_request_context(), database.connection_context():
        migrate()
        user = create_user("bench", "Benchmark officer", "officer", "bench-password-1")
        generate_s, registered = generate(args.participants, people, user)
        checks = time_checks(probes(args.checks, registered, people))
        content = import_sheet([people.person() for _ in range(args.import_rows)])
        imported = time_import(user, content, args.import_rows)
        return {"kind": database_kind(), "nproc": len(os.sched_getaffinity(0)), "load": load, "n": args.participants,
                "generate_s": generate_s, "checks": checks, "import": imported}


@contextmanager
def bench_database(database_url, prefix):
    """The database a benchmark fills: the given URL (a PostgreSQL one wiped first), or a new SQLite file."""
    if database_url:
        if database_url.startswith("postgres"):
            reset_postgres(database_url)
        yield database_url
        return
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        yield "sqlite:///" + str(Path(folder) / "bench.sqlite3")


def main(argv=None):
    """Run the benchmark on the chosen database and print the table."""
    args = parse_args(argv)
    with bench_database(args.database_url, "bench-registry-") as url:
        print(table(run(url, args)))


if __name__ == "__main__":
    main()
