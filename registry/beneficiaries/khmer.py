"""Khmer script for duplicate search: canonical order of typed names, and a simple romanisation.

Khmer is typed as a base letter followed by marks, and keyboards let the marks be typed in
any order while the text still renders the same; Unicode normalisation does not fix that.
`normalise` puts each cluster in the order of the Khmer character specification (Unicode
core specification, Khmer section): base, robat, subscripts (subscript RO last), register
shifter, dependent vowel, other signs.
"""
import re

COENG = "\u17d2"
_RO = "\u179a"
_ROBAT = "\u17cc"
_SHIFTERS = "\u17c9\u17ca"
_MUUSIKATOAN = "\u17c9"  # moves a second-series consonant to the first series
_BANTOC = "\u17cb"
_SILENT = "\u17cd\u17d1"  # toandakhiat, viriam: the consonant is not pronounced
# Invisible characters: zero-width space/non-joiner/joiner, BOM, and the two "inherent vowel"
# code points that Unicode says not to use (they render nothing).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u17b4\u17b5"))
# Two-part vowels typed as their two visible halves, in either order.
_COMPOSITE = {"\u17c1\u17b8": "\u17be", "\u17b8\u17c1": "\u17be",
              "\u17c1\u17b6": "\u17c4", "\u17b6\u17c1": "\u17c4"}
# Subscript DA and subscript TA look the same in common fonts, so both spellings occur.
_SUBSCRIPT_DA, _SUBSCRIPT_TA = COENG + "\u178a", COENG + "\u178f"
_SPACES = re.compile(r"[\s\u200b\u200c\u200d\ufeff]+")

# Ranks of the marks after the base, in canonical order.
_ROBAT_RANK, _SUBSCRIPT, _SUBSCRIPT_RO, _SHIFTER, _VOWEL, _SIGN = range(1, 7)


def is_consonant(ch):
    """True for a Khmer consonant letter (U+1780-U+17A2)."""
    return "\u1780" <= ch <= "\u17a2"


def _is_mark(ch):
    """True for a sign that belongs to the preceding base (vowel signs, diacritics, COENG)."""
    return "\u17b4" <= ch <= "\u17d3" or ch == "\u17dd"


def _rank(unit):
    """The position of a unit within its cluster in canonical order."""
    if unit.startswith(COENG) and len(unit) == 2:
        return _SUBSCRIPT_RO if unit[1] == _RO else _SUBSCRIPT
    if unit == _ROBAT:
        return _ROBAT_RANK
    if unit in _SHIFTERS:
        return _SHIFTER
    if "\u17b6" <= unit <= "\u17c5":
        return _VOWEL
    return _SIGN


def _units(text):
    """Split text into units: COENG with its consonant is one unit, any other character is one."""
    units, i = [], 0
    while i < len(text):
        pair = text[i:i + 2]
        step = 2 if len(pair) == 2 and pair[0] == COENG and is_consonant(pair[1]) else 1
        units.append(text[i:i + step])
        i += step
    return units


def clusters(text):
    """Split Khmer text into clusters (a base and its marks), each in canonical order."""
    text = text.translate(_INVISIBLE).replace(_SUBSCRIPT_DA, _SUBSCRIPT_TA)
    result = []
    for unit in _units(text):
        if result and _is_mark(unit[0]):
            result[-1].append(unit)
        else:
            result.append([unit])
    return [_ordered(cluster) for cluster in result]


def _ordered(cluster):
    """Sort a cluster's marks into canonical order (stable), then compose two-part vowels."""
    head = [] if _is_mark(cluster[0][0]) else cluster[:1]
    marks = sorted(cluster[len(head):], key=_rank)
    text = "".join(head + marks)
    for pair, composite in _COMPOSITE.items():
        text = text.replace(pair, composite)
    return text


def normalise(text):
    """Khmer text without spaces or invisible characters, each cluster in canonical order."""
    return "".join(clusters(_SPACES.sub("", text or "")))


