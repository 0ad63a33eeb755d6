"""A test run leaves the checkout as it found it: the run fails if it changed a file git sees.

Pictures, logs and databases belong in temporary folders or in the git-ignored test-artifacts/;
`make screenshots` is the one way to write docs/screenshots/. Loaded by the root conftest.
"""
import hashlib
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BEFORE = pytest.StashKey[dict]()
CHANGED = pytest.StashKey[list]()


def checkout_state(root=ROOT):
    """{path: digest of its bytes (None once deleted)} of every file git reports changed or untracked.

    None outside a git checkout (a source archive, a container without git): nothing to compare then.
    """
    try:
        listed = subprocess.run(["git", "status", "--porcelain", "-z", "--untracked-files=all"], cwd=root,
                                capture_output=True, check=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    state = {}
    for entry in listed.split(b"\0"):
        if len(entry) > 3:  # "XY path"; the source path of a rename follows its entry and is skipped
            path = root / entry[3:].decode("utf-8", "surrogateescape")
            state[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest() \
                if path.is_file() else None
    return state


def changed_during(before, after):
    """The paths whose state differs between two checkout states, sorted."""
    return sorted(path for path in before.keys() | after.keys()
                  if before.get(path, "clean") != after.get(path, "clean"))


def pytest_sessionstart(session):
    """Note the checkout's state before any test runs."""
    session.config.stash[BEFORE] = checkout_state()


def pytest_sessionfinish(session, exitstatus):
    """Fail the run if a test changed, added or removed a file that git sees."""
    before, after = session.config.stash.get(BEFORE, None), checkout_state()
    if before is not None and after is not None:
        session.config.stash[CHANGED] = changed_during(before, after)
        if session.config.stash[CHANGED]:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, config):
    """Name the files the run changed."""
    changed = config.stash.get(CHANGED, [])
    if changed:
        terminalreporter.section("the test run changed the checkout: write into a temporary folder", red=True)
        for path in changed:
            terminalreporter.write_line(f"  {path}")
