"""Indicators as data, seeded with the default set of docs/domain.md#indicators, and their targets."""
from peewee import BooleanField, CharField, DecimalField, ForeignKeyField, IntegerField, Model, TextField

ALL = "sex,age_band,category,province,disability,program"
DEFAULTS = [
    ("CUSTOM-1", "Number of individuals newly enrolled in livelihood training", "enrolled",
     "People with an enrollment whose enrollment date falls in the period."),
    ("CUSTOM-2", "Number of individuals who completed livelihood training", "completed",
     "People with an enrollment that moved to completed in the period."),
    ("EG.6-14", "Percent of individuals who complete USG-assisted workforce development programs", "completion_rate",
     "Denominator: people with an enrollment that ended (completed, dropped out or withdrawn) in the period. "
     "Numerator: those of them with an enrollment completed in the period."),
    ("EG.6-12", "Percent of individuals with new employment following participation in USG-assisted workforce "
     "development programs", "new_employment",
     "Denominator: people with a counted follow-up in the period. Numerator: those whose counted follow-up shows "
     "wage or self-employment with a job start date on or after the qualifying enrollment's enrollment date."),
    ("EG.6-11", "Average percent change in earnings following participation in USG-assisted workforce development "
     "programs", "earnings_change",
     "Over people with a counted follow-up in the period, a baseline monthly income above zero and an income "
     "recorded at the follow-up: the mean of (follow-up income - baseline income) / baseline income, in USD."),
    ("EG.6-13", "Percent of individuals with improved soft skills following participation in USG-assisted "
     "workforce development programs", "soft_skills",
     "Denominator: people with an enrollment completed in the period with both a pre and a post soft-skills "
     "score. Numerator: those whose qualifying enrollment's post score is higher than its pre score."),
    ("EG.6-15", "Percent of individuals who transition to further education or training following participation "
     "in USG-assisted workforce development programs", "further_education",
     "Denominator as EG.6-12. Numerator: those whose counted follow-up shows in training or education."),
    ("GNDR-2", "Percentage of female participants in USG-assisted programs designed to increase access to "
     "productive economic resources", "female_share",
     "Denominator: people with an enrollment whose enrollment date falls in the period. Numerator: the women."),
    ("YOUTH-3", "Percentage of participants who are youth (15-29) in USG-assisted programs designed to increase "
     "access to productive economic resources", "youth_share",
     "Denominator as GNDR-2. Numerator: those aged 15 to 29 on the qualifying enrollment's date."),
    ("CTIP-REMIG", "Number of completers who re-migrated abroad through irregular channels after training",
     "irregular_remigration",
     "People whose counted follow-up in the period shows migration abroad not through regular channels."),
]


def up(migrator, db):
    class Indicator(Model):
        code = CharField(max_length=32, unique=True)
        title = CharField(max_length=300)
        definition = TextField(default="")
        computation = CharField(max_length=40)
        disaggregations = CharField(max_length=200, default=ALL)
        baseline = DecimalField(max_digits=14, decimal_places=4, null=True)
        position = IntegerField(default=0)
        active = BooleanField(default=True)

        class Meta:
            database = db
            table_name = "indicator"

    class IndicatorTarget(Model):
        indicator = ForeignKeyField(Indicator, on_delete="CASCADE")
        fiscal_year = IntegerField()
        quarter = IntegerField(default=0)
        target = DecimalField(max_digits=14, decimal_places=4)

        class Meta:
            database = db
            table_name = "indicator_target"
            indexes = ((("indicator", "fiscal_year", "quarter"), True),)

    db.create_tables([Indicator, IndicatorTarget])
    Indicator.insert_many([(code, title, definition, computation, ALL, n * 10)
                           for n, (code, title, computation, definition) in enumerate(DEFAULTS, 1)],
                          fields=[Indicator.code, Indicator.title, Indicator.definition, Indicator.computation,
                                  Indicator.disaggregations, Indicator.position]).execute()


def down(migrator, db):
    db.execute_sql("DROP TABLE indicator_target")
    db.execute_sql("DROP TABLE indicator")
