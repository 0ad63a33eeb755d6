"""Benchmarks and the load test: how fast the registry answers, and whether it loses writes under load.

Each module is a command, run from the repository root with the project's Python (the one that has
requirements-dev.txt installed), for example:

    python -m bench.national --help       # pages, reports, export and throughput at national scale
    python -m bench.participants --help   # registration, duplicate checks and a sheet import
    python -m bench.training --help       # saving a session's attendance, the cohort grid
    python -m bench.reports --help        # the fiscal-year indicator report and its workbook
    python -m bench.loadtest --help       # trainers and officers at once against gunicorn, writes checked

They fill databases of their own with the synthetic generator (registry.synthetic) and print Markdown
tables; docs/performance.md quotes their figures, docs/security.md the load test's. Nothing here is
part of `make test`, and the app imports nothing from this package. The other modules are the
commands' parts: `databases` (create, drop and read a run's database), `serving` (gunicorn and the
export in processes of their own) and `hello` (a one-line Flask app to compare throughput with).
"""
from pathlib import Path

# The repository's root: where the servers and processes the benchmarks start run from.
ROOT = Path(__file__).resolve().parents[1]
