"""User accounts with role, language and province scope."""
import datetime

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, Model


def up(migrator, db):
    class Province(Model):
        code = CharField(max_length=2, primary_key=True)

        class Meta:
            database = db
            table_name = "province"

    class User(Model):
        username = CharField(max_length=64, unique=True)
        full_name = CharField(max_length=200)
        role = CharField(max_length=16)
        active = BooleanField(default=True)
        language = CharField(max_length=8, default="en")
        all_provinces = BooleanField(default=False)
        password_hash = CharField(max_length=255)
        session_token = CharField(max_length=64, unique=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        last_login_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "app_user"

    class UserProvince(Model):
        user = ForeignKeyField(User, on_delete="CASCADE")
        province = ForeignKeyField(Province, on_delete="RESTRICT")

        class Meta:
            database = db
            table_name = "user_province"
            indexes = ((("user", "province"), True),)

    db.create_tables([User, UserProvince])


def down(migrator, db):
    db.execute_sql("DROP TABLE user_province")
    db.execute_sql('DROP TABLE app_user')
