"""Indicator titles and definitions in Khmer (title_km, definition_km), filled for the indicators 0007 seeded.

Each column is added NOT NULL with a default '' in one ALTER TABLE, as 0013 does: peewee's
add-then-set-NOT-NULL would rebuild the table on SQLite. An empty Khmer text means "show the English".

The Khmer title (or definition) of a seeded indicator is written only where its English title (or
definition) is still the one 0007 seeded: an admin who retitled an indicator for their donor would
otherwise see the Khmer page tell a different story. The English is copied here, frozen, rather than
read from 0007, so that this migration means the same whatever later happens to that file.
"""
from peewee import SQL, CharField, Model, TextField
from playhouse.migrate import migrate

EMPTY = SQL("DEFAULT ''")  # the database's own default: the ALTER needs no second step
USG = "ដែលទទួលជំនួយពីរដ្ឋាភិបាលសហរដ្ឋអាមេរិក"
WORKFORCE = "កម្មវិធីអភិវឌ្ឍកម្លាំងពលកម្ម" + USG
RESOURCES = "ក្នុងកម្មវិធី" + USG + " ដែលមានគោលបំណងបង្កើនលទ្ធភាពទទួលបានធនធានសេដ្ឋកិច្ចប្រកបដោយផលិតភាព"
COUNTED = "ការតាមដានដែលត្រូវយកមករាប់"
QUALIFYING = "ការចុះឈ្មោះចូលរៀនដែលត្រូវយកមករាប់"

