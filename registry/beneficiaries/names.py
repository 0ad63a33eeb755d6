"""Participant names: how they are stored, and the keys and scores used to find likely duplicates.

Pure functions (no Flask, no database). Every key treats a name field as one token: spaces,
hyphens and punctuation inside a field are dropped, so "Srey Neang", "Srey-Neang" and
"Sreyneang" agree; the field tokens are then sorted and joined by one space, so swapping given
and family name does not matter. A whole name typed into one field is caught by `name_match`,
which also compares the two fields run together in either order.
"""
import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from registry.beneficiaries.khmer import khmer_to_latin, normalise

__all__ = ["clean_name", "latin_key", "phonetic_key", "khmer_key", "khmer_to_latin", "name_match", "block_keys"]

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"))
_SPACES = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[\W_]+")
# Letters that look Latin but are not, as left by a Cyrillic keyboard layout, and the
# Vietnamese d with stroke, which has no decomposition.
_LOOKALIKES = str.maketrans("авекмнорстухіјѕđ", "abekmhopctyxijsd")

# Thresholds on a 0-100 similarity, chosen with tools/measure_name_matching.py --sweep.
# Latin fields: optimal-string-alignment similarity (a swapped pair of letters is one typo),
# so one typo is accepted in a name of six letters or more (Sopahl 83, Chanthy/Chantyh 86).
LATIN_FUZZY_MIN = 83
LATIN_FUZZY_MIN_LENGTH = 6  # shorter names differ by one letter (Heng/Heang, Pisal/Visal):
                            # they must have the same phonetic key
KHMER_FUZZY_MIN = 88     # rapidfuzz ratio per field: one changed sign scores 89 in a field of
                         # nine code points; shorter fields need the same romanised sound
CROSS_SCRIPT_MIN = 85    # rapidfuzz ratio of the phonetic keys; the romanisation is rough
PHONETIC_SCORE = 95      # Latin fields spelt differently with the same phonetic key
KHMER_SOUND_SCORE = 90   # Khmer fields spelt differently that romanise to the same key
CROSS_SCRIPT_MAX = 90    # cross-script evidence never ranks with an exact match in one script
DIFFERENT_BELOW = 70     # names in one script this far apart veto a match found in the other
# The size of the key columns. Two names of 100 characters, or letters that fold to several
# (ß to ss, the ligature ﷺ to 15), make longer keys; PostgreSQL refuses those, so they are cut.
KEY_LENGTH = 200


