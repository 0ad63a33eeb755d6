"""An event's detail as people read it."""
import json

from registry.audit.display import SHOWN_MAX, detail_lines


def shown(action, detail):
    """The lines as (key, value) or (key, old, new) tuples."""
    return [(line.key, line.old, line.new) if line.is_change else (line.key, line.value)
            for line in detail_lines(action, json.dumps(detail))]


def test_changed_fields_read_old_to_new():
    assert shown("beneficiary.update", {"phone": ["012", "098"], "village": [None, "Kok"]}) == [
        ("phone", "012", "098"), ("village", None, "Kok")]


def test_a_two_item_list_elsewhere_is_a_list():
    assert shown("cohort.schedule", {"added": ["2026-03-02", "2026-03-09"], "hours": "3"}) == [
        ("added", "2026-03-02, 2026-03-09"), ("hours", "3")]


def test_nested_values_and_flags_are_flattened():
    assert shown("beneficiary.export", {"filters": {"sex": "male", "q": "Sok"}, "named": True, "rows": 3}) == [
        ("filters", "sex: male; q: Sok"), ("named", "true"), ("rows", "3")]


def test_text_that_is_not_json_is_one_line_and_long_values_are_cut():
    [line] = detail_lines("legacy", "not json")
    assert (line.key, line.value) == ("", "not json")
    [line] = detail_lines("note", json.dumps({"text": "x" * 1000}))
    assert len(line.value) == SHOWN_MAX and line.value.endswith("…")
    assert detail_lines("auth.login", "{}") == []
