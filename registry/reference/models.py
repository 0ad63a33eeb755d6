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
