"""The rule book the code cites is in the repository, and every citation of it lands on one of its headings."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "docs" / "domain.md"
SKIPPED = {".venv", "node_modules", "__pycache__", "translations"}
TEXT = {".py", ".md", ".html", ".txt", ".cfg", ".ini", ".toml"}
OLD_BOOK = "DOMAIN" + ".md"  # the file outside the repository that the code used to cite
CITATION = re.compile(r"domain\.md#([\w-]+)")


def _slug(heading):
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors():
    """The anchors of the book's headings (those inside code blocks aside), in order."""
    anchors, fenced = [], False
    for line in BOOK.read_text(encoding="utf-8").splitlines():
        fenced ^= line.startswith("```")
        if not fenced and (match := re.match(r"#{1,6} (.+)", line)):
            anchors.append(_slug(match[1]))
    return anchors


def _texts():
    """(path, text) of every text file of the checkout, virtualenv, caches and catalogs aside."""
    for path in sorted(ROOT.rglob("*")):
        parts = path.relative_to(ROOT).parts
        if any(part in SKIPPED or part.startswith(".") for part in parts[:-1]):
            continue
        if path.is_file() and (path.suffix in TEXT or path.name == "Makefile"):
            yield path.relative_to(ROOT), path.read_text(encoding="utf-8", errors="replace")


def test_the_book_s_anchors_are_unique():
    anchors = _anchors()
    assert anchors and len(anchors) == len(set(anchors))


def test_every_citation_of_the_book_names_one_of_its_headings():
    anchors = set(_anchors())
    cited = {(str(path), anchor) for path, text in _texts() for anchor in CITATION.findall(text)}
    cited |= {("docs/domain.md", anchor) for anchor in re.findall(r"\]\(#([\w-]+)\)", BOOK.read_text("utf-8"))}
    assert cited, "nothing cites docs/domain.md"
    assert sorted(c for c in cited if c[1] not in anchors) == []


def test_nothing_cites_the_rule_book_that_is_not_in_the_repository():
    assert [str(path) for path, text in _texts() if OLD_BOOK in text] == []
