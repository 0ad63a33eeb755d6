"""Likely duplicates for many records at once (an import): the registry loaded once, compared in memory.

The rules are duplicates.compare, the same as for one record; only the lookup differs, so that
checking 10,000 rows does not cost 30,000 queries.
"""
from collections import defaultdict

from registry.beneficiaries.duplicates import BIRTH_WINDOW, COMPARED, compare, search_keys
from registry.beneficiaries.models import Beneficiary


def _year_bucket(year):
    return "unknown" if year is None else year


class DuplicateIndex:
    """Records by ID number, phone, birth year and name key, each under a reference (a code or a row)."""

    def __init__(self):
        self._by = defaultdict(list)

    def add(self, reference, values):
        """Index a record's values (with its search keys) under a reference."""
        entry = (reference, values)
        for key in (("id", values.get("id_number_key")), ("phone", values.get("phone")),
                    ("year", _year_bucket(values.get("match_birth_year"))), ("phonetic", values.get("phonetic_key")),
                    ("khmer", values.get("khmer_key"))):
            if key[1] not in (None, ""):
                self._by[key].append(entry)

    @classmethod
    def from_registry(cls):
        """An index of every listed participant, keyed by code; one query."""
        index = cls()
        fields = [getattr(Beneficiary, name) for name in COMPARED + ("code", "phonetic_key", "khmer_key", "latin_key")]
        for row in Beneficiary.listed().select(*fields).dicts().iterator():
            index.add(row["code"], row)
        return index

    def _candidates(self, data, keys):
        year = keys["match_birth_year"]
        lookups = [("id", keys["id_number_key"]), ("phone", data.get("phone"))]
        if year is None:
            lookups += [("phonetic", keys["phonetic_key"]), ("khmer", keys["khmer_key"])]
        else:
            lookups += [("year", y) for y in range(year - BIRTH_WINDOW, year + BIRTH_WINDOW + 1)]
            lookups.append(("year", "unknown"))  # compared by name, as find_duplicates does
        seen = {}
        for lookup in lookups:
            if lookup[1] not in (None, ""):
                for reference, values in self._by.get(lookup, ()):
                    seen.setdefault(reference, values)
        return seen

    def find(self, data):
        """[(reference, reasons)] of the indexed records that look like data."""
        keys = search_keys(data)
        found = []
        for reference, values in self._candidates(data, keys).items():
            reasons = compare(data, keys, values)
            if reasons:
                found.append((reference, reasons))
        return found

    @staticmethod
    def values_of(data):
        """The values and search keys of a new record, as the index keeps them."""
        values = {name: data.get(name) for name in COMPARED if name in data}
        values.update(search_keys(data))
        return values