# Romanisation, roughly as Cambodian names are spelt in passports. Each consonant belongs to
# the first (a) or second (o) series, and the series chooses how a vowel sign is read.
# letter: (as onset, as final consonant, series); rows follow the Khmer alphabet.
_CONSONANTS = {
    "ក": ("k", "k", 1), "ខ": ("kh", "k", 1), "គ": ("k", "k", 2), "ឃ": ("kh", "k", 2), "ង": ("ng", "ng", 2),
    "ច": ("ch", "ch", 1), "ឆ": ("chh", "ch", 1), "ជ": ("ch", "ch", 2), "ឈ": ("chh", "ch", 2), "ញ": ("nh", "nh", 2),
    "ដ": ("d", "t", 1), "ឋ": ("th", "th", 1), "ឌ": ("d", "t", 2), "ឍ": ("th", "th", 2), "ណ": ("n", "n", 1),
    "ត": ("t", "t", 1), "ថ": ("th", "th", 1), "ទ": ("t", "t", 2), "ធ": ("th", "th", 2), "ន": ("n", "n", 2),
    "ប": ("b", "p", 1), "ផ": ("ph", "p", 1), "ព": ("p", "p", 2), "ភ": ("ph", "p", 2), "ម": ("m", "m", 2),
    "យ": ("y", "y", 2), "រ": ("r", "r", 2), "ល": ("l", "l", 2), "វ": ("v", "o", 2),
    "ឝ": ("s", "s", 1), "ឞ": ("s", "s", 1), "ស": ("s", "s", 1), "ហ": ("h", "h", 1), "ឡ": ("l", "l", 1),
    "អ": ("", "", 1),
}
# vowel sign: (after a first-series consonant, after a second-series consonant)
_VOWELS = {
    "\u17b6": ("a", "ea"), "\u17b7": ("e", "i"), "\u17b8": ("ey", "i"), "\u17b9": ("oe", "i"),
    "\u17ba": ("oe", "eu"), "\u17bb": ("o", "u"), "\u17bc": ("ou", "ou"), "\u17bd": ("uo", "uo"),
    "\u17be": ("aeu", "eu"), "\u17bf": ("oeu", "oeu"), "\u17c0": ("ea", "ea"), "\u17c1": ("e", "e"),
    "\u17c2": ("ae", "e"), "\u17c3": ("ai", "ey"), "\u17c4": ("ao", "o"), "\u17c5": ("ao", "ov"),
}
# vowel-like sign: (on a bare first-series consonant, on a bare second-series one, after a vowel)
_SIGNS = {
    "\u17c6": ("am", "um", "m"),     # nikahit
    "\u17c7": ("ah", "eah", "h"),    # reahmuk
    "\u17c8": ("ak", "eak", "k"),    # yuukaleapintu
    "\u17d0": ("a", "ea", ""),       # samyok sannya: a short vowel before the final
}
_INDEPENDENT_VOWELS = {
    "ឣ": "a", "ឤ": "a", "ឥ": "e", "ឦ": "ei", "ឧ": "o", "ឨ": "ok", "ឩ": "ou", "ឪ": "ov",
    "ឫ": "rue", "ឬ": "rueu", "ឭ": "lue", "ឮ": "lueu", "ឯ": "ae", "ឰ": "ai", "ឱ": "ao",
    "ឲ": "ao", "ឳ": "au",
}
# The unwritten vowel of a bare consonant: "o" is as common for the second series, but "a"
# matches more name spellings (Makara, Vannak, Sovann).
_INHERENT = "a"


def _parts(cluster):
    """A cluster's base, subscript consonants, series, vowel sign (or ""), and other signs."""
    base, units = cluster[0], _units(cluster[1:])
    subscripts = [u[1] for u in units if len(u) == 2]
    series = _CONSONANTS[base][2]
    if any(u in _SHIFTERS for u in units):
        series = 1 if _MUUSIKATOAN in units else 2
    vowel = next((u for u in units if u in _VOWELS), "")
    signs = [u for u in units if len(u) == 1 and u not in _VOWELS]
    return base, subscripts, series, vowel, signs


