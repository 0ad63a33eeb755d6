"""Hostile input for the property tests: Khmer, very long, control characters, odd dates and odd numbers.

Every strategy yields what a browser or a JSON client could send; none of it is meant to be valid,
though some of it is (a Khmer name is a good name), and the properties say what must then happen.
"""
import os
import re
import unicodedata

from hypothesis import HealthCheck, currently_in_test_context, event, settings
from hypothesis import strategies as st

# Khmer letters, vowels and signs (U+17B6-U+17D3 combine with the letter before them).
KHMER = st.characters(min_codepoint=0x1780, max_codepoint=0x17FF)
KHMER_SIGNS = st.characters(min_codepoint=0x17B6, max_codepoint=0x17D3)
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\ufeff"]
CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x1f", "\x7f", "\r", "\n", "\t", "\r\n", "\u0085",
            "\u2028", "\u2029", "\u202e", "\u202d", "\u2066", "\u200f"]
ODD_DATES = ["0000-00-00", "2026-02-30", "9999-12-31", "-1", "1e10", "2026-13-01", "2026-00-10", "20260301",
             "01/03/2026", "2026-03-01T00:00", "2026-3-1", " 2026-03-01", "0001-01-01", "1900-02-29", "2024-02-29",
             "១៩៩០-០១-០១", "\u0662\u0660\u0662\u0666-\u0660\u0663-\u0660\u0661", "2026-03-01\x00", ""]
ODD_NUMBERS = ["NaN", "nan", "-nan", "sNaN", "Infinity", "-Infinity", "inf", "-0", "0", "-1", "1e308", "1e309",
               "-1e308", "1e-20000", "1e999999", "0.001", "4.5", "12abc", "0x1A", "1_000", " 7 ", "៥", "５", "1e2",
               "9" * 30, "9" * 5000, "1" + "0" * 400, "", " ", "+", "1,5"]
# Values that are right somewhere, so that a field sometimes gets another field's good value.
PLAUSIBLE = ["female", "male", "02", "17", "at_risk", "returned_migrant", "yes", "no", "y", "USD", "KHR",
             "national_id", "phone", "visit", "wage_employed", "migrated_abroad", "012 345 678", "+855 12 345 678",
             "2001-03-15", "1990", "4", "250.50", "Sok", "Dara"]
# Latin letters with combining accents, which NFC composes: the name stored must be the composed one.
DECOMPOSED = ["Nguye\u0302\u0303n", "Sre\u0301y", "Ca\u0301c", "A\u030angstro\u0308m", "Ma\u0300i"]


@st.composite
def khmer_text(draw, max_size=30):
    """Khmer script, with and without zero-width spaces and stacked signs, sometimes spaced."""
    pieces = draw(st.lists(st.one_of(KHMER, KHMER_SIGNS, st.sampled_from(ZERO_WIDTH + [" ", "\u17d2"])),
                           min_size=1, max_size=max_size))
    return "".join(pieces)


def long_text(min_size=10_000, max_size=12_000):
    """A value of 10,000 characters or more: Latin, Khmer, spaces or a mix."""
    units = st.sampled_from(["a", "ក", "ស្រី ", "e\u0301", " ", "\u200b", "Sok Dara "])
    return st.builds(lambda unit, n: (unit * n)[:n], units, st.integers(min_size, max_size))


@st.composite
def with_controls(draw):
    """A name with control characters, line breaks or bidi overrides inside or around it."""
    name = draw(st.sampled_from(["Chanthy", "ចន្ធី", "Sok Dara", ""]))
    at = draw(st.integers(0, len(name)))
    control = draw(st.sampled_from(CONTROLS))
    return name[:at] + control + name[at:]


def hostile_text():
    """Text a person never types into a name, and text that is a good name in Khmer or with accents."""
    return st.one_of(khmer_text(), st.sampled_from(DECOMPOSED), with_controls(), long_text(),
                     st.text(max_size=40))


def hostile_value():
    """Any of the families above, for any field."""
    return st.one_of(hostile_text(), st.sampled_from(ODD_DATES), st.sampled_from(ODD_NUMBERS),
                     st.integers(min_value=-10**30, max_value=10**30).map(str), st.sampled_from(PLAUSIBLE))


def json_value():
    """A JSON value of any type, hostile numbers (NaN, Infinity, -0, 1e308, huge integers) included."""
    numbers = st.one_of(st.sampled_from([float("nan"), float("inf"), float("-inf"), -0.0, 1e308, 5e-324, 0.5]),
                        st.integers(min_value=-10**40, max_value=10**40), st.floats())
    scalars = st.one_of(st.none(), st.booleans(), numbers, hostile_value())
    return st.one_of(scalars, st.lists(scalars, max_size=3), st.dictionaries(st.text(max_size=5), scalars,
                                                                             max_size=2))


_ZERO_WIDTH = dict.fromkeys(map(ord, ZERO_WIDTH))


def stored_name(sent):
    """What a name field must hold once saved: NFC, no zero-width characters, single spaces, stripped."""
    return " ".join(unicodedata.normalize("NFC", sent).translate(_ZERO_WIDTH).split())


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control(text):
    """Tell whether text holds a control character that no stored text may hold."""
    return bool(_CONTROL.search(text))


def budget(examples):
    """Hypothesis settings for a property over the test client: a fixed number of examples, no deadline.

    BAD_INPUT_SCALE=10 tries ten times as many, for a longer search than the suite's ~40 s allow. The
    suite's examples are the same on every run (CI stays reproducible); BAD_INPUT_RANDOM=1 draws new ones.
    """
    return settings(max_examples=examples * int(os.environ.get("BAD_INPUT_SCALE", "1")), deadline=None, database=None,
                    derandomize=os.environ.get("BAD_INPUT_RANDOM") != "1",
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large, HealthCheck.large_base_example])


def answered(response):
    """Count the answer's status in Hypothesis's statistics (--hypothesis-show-statistics)."""
    if currently_in_test_context():
        event(f"answer {response.status_code}")
