"""Idempotency keys of the API: the first answer to each (user, key) of a write, kept for 24 hours.

A new table, empty: nothing to backfill. The unique (user, key) index is what claims a key; the index
on created_at serves the purge of expired keys.
"""
import datetime

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "app_user"

    class IdempotencyKey(Model):
        user = ForeignKeyField(User, on_delete="CASCADE")
        key = CharField(max_length=255)
        request_hash = CharField(max_length=64)
        status = IntegerField(null=True)
        content_type = CharField(max_length=100, default="")
        body = TextField(default="")
        created_at = DateTimeField(default=datetime.datetime.utcnow, index=True)

        class Meta:
            database = db
            table_name = "idempotency_key"
            indexes = ((("user", "key"), True),)

    db.create_tables([IdempotencyKey])


def down(migrator, db):
    db.execute_sql("DROP TABLE idempotency_key")
