"""Server-side page sessions: a `user_session` row per sign-in, which sign-out ends for good.

The session cookie carries a random key whose SHA-256 is stored here; a request is signed in only
while its row is open. Nothing to backfill: cookies issued before this migration name no row, so
everyone signs in once more.
"""
import datetime

from peewee import CharField, DateTimeField, ForeignKeyField, Model


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "app_user"

    class UserSession(Model):
        user = ForeignKeyField(User, on_delete="CASCADE")
        key_hash = CharField(max_length=64, unique=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        last_seen_at = DateTimeField(default=datetime.datetime.utcnow, index=True)
        ended_at = DateTimeField(null=True)
        end_reason = CharField(max_length=32, default="")
        ip = CharField(max_length=64, default="")
        user_agent = CharField(max_length=255, default="")

        class Meta:
            database = db
            table_name = "user_session"

    db.create_tables([UserSession])


def down(migrator, db):
    db.execute_sql("DROP TABLE user_session")
