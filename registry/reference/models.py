"""Reference-list models."""
from flask_babel import get_locale
from peewee import BooleanField, CharField

from registry.db import BaseModel


class Province(BaseModel):
    """A province with its official two-digit code, e.g. 02 Battambang."""

    code = CharField(max_length=2, primary_key=True)
    name_en = CharField(max_length=100)
    name_km = CharField(max_length=100)
    active = BooleanField(default=True)

    @property
    def name(self):
        """The name in the current user's language."""
        return self.name_km if str(get_locale()) == "km" else self.name_en

    @classmethod
    def listed(cls):
        """Active provinces in code order."""
        return cls.select().where(cls.active).order_by(cls.code)

    def __str__(self):
        return f"{self.code} {self.name}"


class Setting(BaseModel):
    """A registry-wide setting an admin changes (the default exchange rate, the fiscal year's first month)."""

    key = CharField(max_length=64, primary_key=True)
    value = CharField(max_length=200)

    @classmethod
    def get_value(cls, key, default):
        """The setting's value, or the default when it was never set."""
        row = cls.get_or_none(cls.key == key)
        return row.value if row else default
