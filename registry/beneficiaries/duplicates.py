"""Likely duplicates of a participant: same ID number, same phone, or a similar name born about the same time."""
import operator
from dataclasses import dataclass, field
from functools import reduce

from flask_babel import lazy_gettext as _l
from peewee import SQL, NodeList

from registry.beneficiaries.models import Beneficiary
from registry.beneficiaries.names import block_keys, khmer_key, latin_key, name_match, phonetic_key
from registry.beneficiaries.phones import phone_key

REASONS = {
    "id_number": _l("same ID number"),
    "phone": _l("same phone number"),
    "latin_exact": _l("same name in Latin letters"),
    "latin_similar": _l("similar name in Latin letters"),
    "khmer_exact": _l("same name in Khmer"),
    "khmer_similar": _l("similar name in Khmer"),
    "cross_script": _l("Khmer name sounds like the Latin name"),
    "birth_same_date": _l("same date of birth"),
    "birth_same_year": _l("born the same year"),
    "birth_close_year": _l("born within a year"),
    "birth_unknown": _l("birth date unknown"),
}
ID_NUMBER_KEY_LENGTH = 40  # the column's length
BIRTH_WINDOW = 1  # years either side for "close"
NAME_FIELDS = ("given_name", "family_name", "given_name_km", "family_name_km")
COMPARED = NAME_FIELDS + ("date_of_birth", "phone", "id_number_key", "match_birth_year")


@dataclass
class Match:
    """A registered participant who may be the same person, and why."""

    beneficiary: Beneficiary
    reasons: list = field(default_factory=list)

    def reason_text(self):
        """The reasons as people read them, in the user's language."""
        return ", ".join(str(REASONS[r]) for r in self.reasons)


def search_keys(data):
    """The search keys stored with a record, computed from its values."""
    born = data.get("date_of_birth")
    number = "".join(ch for ch in (data.get("id_document_number") or "") if ch.isalnum()).upper()
    return {
        "latin_key": latin_key(data.get("given_name"), data.get("family_name")),
        "phonetic_key": phonetic_key(data.get("given_name"), data.get("family_name")),
        "khmer_key": khmer_key(data.get("given_name_km"), data.get("family_name_km")),
        "id_number_key": number[:ID_NUMBER_KEY_LENGTH],  # upper() may lengthen it ("ß" → "SS")
        "match_birth_year": born.year if born else data.get("birth_year"),
        "name_blocks": name_blocks(data),
        "phone_key": phone_key(data.get("phone")),
    }


def name_blocks(data):
    """The block keys of a record's names as stored: sorted, one space between and around (" sabc kxx ")."""
    blocks = block_keys(data)
    return f" {' '.join(sorted(blocks))} " if blocks else ""


def _birth_reason(data, keys, other):
    """How the births compare, or None when they are too far apart for the same person."""
    born, year, other_year = data.get("date_of_birth"), keys["match_birth_year"], other["match_birth_year"]
    if year is None or other_year is None:
        return "birth_unknown"
    if born and other.get("date_of_birth") == born:
        return "birth_same_date"
    if other_year == year:
        return "birth_same_year"
    if abs(other_year - year) <= BIRTH_WINDOW:
        return "birth_close_year"
    return None


def compare(data, keys, other):
    """The reasons a record (data and its keys) and another (a dict of values and keys) look alike."""
    reasons = []
    if keys["id_number_key"] and keys["id_number_key"] == other.get("id_number_key"):
        reasons.append("id_number")
    if data.get("phone") and data["phone"] == other.get("phone"):
        reasons.append("phone")
    birth = _birth_reason(data, keys, other) if (keys["latin_key"] or keys["khmer_key"]) else None
    if birth:
        _score, reason = name_match(data, other)
        if reason:
            reasons.extend((reason, birth))
    return reasons


def _holds_block(block):
    """SQL: the stored name_blocks hold this block key (a whole key, as the spaces around it mark)."""
    # Khmer fields take any text: a backslash, % or _ in a key must stay a plain character.
    pattern = "% " + block.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + " %"
    return NodeList((Beneficiary.name_blocks, SQL("LIKE"), pattern, SQL("ESCAPE '\\'")))


def _name_candidates(keys):
    """Records that may carry the same name: born about the same time (or birth unknown), sharing a block key.

    With a birth year, a record is compared by name when it was born within the window (or its
    birth is unknown) and its names share a block key (names.block_keys: the first sounds of a
    name token), the rule the import uses (duplicate_index): a likely match always shares one,
    unless both names are misspelt at the start. A record with no blocks stored is compared too,
    as it was before the column was kept. Without a birth year, only records whose name keys are
    equal are taken, as a fuzzy comparison with the whole registry would be slow and mostly noise.
    """
    year = keys["match_birth_year"]
    if year is not None:
        born_close = (Beneficiary.match_birth_year.between(year - BIRTH_WINDOW, year + BIRTH_WINDOW)
                      | Beneficiary.match_birth_year.is_null())
        blocks = [Beneficiary.name_blocks == ""] + [_holds_block(b) for b in keys["name_blocks"].split()]
        return Beneficiary.listed().where(born_close & reduce(operator.or_, blocks))
    same = [getattr(Beneficiary, k) == keys[k] for k in ("phonetic_key", "khmer_key") if keys[k]]
    return Beneficiary.listed().where(reduce(operator.or_, same))


def find_duplicates(data, exclude_ids=(), limit=10):
    """Likely duplicates of the values of a record about to be saved, best first."""
    keys = search_keys(data)
    lookups = []
    if keys["id_number_key"]:
        lookups.append(Beneficiary.listed().where(Beneficiary.id_number_key == keys["id_number_key"]))
    if data.get("phone"):
        lookups.append(Beneficiary.listed().where(Beneficiary.phone == data["phone"]))
    if keys["latin_key"] or keys["khmer_key"]:
        lookups.append(_name_candidates(keys))
    # Plain values of the compared columns, not models: hundreds may share a first sound and the birth years.
    columns = [Beneficiary.id] + [getattr(Beneficiary, name) for name in COMPARED]
    others = Beneficiary.id.not_in(list(exclude_ids) or [0])
    values = {}
    for query in lookups:
        for row in query.where(others).select(*columns).dicts():
            values.setdefault(row["id"], row)
    reasons = {i: r for i, r in ((i, compare(data, keys, v)) for i, v in values.items()) if r}
    found = {b.id: b for b in Beneficiary.select().where(Beneficiary.id.in_(list(reasons) or [0]))}
    matches = [Match(found[i], r) for i, r in reasons.items()]
    matches.sort(key=lambda m: (-_strength(m), m.beneficiary.id))
    return matches[:limit]


def _strength(match):
    """Order matches: ID and phone first, then exact names, then the rest."""
    weights = {"id_number": 100, "phone": 60, "latin_exact": 40, "khmer_exact": 40, "birth_same_date": 30,
               "latin_similar": 25, "khmer_similar": 25, "cross_script": 15, "birth_same_year": 10}
    return sum(weights.get(r, 0) for r in match.reasons)
