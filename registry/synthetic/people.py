"""Synthetic participants: names in Latin and Khmer script, births, phones, ID documents, and their rows.

`People` is the plain generator the benchmarks register and import (names, birth, phone,
province, category); `Participants` adds everything a national registry holds (documents,
migration history, vulnerability, baseline, consent). Rows carry the search keys that the
services compute (registry.beneficiaries.duplicates.search_keys), so duplicate search works on them.
"""
from datetime import date, datetime, timedelta
from decimal import Decimal

from registry.beneficiaries.duplicates import search_keys
from registry.beneficiaries.models import Beneficiary, format_code
from registry.synthetic import vocabulary as words
from registry.synthetic.draws import Weighted

FIRST_BORN, LAST_BORN = date(1960, 1, 1), date(2010, 12, 31)
# Age at registration: mostly young adults, as in livelihood programs.
AGES = Weighted({(15, 19): 15, (20, 24): 25, (25, 29): 22, (30, 39): 25, (40, 55): 13})
SCRIPTS = Weighted({"both": 75, "latin": 15, "khmer": 10})
SHARED_PHONE = 0.03  # people who give the phone of someone in their household
EARNING = ("wage_employed", "self_employed")


class People:
    """A generator of plain synthetic participants, with phone numbers never handed out twice."""

    def __init__(self, rng):
        self.rng = rng
        self.phones = set()

    def phone(self):
        """A new Cambodian mobile number in E.164."""
        while True:
            prefix, digits = self.rng.choice(words.PHONE_PREFIXES)
            number = f"+855{prefix}{self.rng.randint(2, 9)}{self.rng.randrange(10 ** (digits - 1)):0{digits - 1}d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def birth(self):
        """(date_of_birth, birth_year): a date, or for one in five only an estimated year."""
        born = FIRST_BORN + timedelta(days=self.rng.randrange((LAST_BORN - FIRST_BORN).days + 1))
        return (None, born.year) if self.rng.random() < 0.2 else (born, None)

    def names(self):
        """Latin family and given names, with Khmer spellings (where known) for about half."""
        family, given = self.rng.choice(words.FAMILY_NAMES), self.rng.choice(words.GIVEN_NAMES)
        khmer = self.rng.random() < 0.5
        return {"family_name": family, "given_name": given,
                "family_name_km": words.KHMER.get(family, "") if khmer else "",
                "given_name_km": words.KHMER.get(given, "") if khmer else ""}

    def person(self):
        """The editable values of one new participant."""
        born, year = self.birth()
        return {**self.names(), "sex": self.rng.choice(("female", "male")), "date_of_birth": born,
                "birth_year": year, "phone": self.phone() if self.rng.random() < 0.7 else "",
                "province": f"{self.rng.randint(1, 25):02d}",
                "category": self.rng.choice(("returned_migrant", "at_risk")),
                "consent_data_use": True, "consent_on": date(2026, 1, 15)}


def _ranked(names):
    """Names weighted by rank: the first of the list (the most common) drawn most often."""
    return Weighted({name: 1 / (rank + 3) for rank, name in enumerate(names)})


_ALL_FAMILIES = words.FAMILY_NAMES + words.MORE_FAMILY_NAMES
FAMILIES = {"latin": _ranked(_ALL_FAMILIES), "khmer": _ranked([f for f in _ALL_FAMILIES if f in words.KHMER])}


def _given(sex, script):
    """Given names for a sex (not those mostly borne by the other), all with a Khmer spelling for script khmer."""
    other = {"female": words.MALE, "male": words.FEMALE}.get(sex, set())
    return Weighted(dict.fromkeys(
        [g for g in words.GIVEN_NAMES if g not in other and (script == "latin" or g in words.KHMER)], 1))


GIVEN = {(sex, script): _given(sex, script) for sex in words.SEX for script in ("latin", "khmer")}
DRAWS = {name: Weighted(getattr(words, name)) for name in (
    "SEX", "CATEGORY", "DESTINATIONS", "SECTORS_ABROAD", "RETURN_MODE", "REGULAR", "EDUCATION", "ID_DOCUMENT")}