def clean_name(text):
    """A name as it is stored: NFC, no zero-width characters or BOM, single spaces, stripped."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", str(text)).translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()


def _fold(field):
    """A field without accents, case or look-alike letters; words still separated."""
    text = unicodedata.normalize("NFKD", clean_name(field).casefold().translate(_LOOKALIKES))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@lru_cache(maxsize=32768)
def _latin_token(field):
    """One field for Latin comparison: folded, letters and digits only, words run together."""
    return _SEPARATORS.sub("", _fold(field))


def latin_key(given, family):
    """Duplicate-search key for Latin names: accent-, case-, spacing- and order-independent."""
    return " ".join(sorted(filter(None, (_latin_token(given), _latin_token(family)))))[:KEY_LENGTH]


# Sound-alike rules for Latin spellings of Khmer names, applied in this order to a field token.
_PHONETIC_RULES = [
    (re.compile(r"([a-z])\1+"), r"\1"),            # doubled letters: Sophall, Vannak, Boppha
    (re.compile(r"(?<=[b-df-hj-mp-tv-z])h|(?<=[aeiou])h$"), ""),  # h after a consonant but n,
                                                   # or ending a word: Sokh, Chanthy, Darah;
                                                   # nh (ញ) stays: Menh is not Meng or Men
    (re.compile(r"y(?![aeiou])"), "i"),            # y used as a vowel: Kym, Rithy, Srey
    (re.compile(r"(ea|eu|oeu|ou|uo)r(?![aeiou])"), r"\1"),  # silent r after a vowel group: Chear
    (re.compile(r"[aeiou]+"), lambda m: _VOWEL_GROUPS.get(m.group(), m.group())),
    (re.compile(r"([a-z])\1+"), r"\1"),            # doubles made by the rules above
]
# Vowel spellings that stand for the same Khmer vowel. Not merged: ea/e (Heang, Heng), and a
# final consonant is never dropped except h (Pisey/Piseth, Sophea/Sopheap stay apart).
_VOWEL_GROUPS = {
    "ei": "i", "ii": "i",          # Chanthey, Srei (after y became i)
    "u": "o", "oo": "o",           # Bupha/Bopha, Sun/Son
    "ou": "uo",                    # Suon/Soun (ួ) keep apart from o/u
    "oeu": "eu", "oe": "eu",       # Chamroeun/Chamreun
    "au": "ao",                    # Chau/Chao
}


@lru_cache(maxsize=32768)
def _sound(token):
    """Apply the sound-alike rules to a folded token (a field with its spaces removed)."""
    for pattern, replacement in _PHONETIC_RULES:
        token = pattern.sub(replacement, token)
    return token


def phonetic_key(given, family):
    """Sound-alike key for Latin spellings of Khmer names, independent of spacing and field order.

    Each field is folded like latin_key, then, in order: doubled letters become one; h is
    dropped after a consonant other than n and at the end (kh=k, th=t, ph=p, ch=c, chh=c);
    y not followed by a vowel becomes i; r is dropped after ea, eu, oeu, ou, uo when no vowel
    follows; vowel groups ei/ii=i, u/oo=o, ou=uo, oeu/oe=eu, au=ao; doubled letters again.
    So Sok/Sokh, Chanthy/Chanthi/Chanthey, Sreyneang/Srey Neang, Bopha/Bupha/Boppha,
    Chea/Chear and Kim/Kym collide, while Pisey/Piseth, Heng/Heang, Meng/Menh, Sun/Suon and
    Sophea/Sopheap stay apart. The field keys are sorted and joined by one space.
    """
    tokens = (_sound(_latin_token(given)), _sound(_latin_token(family)))
    return " ".join(sorted(filter(None, tokens)))[:KEY_LENGTH]


@lru_cache(maxsize=32768)
def _khmer_token(field):
    """One Khmer field: cleaned, without spaces, each cluster in canonical order."""
    return normalise(clean_name(field))


def khmer_key(given_km, family_km):
    """Duplicate-search key for Khmer names: canonical sign order, no spaces, order-independent."""
    return " ".join(sorted(filter(None, (_khmer_token(given_km), _khmer_token(family_km)))))[:KEY_LENGTH]


@lru_cache(maxsize=32768)
def _khmer_sound(token):
    """A Khmer token romanised and reduced by the sound-alike rules."""
    return _sound(_latin_token(khmer_to_latin(token)))


def _latin_score(x, y):
    """Similarity of two Latin tokens: edit similarity, or PHONETIC_SCORE when they sound alike."""
    long_enough = min(len(x), len(y)) >= LATIN_FUZZY_MIN_LENGTH
    ratio = OSA.normalized_similarity(x, y) * 100 if long_enough else 0
    return max(ratio, PHONETIC_SCORE) if _sound(x) == _sound(y) else ratio


def _khmer_score(x, y):
    """Similarity of two Khmer tokens: fuzzy ratio, or KHMER_SOUND_SCORE when they read alike."""
    ratio = fuzz.ratio(x, y)
    sound = _khmer_sound(x)
    return max(ratio, KHMER_SOUND_SCORE) if sound and sound == _khmer_sound(y) else ratio


def _cross_score(khmer, latin):
    """Similarity of a Khmer token and a Latin token, compared as sound-alike keys."""
    # Names often spell ត as d (ធីតា Thida, ចិន្តា Chenda), so d and t count as one letter here.
    return fuzz.ratio(_khmer_sound(khmer).replace("d", "t"), _sound(latin).replace("d", "t"))


def _joined(parts):
    """A name's fields run together, in either order."""
    return {"".join(parts), "".join(reversed(parts))}


def _aligned(parts_a, parts_b, score):
    """Field-by-field score (the weaker field counts), given and family possibly swapped.

    When one name has a single field (a whole name typed in one box), the names are compared
    run together instead.
    """
    if len(parts_a) == 2 and len(parts_b) == 2:
        straight = min(score(parts_a[0], parts_b[0]), score(parts_a[1], parts_b[1]))
        swapped = min(score(parts_a[0], parts_b[1]), score(parts_a[1], parts_b[0]))
        return max(straight, swapped)
    return max(score(x, y) for x in _joined(parts_a) for y in _joined(parts_b))


