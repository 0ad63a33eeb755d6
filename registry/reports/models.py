"""Indicators kept as data, so that a program can rename, add or drop them without code changes."""
from peewee import BooleanField, CharField, DateTimeField, DecimalField, ForeignKeyField, IntegerField, TextField

from registry.auth.models import User
from registry.db import BaseModel
from registry.timeutil import utcnow

KHMER = "km"


def text_in(english, khmer, locale):
    """The Khmer text for a Khmer locale ("km" or a babel Locale) when there is one; the English otherwise."""
    return khmer if khmer and str(locale or "").split("_")[0] == KHMER else english


class Indicator(BaseModel):
    """One indicator of the report: its code, title, definition, computation and disaggregations.

    The title and definition are kept in English and, optionally, in Khmer (empty: Khmer readers see the English).
    """

    code = CharField(max_length=32, unique=True)
    title = CharField(max_length=300)
    definition = TextField(default="")
    title_km = CharField(max_length=300, default="")
    definition_km = TextField(default="")
    computation = CharField(max_length=40)  # a key of registry.reports.computations.COMPUTATIONS
    disaggregations = CharField(max_length=200, default="sex,age_band,category,province,disability,program")
    baseline = DecimalField(max_digits=14, decimal_places=4, null=True)
    position = IntegerField(default=0)
    active = BooleanField(default=True)

    def title_for(self, locale):
        """The title in a language ("en" or "km"): the Khmer one when there is one, else the English."""
        return text_in(self.title, self.title_km, locale)

    def definition_for(self, locale):
        """The definition in a language ("en" or "km"): the Khmer one when there is one, else the English."""
        return text_in(self.definition, self.definition_km, locale)

    def disaggregation_list(self):
        """The disaggregations, in order."""
        return [d.strip() for d in self.disaggregations.split(",") if d.strip()]

    @classmethod
    def reported(cls):
        """The active indicators in report order."""
        return cls.select().where(cls.active).order_by(cls.position, cls.code)


class IndicatorTarget(BaseModel):
    """A target for a fiscal year (quarter 0) or one of its quarters (1-4)."""

    indicator = ForeignKeyField(Indicator, backref="targets", on_delete="CASCADE")
    fiscal_year = IntegerField()
    quarter = IntegerField(default=0)
    target = DecimalField(max_digits=14, decimal_places=4)

    class Meta:
        table_name = "indicator_target"
        indexes = ((("indicator", "fiscal_year", "quarter"), True),)


class ReportSubmission(BaseModel):
    """A period locked as submitted to the donor: the report as it was, kept whatever changes after."""

    key = CharField(max_length=400, unique=True)  # period and filters, see registry.reports.locking.selection_key
    period_label = CharField(max_length=60)
    document = TextField()  # JSON: the workbook's document (report, tracking) at submission
    submitted_by = ForeignKeyField(User, on_delete="RESTRICT", backref="+")
    submitted_at = DateTimeField(default=utcnow)