def _romanise_word(word):
    """Romanise one Khmer word (no spaces), syllable by syllable."""
    out, units = [], clusters(word)
    open_syllable = explicit_vowel = False  # whether the previous syllable may take a final
    for i, cluster in enumerate(units):
        if cluster[0] in _INDEPENDENT_VOWELS:
            out.append(_INDEPENDENT_VOWELS[cluster[0]])
            open_syllable = explicit_vowel = True
        elif is_consonant(cluster[0]):
            is_last = i == len(units) - 1
            following = units[i + 1] if not is_last else ""
            text, open_syllable, explicit_vowel = _romanise_cluster(
                cluster, open_syllable, explicit_vowel, is_last, following)
            out.append(text)
    return "".join(out)


def _is_bare(cluster):
    """True for a consonant cluster with no vowel sign and no vowel-like sign."""
    return is_consonant(cluster[0]) and not any(ch in _VOWELS or ch in _SIGNS for ch in cluster)


def _is_final(cluster, open_syllable, explicit_vowel, following):
    """Guess whether a cluster is the final consonant of the previous syllable."""
    if _BANTOC in cluster:
        return True
    if not (_is_bare(cluster) and open_syllable):
        return False
    # A bare consonant before another bare one, or before a base with a subscript, starts a
    # syllable (សុផល = So-phal, សុគន្ធា = So-kun-thea); inherent-vowel syllables stay open (មករា).
    return not following or (explicit_vowel and not _is_bare(following) and COENG not in following)


def _romanise_cluster(cluster, open_syllable, explicit_vowel, is_last, following):
    """Romanise one consonant cluster: (text, open_syllable, explicit_vowel) for the next one."""
    base, subscripts, series, vowel, signs = _parts(cluster)
    onset, final = _CONSONANTS[base][0], _CONSONANTS[base][1]
    if any(s in _SILENT for s in signs):
        return "", open_syllable, explicit_vowel
    if _is_final(cluster, open_syllable, explicit_vowel, following):
        # A final consonant; the subscripts of a word-final cluster are silent (ច័ន្ទ = Chan).
        if is_last or not subscripts:
            return final, False, False
        return final + "".join(_CONSONANTS[s][0] for s in subscripts) + _INHERENT, True, False
    # A base after an open syllable that carries subscripts closes that syllable (បុប្ផា =
    # Bop-pha), and the vowel is then read in the series of the subscript (ចន្ថា = Chan-tha).
    head = final if subscripts and open_syllable else onset
    if subscripts and open_syllable and not any(u in _SHIFTERS for u in cluster):
        series = _CONSONANTS[subscripts[-1]][2]
    head += "".join(_CONSONANTS[s][0] for s in subscripts)
    vowel_text = _VOWELS[vowel][series - 1] if vowel else ""
    sign_text = "".join(_SIGNS[s][2 if vowel else series - 1] for s in signs if s in _SIGNS)
    if not vowel and not sign_text:
        vowel_text = _INHERENT
    closed = bool(sign_text) and not sign_text.endswith("a")
    return head + vowel_text + sign_text, not closed, bool(vowel) or bool(sign_text)


def khmer_to_latin(khmer_text):
    """A simple romanisation of a Khmer name, word by word, for comparison with Latin spellings.

    Table-driven: consonants as onset or final (_CONSONANTS), vowel signs read by the series
    of their consonant (_VOWELS, _SIGNS), independent vowels as they are. Which bare consonant
    closes a syllable is a guess (_is_final), so this is for fuzzy comparison only.
    """
    words = _SPACES.split(khmer_text or "")
    return " ".join(filter(None, (_romanise_word(w) for w in words)))
