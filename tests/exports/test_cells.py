"""Formula-like text is written as text."""
import io

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from exports.cells import FORMULA_STARTS, NEEDS_CARE, looks_like_formula, safe_row


@pytest.mark.parametrize("text", ["=1+2", "+855 12 345 678", "-5", "@SUM(A1)", "\tx", '=HYPERLINK("http://x")'])
def test_formula_like_text_comes_back_as_the_same_text(text):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(safe_row(sheet, [text, "plain", 42]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    cells = list(load_workbook(buffer).active.iter_rows(values_only=False))[0]
    assert [c.value for c in cells] == [text, "plain", 42]
    assert cells[0].data_type == "s"


def test_carriage_return_start_is_written_as_text():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(safe_row(sheet, ["\r=1+2"]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    cell = load_workbook(buffer).active["A1"]
    assert cell.data_type == "s"  # XML reads the carriage return back as a newline; still text


def test_only_text_with_formula_starts_is_flagged():
    assert looks_like_formula("=A1") and looks_like_formula("@x")
    assert not looks_like_formula("Sok") and not looks_like_formula(-5) and not looks_like_formula(None)


def test_the_one_search_finds_exactly_what_needs_care():
    # Long lists skip text that NEEDS_CARE does not find: it must find every formula start and every
    # character XML cannot hold, wherever it is, and nothing else.
    for code in range(0x80):
        char = chr(code)
        for text in (char + "x", "x" + char, "x" + char + "x"):
            expected = looks_like_formula(text) or ILLEGAL_CHARACTERS_RE.search(text) is not None
            assert (NEEDS_CARE.search(text) is not None) == expected, repr(text)
    assert all(NEEDS_CARE.search(start) for start in FORMULA_STARTS)
    assert NEEDS_CARE.search("សុខ ចាន់ធី") is None and NEEDS_CARE.search("") is None
