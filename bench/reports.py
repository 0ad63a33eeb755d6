"""Benchmark the donor report at scale: compute and export a fiscal-year indicator report.

It fills a fresh database with the synthetic registry of `flask generate-data` (registry/synthetic:
bulk inserts, not the services, too slow at this size), in proportion to N participants, as it stands
when FY2026 closes (30 September 2026): about N/40 cohorts of 20-40 people in 8 programs and the 25
provinces, started over FY2024-FY2026; 20-32 sessions each; enrollments for about 60% of the
participants (some in two cohorts) with consistent statuses and dates; about 16 attendance marks per
participant; follow-ups 3, 6 and 12 months after each completion (some unanswered calls, some people
re-migrated abroad), incomes in riels and dollars; exchange rates; and here, FY2026 targets. It prints
the time each part took to load, then times --repeat runs of computing the FY2026 report
(indicator_report) and of building its workbook (indicator_workbook, which recomputes Q1-Q4 and the
year for the tracking sheet), and each indicator once. It prints Markdown tables for
docs/performance.md. Run from the repository root:

    python -m bench.reports [--participants 100000] [--repeat 3]
        [--database-url URL] [--seed 1]

Without --database-url it uses a new SQLite file in a temporary folder. A PostgreSQL URL is
WIPED first (DROP SCHEMA public CASCADE): never point it at a database you want to keep.
"""
import argparse
import os
import platform
import sys
import time
from datetime import date
from decimal import Decimal

from registry import create_app
from registry.db import database, migrate
from registry.reports.computations import COMPUTATIONS
from registry.reports.indicators import compute, indicator_report
from registry.reports.models import Indicator, IndicatorTarget
from registry.reports.periods import fiscal_year
from registry.reports.workbook import _tracking, indicator_workbook
from registry.synthetic.bulk import bulk
from registry.synthetic.generate import MINIMUM, generate

from bench.databases import BENCH_WITNESS
from bench.participants import bench_database, database_kind, database_options, percentile

AS_OF = date(2026, 9, 30)  # the data as it stands when FY2026 closes
REPORT_YEAR = 2026
FILTERS_TEXT = ["Programs: all", "Provinces: all"]


def parse_args(argv=None):
    """The command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100_000, help="participants generated (default 100000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of the report and workbook (default 3)")
    database_options(parser)
    args = parser.parse_args(argv)
    if args.participants < MINIMUM or args.repeat < 1:
        parser.error(f"--participants must be at least {MINIMUM}, --repeat at least 1.")
    return args


def bench_config(url):
    """The app configuration of the benchmark."""
    return {"TESTING": False, "SECRET_KEY": "bench", "DATABASE_URL": url, "PASSWORD_HASH_PROFILE": "CHEAPEST",
            "AUDIT_WITNESS_FILE": BENCH_WITNESS}


def set_targets(n):
    """FY2026 targets for every indicator (the year and its quarters), in proportion to n."""
    targets = []
    for indicator in Indicator.select():
        kind = COMPUTATIONS[indicator.computation].kind
        year = {"count": Decimal(round(n * 0.2)), "percent": Decimal("0.7"), "average": Decimal("0.25")}[kind]
        targets += [(indicator.id, REPORT_YEAR, quarter, year / 4 if kind == "count" and quarter else year)
                    for quarter in range(5)]
    bulk(IndicatorTarget, [IndicatorTarget.indicator, IndicatorTarget.fiscal_year, IndicatorTarget.quarter,
                           IndicatorTarget.target], targets)


def load(n, seed):
    """Generate the synthetic registry as of AS_OF and the FY2026 targets; return (load times by part, row counts)."""
    summary = generate(n, seed=seed, as_of=AS_OF, echo=lambda line: print(line, file=sys.stderr, flush=True))
    started = time.perf_counter()
    set_targets(n)
    summary.times["targets"] = time.perf_counter() - started
    return summary.times, summary.counts


def summary(seconds):
    """min and median (nearest rank) of timings, in seconds."""
    return {"min": min(seconds), "median": percentile(seconds, 0.5), "runs": seconds}


def time_report(repeat):
    """Time repeat runs of computing the FY2026 report, then building its workbook from it."""
    period = fiscal_year(REPORT_YEAR)
    computed, built, sizes = [], [], set()
    for turn in range(1, repeat + 1):
        started = time.perf_counter()
        report = indicator_report(period)
        middle = time.perf_counter()
        content = indicator_workbook(report, [], None, FILTERS_TEXT)  # changes report: a new one each run
        finished = time.perf_counter()
        computed.append(middle - started)
        built.append(finished - middle)
        sizes.add(len(content))
        print(f"  run {turn}: report {computed[-1]:.2f} s, workbook {built[-1]:.2f} s", file=sys.stderr, flush=True)
    return {"compute": summary(computed), "workbook": summary(built),
            "export": summary([a + b for a, b in zip(computed, built)]), "bytes": max(sizes), "report": report}


def time_indicators():
    """Each FY2026 indicator computed once: [(code, computation, denominator, value, seconds)], slowest first."""
    period = fiscal_year(REPORT_YEAR)
    filters = {"start": period.start, "end": period.end, "programs": [], "provinces": None}
    rows = []
    for indicator in Indicator.reported():
        started = time.perf_counter()
        result = compute(indicator, filters)
        rows.append((indicator.code, indicator.computation, result["numerator"], result["denominator"],
                     result["value"], time.perf_counter() - started))
    return sorted(rows, key=lambda row: -row[-1])


def time_tracking():
    """The tracking sheet's five reports (Q1-Q4 and the year) alone, once."""
    started = time.perf_counter()
    _tracking(REPORT_YEAR, [], None)
    return time.perf_counter() - started