class Participants(People):
    """The full record of synthetic participants: every field a national registry fills."""

    def __init__(self, rng):
        super().__init__(rng)
        self.numbers = set()  # ID numbers handed out
        self.households = {}  # province: recent phones, for people who share one

    def scripts_names(self, sex):
        """Names in both scripts for most people, in Latin or Khmer only for some."""
        scripts = SCRIPTS.draw(self.rng)
        pool = "latin" if scripts == "latin" else "khmer"
        family, given = FAMILIES[pool].draw(self.rng), GIVEN[sex, pool].draw(self.rng)
        latin, khmer = scripts != "khmer", scripts != "latin"
        return {"family_name": family if latin else "", "given_name": given if latin else "",
                "family_name_km": words.KHMER[family] if khmer else "",
                "given_name_km": words.KHMER[given] if khmer else ""}

    def birth_before(self, registered_on):
        """(date_of_birth, birth_year) for someone of a program's age; one in five knows only the year."""
        low, high = AGES.draw(self.rng)
        born = registered_on - timedelta(days=self.rng.randint(low * 365 + 1, high * 365 + 364))
        return (None, born.year) if self.rng.random() < 0.2 else (born, None)

    def shared_phone(self, province):
        """A phone for the person: their own, a household member's, or none."""
        rng, recent = self.rng, self.households.setdefault(province, [])
        if rng.random() > 0.75:
            return ""
        if recent and rng.random() < SHARED_PHONE:
            return rng.choice(recent)
        phone = self.phone()
        recent.append(phone)
        del recent[:-50]
        return phone

    def document(self, province, migrant):
        """(ID document type, number) or (None, "")."""
        kind = "passport" if migrant and self.rng.random() < 0.12 else DRAWS["ID_DOCUMENT"].draw(self.rng)
        while kind:
            number = {"national_id": lambda: f"{province}{self.rng.randrange(10 ** 7):07d}",
                      "idpoor": lambda: f"{province}{self.rng.randint(1, 99):02d}-{self.rng.randrange(10 ** 6):06d}",
                      "passport": lambda: f"N{self.rng.randrange(10 ** 7):07d}",
                      "other": lambda: f"BC{self.rng.randrange(10 ** 8):08d}"}[kind]()
            if number not in self.numbers:
                self.numbers.add(number)
                return kind, number
        return None, ""

    def migration(self, registered_on):
        """The returned migrant's fields: where, in what work, when and how they came back."""
        rng = self.rng
        return {"destination_country": DRAWS["DESTINATIONS"].draw(rng),
                "sector_abroad": DRAWS["SECTORS_ABROAD"].draw(rng),
                "return_date": registered_on - timedelta(days=rng.randint(7, 3 * 365)),
                "return_mode": DRAWS["RETURN_MODE"].draw(rng), "regular_migration": DRAWS["REGULAR"].draw(rng)}

    def baseline(self):
        """Work and monthly income at registration: not asked, none, or an income in riels or dollars."""
        rng, draw = self.rng, self.rng.random()
        if draw < 0.2:
            work, income, currency = None, None, None
        elif draw < 0.45:
            work, income, currency = "unemployed", Decimal(0), None
        elif rng.random() < 0.6:
            work, income, currency = rng.choice(EARNING), Decimal(rng.randint(30, 160) * 10_000), "KHR"
        else:
            work, income, currency = rng.choice(EARNING), Decimal(rng.randint(80, 400)), "USD"
        return {"baseline_employment": work, "baseline_monthly_income": income, "baseline_income_currency": currency}

    def vulnerability(self):
        """Disability (often not asked), IDPoor status, household size and education."""
        rng, draw = self.rng, self.rng.random()
        return {"disability": True if draw < 0.06 else (False if draw < 0.8 else None),
                "idpoor": rng.choice((True, False, False, None)),
                "household_size": min(12, 1 + int(rng.gammavariate(4, 1))),
                "education_level": DRAWS["EDUCATION"].draw(rng)}

    def consent(self, registered_on):
        """Consent recorded at registration: to data use for nearly all, to follow-up and photos for fewer."""
        rng = self.rng
        given = rng.random() < 0.96
        return {"consent_data_use": given, "consent_follow_up": given and rng.random() < 0.96,
                "consent_photos": given and rng.random() < 0.35, "consent_on": registered_on if given else None}

    def record(self, registered_on, province):
        """Every editable value of one participant registered on a day in a province."""
        rng = self.rng
        sex, category = DRAWS["SEX"].draw(rng), DRAWS["CATEGORY"].draw(rng)
        migrant = category == "returned_migrant"
        born, year = self.birth_before(registered_on)
        kind, number = self.document(province, migrant)
        return {
            **self.scripts_names(sex), "sex": sex, "date_of_birth": born, "birth_year": year,
            "phone": self.shared_phone(province), "province": province, "district": rng.choice(words.PLACES),
            "commune": rng.choice(words.PLACES), "village": rng.choice(words.PLACES), "id_document_type": kind,
            "id_document_number": number, "category": category,
            **(self.migration(registered_on) if migrant else NOT_MIGRANT), **self.vulnerability(),
            **self.baseline(), **self.consent(registered_on), "registered_on": registered_on, "status": "active",
        }


NOT_MIGRANT = {"destination_country": "", "sector_abroad": "", "return_date": None, "return_mode": None,
               "regular_migration": None}
ROW_FIELDS = ["id", "code", "given_name", "family_name", "given_name_km", "family_name_km", "sex", "date_of_birth",
              "birth_year", "phone", "province", "district", "commune", "village", "id_document_type",
              "id_document_number", "category", "destination_country", "sector_abroad", "return_date", "return_mode",
              "regular_migration", "disability", "idpoor", "household_size", "education_level",
              "baseline_employment", "baseline_monthly_income", "baseline_income_currency", "consent_data_use",
              "consent_follow_up", "consent_photos", "consent_on", "consent_recorded_by", "status", "registered_on",
              "created_at", "updated_at", "created_by", "latin_key", "phonetic_key", "khmer_key", "id_number_key",
              "match_birth_year", "name_blocks", "phone_key"]
FIELDS = [getattr(Beneficiary, name) for name in ROW_FIELDS]


def participant_row(values, row_id, number, user_id):
    """A record's row (a tuple of FIELDS), as register_beneficiary would save it: values, search keys,
    code and bookkeeping.

    :param number: the counter number of its code (BR-000123).
    """
    if values.get("date_of_birth"):
        values = {**values, "birth_year": None}  # a year is stored only as an estimate, as the services do
    registered = values.get("registered_on") or date.today()
    created = datetime(registered.year, registered.month, registered.day, 1 + number % 9, number % 60)
    consent = any(values.get(k) for k in ("consent_data_use", "consent_follow_up", "consent_photos"))
    row = {"status": "active", **values, **search_keys(values), "id": row_id, "code": format_code(number),
           "registered_on": registered, "created_at": created, "updated_at": created, "created_by": user_id,
           "consent_recorded_by": user_id if consent else None}
    return tuple(row.get(name, _DEFAULTS.get(name)) for name in ROW_FIELDS)


_DEFAULTS = {name: Beneficiary._meta.fields[name].default for name in ROW_FIELDS
             if not callable(Beneficiary._meta.fields[name].default)}
