"""Each audit event as a sentence in the user's language, and the before/after table of a change.

The actions are collected from the source (every call that writes an event), so an action added without
a sentence fails here rather than showing up as `thing.done` in the log.
"""
import ast
import json
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from registry.audit.display import Labels, change_rows
from registry.audit.sentences import SENTENCES, Subject, action_label, actor_label, sentence

REGISTRY = Path(__file__).resolve().parents[2] / "registry"
WRITERS = {"record_event", "record_events"}


def _name(node):
    """The called function's last name: record_event for record_event(...) and services.record_event(...)."""
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None


class _Module:
    """One source file: its constants, its functions' parameters and its calls, to follow an action to its text."""

    def __init__(self, path):
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.constants = {}
        for node in self.tree.body:
            if isinstance(node, ast.Assign):
                targets = node.targets[0].elts if isinstance(node.targets[0], ast.Tuple) else node.targets
                values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
                for target, value in zip(targets, values):
                    if isinstance(target, ast.Name):
                        self.constants[target.id] = value
        self.calls = [node for node in ast.walk(self.tree) if isinstance(node, ast.Call)]
        self.functions = {node.name: node for node in ast.walk(self.tree) if isinstance(node, ast.FunctionDef)}

    def actions(self, node, function, seen=()):
        """The strings an expression can hold: literals, both sides of `a if c else b`, constants, parameters."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return self.actions(node.body, function, seen) | self.actions(node.orelse, function, seen)
        if isinstance(node, ast.Name) and function is not None and node.id in [a.arg for a in function.args.args]:
            return self.callers_pass(function, node.id, seen)
        if isinstance(node, ast.Name) and node.id in self.constants:
            return self.actions(self.constants[node.id], None, seen)
        raise AssertionError(f"cannot tell which action {ast.dump(node)} writes: give it a literal or a constant")

    def callers_pass(self, function, parameter, seen):
        """What the module's calls of `function` give for one of its parameters."""
        if function.name in seen:
            return set()
        index = [a.arg for a in function.args.args].index(parameter)
        found = set()
        for call in self.calls:
            if _name(call.func) != function.name:
                continue
            args = [k.value for k in call.keywords if k.arg == parameter] or call.args[index:index + 1]
            for arg in args:
                found |= self.actions(arg, self.enclosing(call), (*seen, function.name))
        return found

    def enclosing(self, node):
        """The function a node sits in, or None at module level."""
        for function in self.functions.values():
            if any(child is node for child in ast.walk(function)):
                return function
        return None


def written_actions():
    """Every action that the code can write to the log, read from registry/."""
    actions = set()
    for path in sorted(REGISTRY.rglob("*.py")):
        module = _Module(path)
        for call in module.calls:
            name = _name(call.func)
            if name in WRITERS and call.args:
                actions |= module.actions(call.args[0], module.enclosing(call))
            elif name == "create" and any(k.arg == "action" for k in call.keywords):  # the migrations' own model
                [arg] = [k.value for k in call.keywords if k.arg == "action"]
                actions |= module.actions(arg, module.enclosing(call))
    return actions


def event(action, detail=None, username="dara", object_type="", object_id=""):
    """An event as the log stores it, without a database."""
    return SimpleNamespace(action=action, detail=json.dumps(detail or {}), username=username,
                           object_type=object_type, object_id=object_id)


def test_the_collector_finds_actions_written_through_constants_and_helpers():
    actions = written_actions()
    # Literal, conditional, module constant, helper parameter, the migrations' frozen model.
    assert {"auth.login", "session.cancel", "session.restore", "beneficiary.consent_given",
            "beneficiary.archive", "database.backup", "data.corrected"} <= actions
    assert len(actions) > 60


def test_every_action_the_code_writes_has_a_sentence():
    assert sorted(written_actions() - set(SENTENCES)) == []


@pytest.mark.parametrize("language", ["en", "km"])
def test_every_sentence_reads_with_and_without_its_actor_and_subject(app, language):
    for action in sorted(SENTENCES):
        with app.test_request_context():
            with force_locale("en"):
                template = str(SENTENCES[action])
            with force_locale(language):
                named = str(sentence(event(action), "Dara Sok", Subject("BR-000004", "/beneficiaries/BR-000004")))
                bare = str(sentence(event(action, username="")))
        for text in (named, bare):
            assert text and "%(" not in text and "None" not in text, action
        if "%(actor)s" in template:
            assert "Dara Sok" in named, action
        if "%(subject)s" in template:
            assert '<a href="/beneficiaries/BR-000004">BR-000004</a>' in named, action