def _evidence(parts_a, parts_b, score, minimum, reasons):
    """(100, exact reason) if the fields run together agree, else (score, similar reason) or no match."""
    if not parts_a or not parts_b:
        return 0, None
    if _joined(parts_a) & _joined(parts_b):
        return 100, reasons[0]
    value = _aligned(parts_a, parts_b, score)
    return (min(int(value), 99), reasons[1]) if value >= minimum else (0, None)


def _fields(person, suffix, token):
    """The non-empty tokens of a person's given and family name (suffix "" or "_km")."""
    values = (token(person.get("given_name" + suffix)), token(person.get("family_name" + suffix)))
    return [v for v in values if v]


def _differ(parts_a, parts_b, score):
    """Both have a name in this script and the names are clearly different, not a typo apart.

    Such names veto evidence from the other script: two people who share only a Khmer family
    name (ពេជ្រ) but are Pich Rattanak and Pich Theary in Latin letters are not the same name.
    """
    if not parts_a or not parts_b or _joined(parts_a) & _joined(parts_b):
        return False
    return _aligned(parts_a, parts_b, score) < DIFFERENT_BELOW


def block_keys(person):
    """Short keys that any likely match shares with a person: the first sounds of each name token.

    Latin tokens and romanised Khmer tokens share one namespace (so cross-script matches
    meet), and raw Khmer tokens add their first two characters. Used to avoid comparing a
    name with every record born the same year; two typos at the start of both names defeat it.
    """
    keys = {"s" + _sound(t)[:3] for t in _fields(person, "", _latin_token)}
    for token in _fields(person, "_km", _khmer_token):
        keys.add("k" + token[:2])
        keys.add("s" + _khmer_sound(token)[:3])
    return keys - {"s"}


def _cross_script_evidence(khmer_side, latin_side):
    """Khmer fields of one person against the Latin fields of the other."""
    parts_km = _fields(khmer_side, "_km", _khmer_token)
    parts_latin = _fields(latin_side, "", _latin_token)
    if not parts_km or not parts_latin:
        return 0, None
    value = _aligned(parts_km, parts_latin, _cross_score)
    if value < CROSS_SCRIPT_MIN:
        return 0, None
    return min(int(value), CROSS_SCRIPT_MAX), "cross_script"


def name_match(a, b):
    """Best evidence that two participants' names are the same: (score 0-100, reason or None).

    a and b are dicts with given_name, family_name, given_name_km, family_name_km (any may be
    missing, "" or None). Names are compared field by field, given and family possibly swapped,
    and the weaker field decides; a name typed whole into one field is compared run together.
    Reasons and scores:
    - "latin_exact", "khmer_exact" (100): the same letters once the fields are run together.
    - "latin_similar": per field, the OSA similarity of the Latin tokens (when both have at
      least LATIN_FUZZY_MIN_LENGTH letters), or 95 when their phonetic keys agree; matched at
      LATIN_FUZZY_MIN or more.
    - "khmer_similar": per field, the ratio of the Khmer tokens, or 90 when they romanise to the
      same phonetic key; matched at KHMER_FUZZY_MIN or more.
    - "cross_script": Khmer fields romanised against Latin fields, ratio of the phonetic keys;
      matched at CROSS_SCRIPT_MIN or more, scored at most CROSS_SCRIPT_MAX (experimental).
    On equal scores the earlier reason wins. A name match alone is not a duplicate: the caller
    weighs it with birth date, phone and ID number.
    """
    a, b = a or {}, b or {}
    latin_a, latin_b = _fields(a, "", _latin_token), _fields(b, "", _latin_token)
    khmer_a, khmer_b = _fields(a, "_km", _khmer_token), _fields(b, "_km", _khmer_token)
    if _differ(latin_a, latin_b, _latin_score) or _differ(khmer_a, khmer_b, _khmer_score):
        return 0, None
    evidence = [
        _evidence(latin_a, latin_b, _latin_score, LATIN_FUZZY_MIN, ("latin_exact", "latin_similar")),
        _evidence(khmer_a, khmer_b, _khmer_score, KHMER_FUZZY_MIN, ("khmer_exact", "khmer_similar")),
        _cross_script_evidence(a, b),
        _cross_script_evidence(b, a),
    ]
    best = max(evidence, key=lambda item: item[0])
    return best if best[0] > 0 else (0, None)
