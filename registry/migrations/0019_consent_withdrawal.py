"""Consent can be withdrawn: the day (consent_withdrawn_on) and the reason (consent_withdrawal_reason).

Nobody has withdrawn yet, so the defaults are the backfill: no date, an empty reason. The reason is
added NOT NULL with the database's own default '' in one ALTER TABLE, as 0013 and 0015 do (peewee's
add-then-set-NOT-NULL would rebuild the table on SQLite, dropping the name-search triggers of 0012).
"""
from peewee import SQL, DateField, TextField
from playhouse.migrate import migrate


def up(migrator, db):
    migrate(migrator.add_column("beneficiary", "consent_withdrawn_on", DateField(null=True)),
            migrator.add_column("beneficiary", "consent_withdrawal_reason",
                                TextField(default="", constraints=[SQL("DEFAULT ''")]), allow_not_null=True))


def down(migrator, db):
    migrate(migrator.drop_column("beneficiary", "consent_withdrawal_reason"),
            migrator.drop_column("beneficiary", "consent_withdrawn_on"))
