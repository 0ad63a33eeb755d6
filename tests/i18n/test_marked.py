"""Every word a user reads is marked for translation: in the templates and in the Python code.

The scanners (template_text, python_text) are read in their own module; here they run over the whole
app, one test per file, so a failure names the file, the line and the words.
"""
from pathlib import Path

import pytest

from tests.i18n.python_text import untranslated_strings
from tests.i18n.template_text import untranslated_text

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").rglob("*.html"))
PYTHON = sorted(p.relative_to(ROOT).as_posix() for folder in ("registry", "exports")
                for p in (ROOT / folder).rglob("*.py"))

# Text that stays as it is in every language, with the reason. Keyed by (template, text as reported).
TEMPLATE_ALLOWED = {
    ("templates/api/docs.html", "openapi.json"),  # a file name, linked for programs to download
    ("templates/beneficiaries/merge_choose.html", "BR-000123"),  # the shape of a registry code, not words
    # ISO 4217 currency codes, written as the amounts were entered (KHR or USD)
    ("templates/outcomes/_profile_timeline.html", "… … (≈ … USD)"),
}

# Modules whose messages go only to the command line, the logs or a programmer (an exception that
# guards against misuse of a model), never to a page or an API answer: their raise messages stay English.
DEVELOPER_ONLY = (
    "registry/maintenance/",  # flask backup / restore
    "registry/synthetic/",  # flask generate-data
    "registry/migrations/",
    "registry/synthetic/demo.py",  # flask seed-demo
    "registry/audit/models.py",  # AuditError: code that tries to edit the append-only log
    "registry/audit/chain.py",  # flask verify-audit
    "registry/audit/witness",  # the witness file: flask verify-audit, backup and restore; a failed write is only logged
)


def _developer_only(path):
    return path.startswith(DEVELOPER_ONLY) or path.endswith("/cli.py")


@pytest.mark.parametrize("template", TEMPLATES)
def test_template_text_is_marked_for_translation(template):
    found = [(line, where, text) for line, where, text in untranslated_text((ROOT / template).read_text("utf-8"))
             if (template, text) not in TEMPLATE_ALLOWED]
    assert not found, f"{template}: wrap these in _() or {{% trans %}}:\n" + "\n".join(
        f"  line {line} {where}: {text!r}" for line, where, text in found)


def test_template_allowlist_has_no_stale_entries():
    reported = {(t, text) for t in TEMPLATES
                for _line, _where, text in untranslated_text((ROOT / t).read_text("utf-8"))}
    assert TEMPLATE_ALLOWED <= reported, f"allowed but no longer found: {TEMPLATE_ALLOWED - reported}"


@pytest.mark.parametrize("module", PYTHON)
def test_python_text_shown_to_users_is_marked_for_translation(module):
    found = untranslated_strings(ROOT / module, errors_reach_users=not _developer_only(module))
    assert not found, f"{module}: wrap these in _() / _l():\n" + "\n".join(
        f"  line {line} {why}: {code}" for line, why, code in found)
