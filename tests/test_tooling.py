"""The benchmarks (bench/) and the development tools (tools/) are packages that start as `python -m` commands.

These tests run no benchmark: they import every module as part of its package, and ask each command
for its --help, so that a moved or renamed module, or an import that only worked with a patched
sys.path, shows here rather than at the next benchmark run.
"""
import importlib
import os
import pkgutil
import re
from pathlib import Path

import pytest

import bench
import tools

MODULES = [info.name for package in (bench, tools)
           for info in pkgutil.iter_modules(package.__path__, package.__name__ + ".")]
COMMANDS = ["bench.national", "bench.participants", "bench.reports", "bench.training", "bench.loadtest",
            "bench.serving", "tools.api_walkthrough", "tools.measure_name_matching", "tools.subset_khmer_font"]


def test_every_command_is_a_module_of_the_packages():
    assert set(COMMANDS) <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_module_imports_as_part_of_its_package_without_patching_the_path(name):
    module = importlib.import_module(name)
    source = Path(module.__file__).read_text(encoding="utf-8")
    assert "sys.path" not in source
    assert module.__doc__, f"{name} says what it is for in its docstring"
    # A newcomer can follow the docstring: no one's own virtualenv, no issue they cannot open.
    assert not re.search(r"/tmp/venv|\.venv/|[Ii]ssue \d", module.__doc__)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_answers_help(name, capsys):
    module = importlib.import_module(name)
    with pytest.raises(SystemExit) as stopped:
        module.main(["--help"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.startswith("usage:")


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="the benchmark's PostgreSQL maintenance queries")
def test_benchmarks_reach_the_postgresql_maintenance_database():
    from bench import databases

    # Where the national benchmark looks up its cached registry_bench_* databases, copies and drops them.
    assert databases.server_execute(os.environ["TEST_DATABASE_URL"], "SELECT current_database()") == [("postgres",)]
