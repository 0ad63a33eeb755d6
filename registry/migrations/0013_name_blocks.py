"""The block keys of participants' names (name_blocks), so that the duplicate check narrows by first sounds in SQL.

The column is added NOT NULL with a default '' in one statement. peewee's add-then-set-NOT-NULL
would rebuild the table on SQLite (a copy of every row that also drops the table's triggers);
this way it is one ALTER TABLE on both databases, instant on PostgreSQL 11 and later.
Existing rows are then filled in batches, with the function the services store
(duplicates.name_blocks): a later change to names.block_keys needs a migration that fills them again.
Last, an index on (match_birth_year, name_blocks), built once the rows are filled: the duplicate
check reads the birth window through it, and SQLite tests the blocks in the index before it reads a row.
"""
from peewee import SQL, CharField, Model, TextField, ValuesList
from playhouse.migrate import migrate

from registry.beneficiaries.duplicates import name_blocks

NAMES = ("given_name", "family_name", "given_name_km", "family_name_km")
BATCH = 5000  # rows read and written per statement: two bound values a row, far below SQLite's limit


def up(migrator, db):
    migrate(migrator.add_column("beneficiary", "name_blocks", TextField(default="", constraints=[SQL("DEFAULT ''")]),
                                allow_not_null=True))
    _fill(_frozen_beneficiary(db))
    migrate(migrator.add_index("beneficiary", ("match_birth_year", "name_blocks")))


def _frozen_beneficiary(db):
    """The participant table as this migration knows it: the names and their blocks."""

    class Beneficiary(Model):
        given_name = CharField()
        family_name = CharField()
        given_name_km = CharField()
        family_name_km = CharField()
        name_blocks = TextField()

        class Meta:
            database = db
            table_name = "beneficiary"

    return Beneficiary


def _fill(model):
    """Store the blocks of every participant, BATCH rows a statement."""
    names = [getattr(model, name) for name in NAMES]
    last = 0
    while True:
        # Batches by id rather than one long cursor: memory stays flat, and no read is open on the table
        # while it is written.
        batch = model.select(model.id, *names).where(model.id > last).order_by(model.id).limit(BATCH)
        filled, count = [], 0
        for row_id, *values in batch.tuples().iterator():
            last, count = row_id, count + 1
            blocks = name_blocks(dict(zip(NAMES, values)))
            if blocks:
                filled.append((row_id, blocks))
        if filled:
            # VALUES columns keep their default names (column1, ...): SQLite takes no column list after the alias.
            rows = ValuesList(filled, alias="filled")
            model.update(name_blocks=rows.c.column2).from_(rows).where(model.id == rows.c.column1).execute()
        if count < BATCH:
            return


def down(migrator, db):
    migrate(migrator.drop_index("beneficiary", "beneficiary_match_birth_year_name_blocks"),
            migrator.drop_column("beneficiary", "name_blocks"))
