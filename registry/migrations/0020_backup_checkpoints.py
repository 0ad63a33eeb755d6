"""Backups carry the audit witness: the signed checkpoint of the log's head written just before each backup.

One row per backup, holding the witness line as written (registry.audit.witness). The row is in
the database, so in the backup; a restore reads it from the backup file, checks its signature with
the key that is not in the database, and writes a "restore" line to the witness.
"""
from peewee import DateTimeField, Model, TextField


def up(migrator, db):
    class BackupCheckpoint(Model):
        taken_at = DateTimeField()
        line = TextField()

        class Meta:
            database = db
            table_name = "backup_checkpoint"

    db.create_tables([BackupCheckpoint])


def down(migrator, db):
    db.execute_sql("DROP TABLE backup_checkpoint")
