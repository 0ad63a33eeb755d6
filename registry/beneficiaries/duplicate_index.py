"""Likely duplicates for many records at once (an import): the registry loaded once, compared in memory.

The rules are duplicates.compare, the same as for one record; only the lookup differs, so that
checking 10,000 rows does not cost 30,000 queries.
"""
from collections import defaultdict

from registry.beneficiaries.duplicates import BIRTH_WINDOW, COMPARED, compare, search_keys
from registry.beneficiaries.models import Beneficiary
from registry.beneficiaries.names import block_keys


def _year_bucket(year):
    return "unknown" if year is None else year


class DuplicateIndex:
    """Records by ID number, phone, birth year and name key, each under a reference (a code or a row)."""

    def __init__(self):
        self._by = defaultdict(list)

    def add(self, reference, values):
        """Index a record's values (with its search keys) under a reference."""
        values["blocks"] = block_keys(values)
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
        """Records sharing an ID number or phone, or born close by with a name that may match."""
        seen = {}
        for lookup in (("id", keys["id_number_key"]), ("phone", data.get("phone")),
                       ("phonetic", keys["phonetic_key"]), ("khmer", keys["khmer_key"])):
            if lookup[1]:
                seen.update(self._by.get(lookup, ()))
        year = keys["match_birth_year"]
        if year is not None:
            blocks = block_keys(data)
            for bucket in [*range(year - BIRTH_WINDOW, year + BIRTH_WINDOW + 1), "unknown"]:
                # Only names that share a first sound can match: skip the rest of the year.
                seen.update(entry for entry in self._by.get(("year", bucket), ()) if entry[1]["blocks"] & blocks)
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
