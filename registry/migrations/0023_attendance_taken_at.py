"""Each attendance mark keeps the time it was taken (taken_at, UTC), which the late-marks merge rule compares.

A mark synced from a phone that was offline carries the phone's time; a mark saved online gets the
server's time. Existing marks were all saved online, so their time taken is the time they were
recorded: the column is added empty, filled from recorded_at, then made NOT NULL (on SQLite the
migrator rebuilds the table, keeping its rows and indexes). `down` drops the column: recorded_at
still holds what it was filled from.
"""
from peewee import DateTimeField
from playhouse.migrate import migrate


def up(migrator, db):
    migrate(migrator.add_column("attendance", "taken_at", DateTimeField(null=True)))
    db.execute_sql("UPDATE attendance SET taken_at = recorded_at")
    migrate(migrator.add_not_null("attendance", "taken_at"))


def down(migrator, db):
    migrate(migrator.drop_column("attendance", "taken_at"))
