"""The Khmer catalog is complete and safe: every message of a fresh extraction, nothing fuzzy, same placeholders.

The extraction runs here with the Makefile's own keywords, into a temporary file, so a string added to the
code or a template without `make i18n-extract` fails the suite rather than showing up in English.
"""
import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "registry" / "translations"
KHMER = TRANSLATIONS / "km" / "LC_MESSAGES" / "messages.po"
# %(name)s, %d, %.1f, and %% (which a template's _() turns into %, so it must be kept too).
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def _read(path):
    with path.open("rb") as handle:
        return read_po(handle)


def _ids(catalog):
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The message template as `make i18n-extract` would write it now."""
    makefile = (ROOT / "Makefile").read_text()
    keywords = re.findall(r"-k (\S+)", makefile.split("i18n-extract:", 1)[1].split("\n\n", 1)[0])
    assert keywords, "the Makefile's i18n-extract has no -k keywords: this test reads them from there"
    out = tmp_path_factory.mktemp("i18n") / "messages.pot"
    args = ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "--no-location", "--sort-output",
            "-o", str(out)]
    for keyword in keywords:
        args += ["-k", keyword]
    CommandLineInterface().run(args + [str(ROOT)])
    return _read(out)


@pytest.fixture(scope="module")
def khmer():
    return _read(KHMER)


def test_committed_template_is_current(extracted):
    committed = _ids(_read(TRANSLATIONS / "messages.pot"))
    fresh = _ids(extracted)
    assert not fresh - committed, f"run `make i18n-extract`: new messages {sorted(fresh - committed)}"
    assert not committed - fresh, f"run `make i18n-extract`: messages gone from the code {sorted(committed - fresh)}"


def test_khmer_catalog_has_every_extracted_message(extracted, khmer):
    missing = sorted(_ids(extracted) - _ids(khmer))
    assert not missing, f"not in the Khmer catalog (run `make i18n-extract`, then translate): {missing}"


def test_khmer_catalog_translates_every_message_and_nothing_is_fuzzy(khmer):
    empty = [m.id for m in khmer if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])]
    fuzzy = [m.id for m in khmer if m.id and m.fuzzy]
    assert not empty, f"untranslated: {empty}"
    assert not fuzzy, f"fuzzy (check the translation, then remove the flag): {fuzzy}"


def _placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def test_translations_keep_the_placeholders_of_their_message(khmer):
    wrong = []
    for message in khmer:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = _placeholders(ids[-1])
        for text in strings:
            # A plural form may leave out the number (Khmer has one form), never add or rename one.
            got = _placeholders(text)
            if got != expected and not (len(ids) > 1 and set(got) <= set(expected)):
                wrong.append(f"{ids[0]!r}: {expected} → {got} in {text!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)
