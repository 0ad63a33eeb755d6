"""The participant record (a beneficiary), its merges and its import jobs."""
from datetime import date

from peewee import (BlobField, BooleanField, CharField, DateField, DateTimeField, DecimalField, ForeignKeyField,
                    IntegerField, TextField)

from registry.auth.models import User
from registry.db import BaseModel
from registry.reference.models import Province
from registry.timeutil import utcnow

CODE_PREFIX = "BR-"


def format_code(number):
    """The registry code of a number: BR-000123."""
    return f"{CODE_PREFIX}{number:06d}"


class Beneficiary(BaseModel):
    """A participant: a returned migrant or a person at risk of unsafe migration."""

    code = CharField(max_length=16, unique=True)
    given_name = CharField(max_length=100, default="")
    family_name = CharField(max_length=100, default="")
    given_name_km = CharField(max_length=100, default="")
    family_name_km = CharField(max_length=100, default="")
    sex = CharField(max_length=8)
    date_of_birth = DateField(null=True)
    birth_year = IntegerField(null=True)  # an estimated year, when there is no date
    phone = CharField(max_length=20, default="", index=True)  # E.164, e.g. +85512345678
    province = ForeignKeyField(Province, null=True, on_delete="RESTRICT", index=True)
    district = CharField(max_length=100, default="")
    commune = CharField(max_length=100, default="")
    village = CharField(max_length=100, default="")
    id_document_type = CharField(max_length=16, null=True)
    id_document_number = CharField(max_length=40, default="")
    category = CharField(max_length=20)
    destination_country = CharField(max_length=60, default="")
    sector_abroad = CharField(max_length=100, default="")
    return_date = DateField(null=True)
    return_mode = CharField(max_length=16, null=True)
    regular_migration = BooleanField(null=True)
    disability = BooleanField(null=True)
    idpoor = BooleanField(null=True)
    household_size = IntegerField(null=True)
    education_level = CharField(max_length=20, null=True)
    baseline_employment = CharField(max_length=32, null=True)
    baseline_monthly_income = DecimalField(max_digits=14, decimal_places=2, null=True)
    baseline_income_currency = CharField(max_length=3, null=True)
    consent_data_use = BooleanField(default=False)
    consent_follow_up = BooleanField(default=False)
    consent_photos = BooleanField(default=False)
    consent_on = DateField(null=True)
    consent_recorded_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    # Set by consent.withdraw_consent (with every scope above made false), cleared by consent.record_consent.
    consent_withdrawn_on = DateField(null=True)
    consent_withdrawal_reason = TextField(default="")
    status = CharField(max_length=10, default="active", index=True)
    merged_into = ForeignKeyField("self", null=True, on_delete="RESTRICT", backref="merged_records")
    registered_on = DateField(default=date.today)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    created_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    # Search keys, kept by the services whenever the names, birth or ID change.
    latin_key = CharField(max_length=200, default="", index=True)
    phonetic_key = CharField(max_length=200, default="", index=True)
    khmer_key = CharField(max_length=200, default="", index=True)
    id_number_key = CharField(max_length=40, default="", index=True)
    # The phone's digits as dialled at home (phones.phone_key): any six of them in a row find the person,
    # through a trigram index (migration 0024).
    phone_key = CharField(max_length=20, default="")
    match_birth_year = IntegerField(null=True, index=True)  # the birth year, exact or estimated
    # The block keys of the names (names.block_keys), " sabc kxx sdef ": the duplicate check compares
    # only records that share one, with LIKE '% sabc %'.
    name_blocks = TextField(default="")

    @classmethod
    def listed(cls):
        """Records shown in lists and counts: everything but merged duplicates."""
        return cls.select().where(cls.status != "merged")

    @property
    def display_name(self):
        """The name as people read it: Latin and Khmer when both are known."""
        latin = " ".join(p for p in (self.family_name, self.given_name) if p)
        khmer = " ".join(p for p in (self.family_name_km, self.given_name_km) if p)
        return f"{latin} ({khmer})" if latin and khmer else latin or khmer

    def birth_on_or_estimate(self):
        """The birth date, or 1 July of the estimated birth year, or None."""
        if self.date_of_birth:
            return self.date_of_birth
        return date(self.birth_year, 7, 1) if self.birth_year else None

    def age_on(self, day):
        """Age in whole years on a day, or None when the birth is unknown."""
        born = self.birth_on_or_estimate()
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def __str__(self):
        return f"{self.code} {self.display_name}"


class BeneficiaryMerge(BaseModel):
    """Two records found to be the same person: the duplicate was merged into the survivor."""

    survivor = ForeignKeyField(Beneficiary, backref="merges_in", on_delete="RESTRICT")
    duplicate = ForeignKeyField(Beneficiary, backref="merges_out", on_delete="RESTRICT")
    merged_at = DateTimeField(default=utcnow)
    merged_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")
    detail = TextField(default="{}")  # JSON: fields copied and rows moved, for undo
    undone_at = DateTimeField(null=True)
    undone_by = ForeignKeyField(User, null=True, on_delete="RESTRICT", backref="+")


class ImportJob(BaseModel):
    """An uploaded participant sheet, checked then imported; its state lives here, not in a worker."""

    created_by = ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    created_at = DateTimeField(default=utcnow)
    filename = CharField(max_length=255)
    content = BlobField()
    status = CharField(max_length=12, default="queued", index=True)
    total_rows = IntegerField(default=0)
    processed_rows = IntegerField(default=0)
    good_rows = IntegerField(default=0)
    imported_rows = IntegerField(default=0)
    report = TextField(default="{}")  # JSON: errors and likely duplicates, by row
    message = TextField(default="")
    heartbeat_at = DateTimeField(default=utcnow)
    finished_at = DateTimeField(null=True)
