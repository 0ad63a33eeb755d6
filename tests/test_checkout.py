"""The run's checkout check: a file git sees that a test writes, adds or removes fails the run; ignored ones do not."""
import shutil
import subprocess

import pytest

from tests.checkout import changed_during, checkout_state

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def repo(tmp_path):
    """A git checkout with a committed docs/screenshots/home.png, an ignored test-artifacts/ and an edit in progress."""
    def git(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=tmp_path,
                       check=True, capture_output=True)

    (tmp_path / "docs" / "screenshots").mkdir(parents=True)
    (tmp_path / "docs" / "screenshots" / "home.png").write_bytes(b"committed")
    (tmp_path / "notes.md").write_text("committed")
    (tmp_path / ".gitignore").write_text("/test-artifacts/\n")
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "start")
    (tmp_path / "notes.md").write_text("being edited")  # dirty before the run: only a further change counts
    return tmp_path


def test_a_run_that_writes_only_ignored_files_changes_nothing(repo):
    before = checkout_state(repo)
    (repo / "test-artifacts" / "screenshots").mkdir(parents=True)
    (repo / "test-artifacts" / "screenshots" / "home-en.png").write_bytes(b"new picture")
    assert changed_during(before, checkout_state(repo)) == []


def test_a_run_that_rewrites_adds_or_removes_a_file_git_sees_is_caught(repo):
    before = checkout_state(repo)
    (repo / "docs" / "screenshots" / "home.png").write_bytes(b"rewritten")
    (repo / "docs" / "screenshots" / "new.png").write_bytes(b"added")
    (repo / "notes.md").write_text("edited again by a test")
    (repo / ".gitignore").unlink()
    assert changed_during(before, checkout_state(repo)) == [".gitignore", "docs/screenshots/home.png",
                                                            "docs/screenshots/new.png", "notes.md"]


def test_outside_a_checkout_there_is_nothing_to_compare(tmp_path):
    assert checkout_state(tmp_path / "missing") is None