def test_the_example_of_the_issue(app):
    with app.test_request_context():
        assert str(sentence(event("beneficiary.view", object_type="beneficiary", object_id="4"), "Dara Sok",
                            Subject("BR-000004", "/beneficiaries/BR-000004"))) == (
            'Dara Sok viewed the record of <a href="/beneficiaries/BR-000004">BR-000004</a>.')


def test_values_from_the_detail_fill_the_sentence(app):
    with app.test_request_context():
        assert str(sentence(event("auth.login_failed", {"reason": "bad credentials"}, username="sokha"))) == (
            "A sign-in as sokha was refused: wrong username or password.")
        assert str(sentence(event("beneficiary.export", {"rows": 12, "kind": "list"}), "Dara Sok")) == (
            "Dara Sok exported a list of 12 participants.")
        assert str(sentence(event("attendance.record", {"marks": 9}), "Dara Sok")) == (
            "Dara Sok took the attendance of a record (9 marks).")


def test_a_missing_actor_or_subject_still_reads(app):
    with app.test_request_context():
        assert actor_label(event("x", username="")) == "Someone"
        assert actor_label(event("x", username="cli:root")) == "The command line (root)"
        assert actor_label(event("x", username="migration:0012_fix")) == "The database update 0012_fix"
        assert str(sentence(event("beneficiary.view", object_type="beneficiary", object_id="77"), None)) == (
            "dara viewed the record of participant no. 77.")
        assert str(sentence(event("no.such_action"), "Dara Sok")) == "Dara Sok: no.such_action."


def test_names_and_values_are_escaped(app):
    with app.test_request_context():
        text = str(sentence(event("token.create", {"name": "<script>", "user": "a&b"}), "<b>Dara</b>"))
    assert "<script>" not in text and "&lt;script&gt;" in text and "&lt;b&gt;Dara" in text and "a&amp;b" in text


def test_the_filter_names_actions_by_their_sentence_with_blanks(app):
    with app.test_request_context():
        assert action_label("beneficiary.view") == "… viewed the record of …."
        assert action_label("auth.login_failed") == "A sign-in as … was refused: …."
        assert action_label("legacy.thing") == "legacy.thing"


def test_changes_read_as_a_before_after_table_with_labels(app):
    labels = Labels({"role": "Role"}, {"role": {"trainer": "Trainer", "officer": "Program officer"}})
    with app.test_request_context():
        rows = change_rows("user.update", json.dumps({"role": ["trainer", "officer"], "active": [True, False],
                                                     "full_name": [None, "Dara"]}), labels)
        assert [(r.label, r.before, r.after) for r in rows] == [
            ("Role", "Trainer", "Program officer"), ("Active", "Yes", "No"), ("Full name", "—", "Dara")]
        # A corrected follow-up nests its changes; an account's creation shows every value as new.
        nested = change_rows("follow_up.update", json.dumps({"reason": "typo", "changes": {"reached": [False, True]}}))
        assert [(r.label, r.before, r.after) for r in nested] == [("Reached", "No", "Yes")]
        created = change_rows("user.create", json.dumps({"role": "trainer"}), labels)
        assert [(r.label, r.before, r.after) for r in created] == [("Role", "—", "Trainer")]
        assert change_rows("beneficiary.view", json.dumps({"via": "search"})) == []
        assert change_rows("cohort.schedule", json.dumps({"added": ["2026-03-02", "2026-03-09"]})) == []


def test_changes_in_khmer_use_the_khmer_labels(app):
    from registry.users.forms import ROLE_LABELS

    with app.test_request_context(), force_locale("km"):
        [row] = change_rows("user.update", json.dumps({"role": ["trainer", "officer"]}),
                            Labels(values={"role": ROLE_LABELS}))
        assert row.before == str(ROLE_LABELS["trainer"]) and row.before != "Trainer"


def test_a_value_the_feature_cannot_read_is_shown_as_kept(app):
    def strict(name, value):
        raise ValueError(value)

    with app.test_request_context():
        [row] = change_rows("beneficiary.update", json.dumps({"phone": ["12", "34"]}), Labels(value_label=strict))
    assert (row.before, row.after) == ("12", "34")
