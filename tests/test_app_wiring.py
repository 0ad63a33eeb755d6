"""The factory wires the features that take part in others' work, in an order it writes down."""
import json
import subprocess
import sys

import pytest

from registry.beneficiaries import merging, profile_sections
from registry.beneficiaries.declared import declare
from registry.outcomes.hooks import on_status_changed
from registry.programs.signals import enrollment_status_changed

# A fresh interpreter that imports only the factory: the wiring must not rest on a test's imports.
FRESH_APP = """
import json, sys
from registry import create_app
from registry.beneficiaries import merging, profile_sections
from registry.programs.signals import enrollment_status_changed
app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": sys.argv[1]})
print(json.dumps({
    "steps": [step.name for step in app.extensions[merging.STEPS_KEY]],
    "sections": [section.name for section in app.extensions[profile_sections.SECTIONS_KEY]],
    "status_receivers": [r.__module__ + "." + r.__name__ for r in enrollment_status_changed.receivers_for(app)],
}))
"""


def test_merge_steps_are_the_declared_list_in_the_declared_order(app_ctx):
    # Training's enrollments move (and on undo move back) before outcomes' follow-ups follow them;
    # the names key the stored detail of merges made before, so undoing them depends on them.
    assert [step.name for step in merging.merge_steps()] == ["enrollments", "follow_ups"]


def test_profile_sections_show_in_the_declared_order(app_ctx):
    assert [s.name for s in app_ctx.extensions[profile_sections.SECTIONS_KEY]] == ["training", "outcomes"]


def test_outcomes_follows_status_changes_of_this_app_only(app):
    assert list(enrollment_status_changed.receivers_for(app)) == [on_status_changed]
    assert not enrollment_status_changed.has_receivers_for(object())


def test_a_fresh_app_has_its_features_wired_without_importing_them_by_hand(tmp_path):
    url = f"sqlite:///{tmp_path / 'unused.db'}"
    run = subprocess.run([sys.executable, "-c", FRESH_APP, url], capture_output=True, text=True, check=True)
    assert json.loads(run.stdout) == {"steps": ["enrollments", "follow_ups"], "sections": ["training", "outcomes"],
                                      "status_receivers": ["registry.outcomes.hooks.on_status_changed"]}


def test_two_parts_of_one_name_are_refused(app):
    step = merging.MergeStep("enrollments", move=None, undo=None, rows=None)
    with pytest.raises(ValueError, match="share a name"):
        declare(app, "probe", (step, step))