def memory_gib():
    """The machine's memory, in GiB."""
    with open("/proc/meminfo") as meminfo:
        return int(meminfo.readline().split()[1]) / 2 ** 20


def run(url, args):
    """Build the app on url, load the data, time the report and return the figures."""
    app = create_app(bench_config(url))
    load_average = os.getloadavg()[0]  # other work on the machine slows every figure
    with app.app_context(), app.test_request_context(), database.connection_context():
        migrate()
        print(f"Loading {args.participants:,} participants and their training…", file=sys.stderr, flush=True)
        times, counts = load(args.participants, args.seed)
        print("Timing the FY2026 report…", file=sys.stderr, flush=True)
        indicators = time_indicators()
        tracking = time_tracking()
        report = time_report(args.repeat)
        return {"kind": database_kind(), "nproc": len(os.sched_getaffinity(0)), "memory": memory_gib(),
                "load": load_average, "n": args.participants, "times": times, "counts": counts,
                "indicators": indicators, "tracking": tracking, **report}


def seconds(figures):
    """A min/median summary as table text."""
    runs = ", ".join(f"{s:.2f}" for s in figures["runs"])
    return f"min {figures['min']:.2f} s, median {figures['median']:.2f} s (runs: {runs})"


def table(figures):
    """The figures as Markdown: the main table, then the indicators slowest first."""
    counts, times, n = figures["counts"], figures["times"], figures["n"]
    statuses = counts["enrollments by status"]
    shares = ", ".join(f"{status} {count / counts['enrollments']:.0%}"
                       for status, count in sorted(statuses.items(), key=lambda item: -item[1]))
    loaded = [(f"Load: {part}", f"{s:.1f} s") for part, s in times.items()]
    marks_s = times["attendance marks"]
    loaded[[part for part, _s in loaded].index("Load: attendance marks")] = (
        "Load: attendance marks", f"{marks_s:.1f} s ({counts['attendance marks'] / marks_s:,.0f} rows/s)")
    lines = [
        ("Database", figures["kind"]),
        ("Machine", f"{figures['nproc']} CPU (nproc), {figures['memory']:.0f} GiB, Python {platform.python_version()}, "
                    f"load average {figures['load']:.2f} at the start"),
        ("Participants (N)", f"{n:,} ({counts['enrolled people']:,} enrolled: {counts['enrolled people'] / n:.0%})"),
        ("Programs / cohorts / sessions", f"{counts['programs']} / {counts['cohorts']:,} / {counts['sessions']:,}"),
        ("Enrollments", f"{counts['enrollments']:,} ({shares})"),
        ("Attendance marks", f"{counts['attendance marks']:,} ({counts['attendance marks'] / n:.1f} × N)"),
        ("Follow-ups (reached) / follow-ups due", f"{counts['follow-ups']:,} ({counts['follow-ups reached']:,}) / "
                                                  f"{counts['follow-ups due']:,}"),
        ("Exchange rates", str(counts["exchange rates"])),
        *loaded,
        ("FY2026 report computed (`indicator_report`, 10 indicators)", seconds(figures["compute"])),
        ("FY2026 workbook built (`indicator_workbook`: tracking Q1-Q4 + FY, openpyxl)", seconds(figures["workbook"])),
        ("of which the tracking sheet's 5 reports (once)", f"{figures['tracking']:.2f} s"),
        ("Export total (report + workbook, as `GET /reports/export.xlsx`)", seconds(figures["export"])),
        ("Workbook size", f"{figures['bytes']:,} bytes"),
    ]
    main = "\n".join(["| Measure | Value |", "|---|---|"] + [f"| {a} | {b} |" for a, b in lines])
    slow = "\n".join(["| Indicator | Computation | Numerator | Denominator | Value | Time |", "|" + "---|" * 6]
                     + [f"| {code} | {name} | {num} | {den if den is not None else ''} | {value} | {s * 1000:.0f} ms |"
                        for code, name, num, den, value, s in figures["indicators"]])
    return f"{main}\n\nFY2026, each indicator computed once (`compute`), slowest first:\n\n{slow}"


def main(argv=None):
    """Run the benchmark on the chosen database and print the tables."""
    args = parse_args(argv)
    with bench_database(args.database_url, "bench-reports-") as url:
        print(table(run(url, args)))


if __name__ == "__main__":
    main()