# code: (seeded English title, seeded English definition, Khmer title, Khmer definition)
KHMER = {
    "CUSTOM-1": (
        "Number of individuals newly enrolled in livelihood training",
        "People with an enrollment whose enrollment date falls in the period.",
        "ចំនួនបុគ្គលដែលបានចុះឈ្មោះចូលរៀនថ្មីក្នុងការបណ្តុះបណ្តាលមុខរបរចិញ្ចឹមជីវិត",
        "បុគ្គលដែលមានការចុះឈ្មោះចូលរៀន ដែលកាលបរិច្ឆេទចុះឈ្មោះចូលរៀនស្ថិតនៅក្នុងរយៈពេលនេះ។"),
    "CUSTOM-2": (
        "Number of individuals who completed livelihood training",
        "People with an enrollment that moved to completed in the period.",
        "ចំនួនបុគ្គលដែលបានបញ្ចប់ការបណ្តុះបណ្តាលមុខរបរចិញ្ចឹមជីវិត",
        "បុគ្គលដែលការចុះឈ្មោះចូលរៀនរបស់ខ្លួនបានប្តូរទៅជា «បានបញ្ចប់» ក្នុងរយៈពេលនេះ។"),
    "EG.6-14": (
        "Percent of individuals who complete USG-assisted workforce development programs",
        "Denominator: people with an enrollment that ended (completed, dropped out or withdrawn) in the period. "
        "Numerator: those of them with an enrollment completed in the period.",
        "ភាគរយនៃបុគ្គលដែលបានបញ្ចប់" + WORKFORCE,
        "ភាគបែង៖ បុគ្គលដែលការចុះឈ្មោះចូលរៀនរបស់ខ្លួនបានចប់ (ដោយបញ្ចប់ការសិក្សា បោះបង់ការសិក្សា ឬដកខ្លួន) "
        "ក្នុងរយៈពេលនេះ។ ភាគយក៖ អ្នកក្នុងចំណោមពួកគេ ដែលបានបញ្ចប់ការសិក្សាក្នុងរយៈពេលនេះ។"),
    "EG.6-12": (
        "Percent of individuals with new employment following participation in USG-assisted workforce "
        "development programs",
        "Denominator: people with a counted follow-up in the period. Numerator: those whose counted follow-up shows "
        "wage or self-employment with a job start date on or after the qualifying enrollment's enrollment date.",
        "ភាគរយនៃបុគ្គលដែលមានការងារថ្មី បន្ទាប់ពីបានចូលរួមក្នុង" + WORKFORCE,
        "ភាគបែង៖ បុគ្គលដែលមាន" + COUNTED + "ក្នុងរយៈពេលនេះ។ ភាគយក៖ អ្នកដែល" + COUNTED
        + "បង្ហាញថាមានការងារទទួលប្រាក់ឈ្នួល ឬប្រកបមុខរបរផ្ទាល់ខ្លួន ដែលចាប់ផ្តើមការងារនៅថ្ងៃ ឬក្រោយ"
        "កាលបរិច្ឆេទនៃ" + QUALIFYING + "។"),
    "EG.6-11": (
        "Average percent change in earnings following participation in USG-assisted workforce development "
        "programs",
        "Over people with a counted follow-up in the period, a baseline monthly income above zero and an income "
        "recorded at the follow-up: the mean of (follow-up income - baseline income) / baseline income, in USD.",
        "ភាគរយនៃការប្រែប្រួលប្រាក់ចំណូលជាមធ្យម បន្ទាប់ពីបានចូលរួមក្នុង" + WORKFORCE,
        "គិតលើបុគ្គលដែលមាន" + COUNTED + "ក្នុងរយៈពេលនេះ មានប្រាក់ចំណូលប្រចាំខែមូលដ្ឋានលើសពីសូន្យ "
        "និងមានប្រាក់ចំណូលដែលបានកត់ត្រានៅពេលតាមដាន៖ មធ្យមភាគនៃ (ប្រាក់ចំណូលពេលតាមដាន - ប្រាក់ចំណូលមូលដ្ឋាន) "
        "/ ប្រាក់ចំណូលមូលដ្ឋាន គិតជាដុល្លារអាមេរិក។"),
    "EG.6-13": (
        "Percent of individuals with improved soft skills following participation in USG-assisted "
        "workforce development programs",
        "Denominator: people with an enrollment completed in the period with both a pre and a post soft-skills "
        "score. Numerator: those whose qualifying enrollment's post score is higher than its pre score.",
        "ភាគរយនៃបុគ្គលដែលមានជំនាញទន់ប្រសើរឡើង បន្ទាប់ពីបានចូលរួមក្នុង" + WORKFORCE,
        "ភាគបែង៖ បុគ្គលដែលបានបញ្ចប់ការសិក្សាក្នុងរយៈពេលនេះ ហើយមានទាំងពិន្ទុជំនាញទន់មុនវគ្គ និងក្រោយវគ្គ។ "
        "ភាគយក៖ អ្នកដែលពិន្ទុក្រោយវគ្គខ្ពស់ជាងពិន្ទុមុនវគ្គ នៅក្នុង" + QUALIFYING + "។"),
    "EG.6-15": (
        "Percent of individuals who transition to further education or training following participation "
        "in USG-assisted workforce development programs",
        "Denominator as EG.6-12. Numerator: those whose counted follow-up shows in training or education.",
        "ភាគរយនៃបុគ្គលដែលបន្តទៅការសិក្សា ឬការបណ្តុះបណ្តាលបន្ថែម បន្ទាប់ពីបានចូលរួមក្នុង" + WORKFORCE,
        "ភាគបែង៖ ដូច EG.6-12។ ភាគយក៖ អ្នកដែល" + COUNTED + "បង្ហាញថាកំពុងទទួលការបណ្តុះបណ្តាល ឬកំពុងសិក្សា។"),
    "GNDR-2": (
        "Percentage of female participants in USG-assisted programs designed to increase access to "
        "productive economic resources",
        "Denominator: people with an enrollment whose enrollment date falls in the period. Numerator: the women.",
        "ភាគរយនៃអ្នកចូលរួមជាស្ត្រី " + RESOURCES,
        "ភាគបែង៖ បុគ្គលដែលមានការចុះឈ្មោះចូលរៀន ដែលកាលបរិច្ឆេទចុះឈ្មោះចូលរៀនស្ថិតនៅក្នុងរយៈពេលនេះ។ "
        "ភាគយក៖ ស្ត្រីក្នុងចំណោមពួកគេ។"),
    "YOUTH-3": (
        "Percentage of participants who are youth (15-29) in USG-assisted programs designed to increase "
        "access to productive economic resources",
        "Denominator as GNDR-2. Numerator: those aged 15 to 29 on the qualifying enrollment's date.",
        "ភាគរយនៃអ្នកចូលរួមជាយុវជន (អាយុ 15-29 ឆ្នាំ) " + RESOURCES,
        "ភាគបែង៖ ដូច GNDR-2។ ភាគយក៖ អ្នកដែលមានអាយុពី 15 ដល់ 29 ឆ្នាំ នៅកាលបរិច្ឆេទនៃ" + QUALIFYING + "។"),
    "CTIP-REMIG": (
        "Number of completers who re-migrated abroad through irregular channels after training",
        "People whose counted follow-up in the period shows migration abroad not through regular channels.",
        "ចំនួនអ្នកបញ្ចប់ការបណ្តុះបណ្តាល ដែលបានធ្វើចំណាកស្រុកទៅបរទេសម្តងទៀតតាមច្រកមិនស្របច្បាប់ "
        "បន្ទាប់ពីការបណ្តុះបណ្តាល",
        "បុគ្គលដែល" + COUNTED + "ក្នុងរយៈពេលនេះ បង្ហាញថាបានធ្វើចំណាកស្រុកទៅបរទេស មិនតាមច្រកស្របច្បាប់។"),
}


def up(migrator, db):
    migrate(migrator.add_column("indicator", "title_km", CharField(max_length=300, default="", constraints=[EMPTY]),
                                allow_not_null=True),
            migrator.add_column("indicator", "definition_km", TextField(default="", constraints=[EMPTY]),
                                allow_not_null=True))
    _fill(_frozen_indicator(db))


def _frozen_indicator(db):
    """The indicator table as this migration knows it: code, texts in English and in Khmer."""

    class Indicator(Model):
        code = CharField(max_length=32)
        title = CharField(max_length=300)
        definition = TextField()
        title_km = CharField(max_length=300)
        definition_km = TextField()

        class Meta:
            database = db
            table_name = "indicator"

    return Indicator


def _fill(model):
    """The Khmer text of each seeded indicator, where its English is still the seeded one and no Khmer is set."""
    for code, (title, definition, title_km, definition_km) in KHMER.items():
        model.update(title_km=title_km).where(
            (model.code == code) & (model.title == title) & (model.title_km == "")).execute()
        model.update(definition_km=definition_km).where(
            (model.code == code) & (model.definition == definition) & (model.definition_km == "")).execute()


def down(migrator, db):
    migrate(migrator.drop_column("indicator", "definition_km"),
            migrator.drop_column("indicator", "title_km"))
