"""Near-duplicate records: the same person registered again by another officer, as registries meet them."""
from registry.synthetic import vocabulary as words
from registry.synthetic.draws import weighted

SHARE = 0.015  # of the participants, registered a second time and not merged yet
RENAMES = {"spelling": 45, "swap": 25, "one_script": 30}


def misspell(name, rng):
    """A name as another officer may write it: a letter doubled, or an h at the end."""
    if rng.random() < 0.5 and not name.endswith("h"):
        return name + "h"
    at = rng.randrange(1, len(name))
    return name[:at] + name[at] + name[at:]


def respell(name, rng):
    """Another known Latin spelling of a name (Sophal, Sophall), or a misspelling."""
    return rng.choice(words.SPELLINGS[name]) if name in words.SPELLINGS else misspell(name, rng)


def _renamed(original, rng):
    """The names as written the second time: spelt another way, given and family swapped, or one script only."""
    latin = original["given_name"] and original["family_name"]
    khmer = original["given_name_km"] and original["family_name_km"]
    how = weighted(rng, RENAMES) if latin else "same"
    if how == "spelling":
        field = rng.choice(("given_name", "family_name"))
        return {field: respell(original[field], rng)}
    if how == "swap":
        return {"given_name": original["family_name"], "family_name": original["given_name"]}
    if how == "one_script" and khmer:
        return rng.choice(({"given_name": "", "family_name": ""}, {"given_name_km": "", "family_name_km": ""}))
    return {}


def _reborn(original, rng):
    """The birth as given the second time: the same date (half), the year only, or a year off."""
    born = original["date_of_birth"]
    year, draw = born.year if born else original["birth_year"], rng.random()
    if year is None or draw < 0.5:
        return {}
    if born is None:
        return {"birth_year": year + rng.choice((-1, 0, 1))}
    return {"date_of_birth": None, "birth_year": year if draw < 0.8 else year + rng.choice((-1, 1))}


def _retyped(number, rng):
    """The same ID number typed another way: spaced, lower case or without its dash (one search key)."""
    if "-" in number:
        return number.replace("-", "")
    if number[0].isalpha():
        return number.lower()
    return " ".join(number[i:i + 3] for i in range(0, len(number), 3)) if rng.random() < 0.5 else number


def near_duplicate(original, people, registered_on):
    """The values of a second record of the person of original, registered on another day.

    The phone or the ID number are often the same, the names alike, the birth the same or close:
    what the registry's duplicate search is built to catch.
    """
    rng = people.rng
    values = {**original, **_renamed(original, rng), **_reborn(original, rng), "registered_on": registered_on,
              "consent_on": registered_on if original["consent_on"] else None,
              "village": rng.choice((original["village"], rng.choice(words.PLACES)))}
    if not (original["phone"] and rng.random() < 0.5):
        values["phone"] = people.phone() if rng.random() < 0.4 else ""
    if original["id_document_number"] and rng.random() < 0.4:
        values["id_document_number"] = _retyped(original["id_document_number"], rng)
    else:
        values["id_document_type"], values["id_document_number"] = None, ""
    return values
